import type { DemoAe, DemoDeal } from '../../connectors/crm-registry.ts';
import { seededRandom, TRUE_PROCESS, trueWinProbability, type TrueProcess } from '../outcomes/simulate.ts';
import type { SignalStrength } from '../outcomes/types.ts';
import { weightKey } from '../scoring/signals/context.ts';

/**
 * `demo --simulate-quarter`: a quarter of AE work played out on the demo CRM, week by week. Each week the
 * AEs close some open expansion deals through the CRM's API (won or lost with the odds of a known process
 * whose weights differ from the configured ones on purpose, `TRUE_PROCESS`), open a few deals of their own on
 * scored accounts (organic), and the worker syncs on the week's date. The outcome loop then has a quarter
 * of closed deals to measure and recalibrate from.
 */

/** What the worker knows when the AEs act: the evidence shown per pitch, and each account's latest scoring. */
export interface QuarterEvidence {
  /** Signals shown at pitch time, by pitch key (our deal's key, or `adopted:<crm id>`). */
  readonly pitches: ReadonlyMap<string, readonly SignalStrength[]>;
  /** The latest assessment per account: its fired expansion signals and the top opportunity's value. */
  readonly accounts: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly signals: readonly SignalStrength[];
    readonly arrPotential: number;
  }>;
}

/**
 * The demo's AEs win by `TRUE_PROCESS` (renewal window and executive engagement converting far better than
 * configured), made sharper on the signals the demo portfolio's pitches actually show, so one quarter is
 * enough to see it: seat utilization, configured the strongest, converts worst; cross-sell workarounds and
 * feature graduation convert far better than configured. A higher intercept closes enough wins to pass the
 * data gate.
 */
export const DEMO_PROCESS: TrueProcess = {
  intercept: -1,
  weights: {
    ...TRUE_PROCESS.weights,
    seat_utilization: -0.8,
    usage_growth: 0,
    feature_graduation: 1.6,
    module_workaround: 2,
    new_team_adoption: 1.2,
  },
};

export interface QuarterOptions {
  readonly ae: DemoAe;
  /** The demo's scoring date: the quarter starts the day after. */
  readonly start: string;
  readonly weeks?: number;
  readonly seed?: number;
  readonly process?: TrueProcess;
  /** Chance an open deal closes in a given week. */
  readonly weeklyCloseRate?: number;
  /** Deals AEs open on their own each week. */
  readonly organicPerWeek?: number;
  /** Moves the CRM's clock (record timestamps) to this instant. */
  readonly setClock: (at: Date) => void;
  readonly evidence: () => Promise<QuarterEvidence>;
  /** One sync on this scoring date; returns a one-line summary of what it did. */
  readonly sync: (asOf: string) => Promise<string>;
  readonly say: (line: string) => void;
}

export interface QuarterSummary {
  readonly end: string;
  readonly won: number;
  readonly lost: number;
  readonly wonValue: number;
  readonly organic: number;
}

const DAY_MS = 86_400_000;

export const addDays = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** Plays the quarter; deterministic for a seed, given the same CRM contents. */
export async function simulateQuarterOnCrm(options: QuarterOptions): Promise<QuarterSummary> {
  const random = seededRandom(options.seed ?? 2026);
  const process = options.process ?? DEMO_PROCESS;
  const weeks = options.weeks ?? 12;
  const closeRate = options.weeklyCloseRate ?? 0.3;
  const organicPerWeek = options.organicPerWeek ?? 3;
  const total = { won: 0, lost: 0, wonValue: 0, organic: 0 };
  let asOf = options.start;
  for (let week = 1; week <= weeks; week += 1) {
    asOf = addDays(options.start, 7 * week);
    // The AEs work the week before the worker's run on its last day.
    options.setClock(new Date(`${addDays(asOf, -1)}T15:00:00Z`));
    const [deals, evidence] = await Promise.all([options.ae.listDeals(), options.evidence()]);
    const signalsOf = (deal: DemoDeal): readonly SignalStrength[] =>
      (deal.expansionKey === undefined ? undefined : evidence.pitches.get(deal.expansionKey)) ??
      evidence.pitches.get(`adopted:${deal.id}`) ??
      evidence.accounts.find((a) => a.id === deal.accountId)?.signals ??
      [];
    let won = 0;
    let lost = 0;
    let wonValue = 0;
    for (const deal of deals.filter((d) => d.open && d.motion !== undefined)) {
      if (random() >= closeRate) continue;
      // Signal ids carry their module (`module_workaround:reporting`); the process weighs their weight key.
      const signals = signalsOf(deal).map((x) => ({ id: weightKey(x.id), strength: x.strength }));
      const win = random() < trueWinProbability(signals, process);
      const amount = Math.round(((deal.amount ?? 10_000) * (win ? 0.8 + 0.4 * random() : 1)) / 100) * 100;
      const closeDate = addDays(asOf, -Math.floor(random() * 7));
      await options.ae.closeDeal(deal.id, { won: win, amount, closeDate });
      if (win) {
        won += 1;
        wonValue += amount;
      } else lost += 1;
    }
    const busy = new Set(deals.filter((d) => d.open).map((d) => d.accountId));
    const free = evidence.accounts.filter((a) => !busy.has(a.id) && a.signals.length > 0);
    let organic = 0;
    for (let n = 0; n < organicPerWeek && free.length > 0; n += 1) {
      const [account] = free.splice(Math.floor(random() * free.length), 1);
      if (account === undefined) break;
      await options.ae.createDeal({
        accountId: account.id,
        name: `${account.name} - more seats`,
        motion: 'seat_add',
        amount: Math.max(5_000, Math.round(account.arrPotential / 1000) * 1000),
        closeDate: addDays(asOf, 30),
      });
      organic += 1;
    }
    options.setClock(new Date(`${asOf}T12:00:00Z`));
    const synced = await options.sync(asOf);
    options.say(
      `Week ${String(week).padStart(2)} (${asOf}): AEs closed ${won + lost} deals (${won} won, ${lost} lost), opened ${organic} of their own; sync: ${synced}`,
    );
    total.won += won;
    total.lost += lost;
    total.wonValue += wonValue;
    total.organic += organic;
  }
  return { end: asOf, ...total };
}
