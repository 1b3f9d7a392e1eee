import { MOTION_LABELS } from '../../model/account.ts';
import { signalName } from '../../alerts/format.ts';
import { renderLearning } from '../../outcomes/explain.ts';
import { isHoldout } from '../../outcomes/holdout.ts';
import {
  closedDay,
  createdDay,
  CREDIBLE_MASS,
  dataGate,
  holdoutUplift,
  OUTCOME_LABELS,
  outcomeStats,
  PRIOR_STRENGTH,
  rateWithN,
  type DataGate,
  type HoldoutUplift,
  type LabelTotals,
  type OutcomeStats,
  type RateEstimate,
  type SignalStats,
} from '../../outcomes/stats.ts';
import type { DealOutcome, LearningRecord, PitchSnapshot, SignalSighting } from '../../outcomes/types.ts';
import { dayNumber, isoDate } from '../../scoring/days.ts';
import { toCsv, type CsvValue } from '../csv.ts';
import { EXIT } from '../exit-codes.ts';
import { grid, money } from '../format.ts';
import { listParsed, withStore, type ParsedAssessment, type StoreContext } from '../stored-assessments.ts';
import { terminalSafe } from '../terminal-text.ts';

export interface OutcomesCommandOptions {
  readonly config: string;
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly explain?: boolean;
  /** Only deals created or closed, pitches made and signals seen in the last this-many weeks. */
  readonly weeks?: number;
  /** The day the window ends on; today (UTC) by default. */
  readonly now?: Date;
}

/** Everything the report shows, computed from the state store alone. */
interface OutcomesReport {
  readonly system: string;
  readonly asOf: string;
  /** First day of the --weeks window; undefined for all history. */
  readonly from: string | undefined;
  readonly currency: string;
  readonly stats: OutcomeStats;
  readonly holdout: HoldoutUplift;
  readonly holdoutShare: number;
  readonly gate: DataGate;
  /** Owner id -> name, from the stored assessments. */
  readonly owners: ReadonlyMap<string, string>;
  readonly learning: readonly LearningRecord[];
}

/** `outcomes`: per-signal conversion and lift, the holdout uplift and the recalibration gate. Reads only the store. */
export async function outcomesCommand(options: OutcomesCommandOptions): Promise<number> {
  return withStore(options.config, async (context) => {
    const report = await buildReport(context, options);
    if (options.json)
      process.stdout.write(`${JSON.stringify(reportJson(report, options.explain === true), null, 2)}\n`);
    else if (options.csv) process.stdout.write(renderCsv(report));
    else {
      process.stdout.write(`${renderText(report, process.stdout.isTTY === true)}\n`);
      if (options.explain) {
        const { learning } = context.loaded.config;
        process.stdout.write(`\n${renderLearning(report.learning, learning)}`);
      }
    }
    return EXIT.ok;
  });
}

async function buildReport(context: StoreContext, options: OutcomesCommandOptions): Promise<OutcomesReport> {
  const { store, system } = context;
  const { scoring, learning } = context.loaded.config;
  const asOf = (options.now ?? new Date()).toISOString().slice(0, 10);
  const from = options.weeks === undefined ? undefined : isoDate(dayNumber(asOf) - 7 * options.weeks + 1);
  const [parsed, allOutcomes, allPitches, allSightings, records] = await Promise.all([
    listParsed(context, (line) => process.stderr.write(`expansion-sync: ${line}\n`)),
    store.listOutcomes(system),
    store.listPitches(system),
    store.listSignalSightings(system),
    store.listLearning(system),
  ]);
  const { outcomes, pitches, sightings } = inWindow(
    { outcomes: allOutcomes, pitches: allPitches, sightings: allSightings },
    from,
  );
  const owners = new Map<string, string>();
  const accountOwners = new Map<string, string>();
  for (const { stored } of parsed.items) {
    if (stored.ownerId === undefined) continue;
    accountOwners.set(stored.accountId, stored.ownerId);
    if (stored.ownerName?.trim()) owners.set(stored.ownerId, stored.ownerName.trim());
  }
  const pitchKeys = new Set(pitches.map((p) => p.key));
  return {
    system,
    asOf,
    from,
    currency: scoring.pricing.currency,
    stats: outcomeStats({ outcomes, pitches, sightings, config: scoring, accountOwners }),
    holdout: holdoutUplift({
      outcomes,
      pitches,
      readyAccountIds: readyAccounts(parsed.items),
      isHoldout: (id) => isHoldout(system, id, learning.holdoutShare),
    }),
    holdoutShare: learning.holdoutShare,
    // The gate counts what recalibration can learn from: closed deals attributed to a pitch snapshot.
    gate: dataGate(
      outcomes.filter((o) => o.pitchKey !== undefined && pitchKeys.has(o.pitchKey)),
      learning,
    ),
    owners,
    learning: records,
  };
}

/** Accounts with an opportunity ready to pitch: pitched, or withheld only because they are in the holdout. */
function readyAccounts(items: readonly ParsedAssessment[]): string[] {
  return items
    .filter(({ assessment }) =>
      assessment.opportunities.some((o) => o.withheld === undefined || o.withheld === 'holdout'),
    )
    .map(({ stored }) => stored.accountId);
}

function inWindow(
  data: {
    readonly outcomes: readonly DealOutcome[];
    readonly pitches: readonly PitchSnapshot[];
    readonly sightings: readonly SignalSighting[];
  },
  from: string | undefined,
): typeof data {
  if (from === undefined) return data;
  return {
    outcomes: data.outcomes.filter((o) => createdDay(o) >= from || (closedDay(o) ?? '') >= from),
    pitches: data.pitches.filter((p) => p.asOf >= from),
    sightings: data.sightings.filter((s) => s.lastAsOf >= from),
  };
}

const groupName = (s: SignalStats, owners: ReadonlyMap<string, string>): string => {
  if (s.group.kind === 'motion') return MOTION_LABELS[s.group.motion];
  if (s.group.kind === 'owner') return owners.get(s.group.ownerId) ?? s.group.ownerId;
  return 'all deals';
};

const days = (n: number | null): string => (n === null ? '-' : `${Math.round(n)} days`);
const times = (n: number | null): string => (n === null ? '-' : `${n.toFixed(2)}x`);
const points = (n: number): string => `${n >= 0 ? '+' : ''}${Math.round(n * 100)} points`;

function renderText(unsafe: OutcomesReport, tty: boolean): string {
  const r = terminalSafe({ ...unsafe, owners: undefined });
  const owners = new Map([...unsafe.owners].map(([id, name]) => [id, terminalSafe(name)]));
  const m = (value: number): string => money(value, r.currency);
  const window = r.from === undefined ? 'all history' : `${r.from} .. ${r.asOf}`;
  const totals = OUTCOME_LABELS.map((label) => [label, r.stats.totals[label]] as const);
  const sum = (key: keyof LabelTotals): number => totals.reduce((total, [, t]) => total + t[key], 0);
  const labelRows = [
    ...totals.map(([label, t]) => [
      label,
      String(t.open),
      String(t.won),
      String(t.lost),
      m(t.openAmount),
      m(t.wonAmount),
    ]),
    ['total', String(sum('open')), String(sum('won')), String(sum('lost')), m(sum('openAmount')), m(sum('wonAmount'))],
  ];
  const lines = [
    `Outcomes (${r.system}), ${window}; amounts in ${r.currency}`,
    '',
    'Expansion deals by label and status',
    grid({
      head: ['label', 'open', 'won', 'lost', 'open value', 'won value'],
      rows: labelRows,
      align: ['left', 'right', 'right', 'right', 'right', 'right'],
      tty,
    }),
    '',
    'Per signal',
    signalTable(
      r.stats.signals.filter((s) => s.group.kind === 'all'),
      owners,
      tty,
      false,
    ),
    '',
    'By motion',
    signalTable(groupRows(r.stats.signals, 'motion'), owners, tty, true),
    '',
    'By owner',
    signalTable(groupRows(r.stats.signals, 'owner'), owners, tty, true),
    '',
    ...holdoutLines(r.holdout, r.holdoutShare),
    '',
    r.gate.message,
    '',
    `Rates are Beta-Binomial posterior means with ${Math.round(CREDIBLE_MASS * 100)}% credible intervals; each prior counts as ${PRIOR_STRENGTH} deals centred on the configured scoring`,
    '(close rate: the win probability of a pitch on that signal alone at strength 1; signal to opportunity: its readiness score; lift baseline: probability.base).',
    'Signal to opportunity: accounts where the signal fired that got an expansion deal (any label) created after its first sighting.',
    'Lift: close rate with the signal / close rate of closed deals without it.',
  ];
  return lines.join('\n');
}

function groupRows(signals: readonly SignalStats[], kind: 'motion' | 'owner'): SignalStats[] {
  return signals.filter((s) => s.group.kind === kind && (s.closeRate.trials > 0 || s.open > 0));
}

function signalTable(
  rows: readonly SignalStats[],
  owners: ReadonlyMap<string, string>,
  tty: boolean,
  grouped: boolean,
): string {
  if (rows.length === 0) return '  none yet';
  return grid({
    head: [
      'signal',
      ...(grouped ? ['group'] : []),
      'signal to opportunity',
      'close rate',
      'open',
      'median to close',
      'lift',
    ],
    rows: rows.map((s) => [
      signalName(s.signalId),
      ...(grouped ? [groupName(s, owners)] : []),
      rateWithN(s.opportunityRate),
      rateWithN(s.closeRate),
      String(s.open),
      days(s.medianDaysToClose),
      // With no closed deal carrying the signal the lift would be the priors' ratio alone: not shown.
      s.closeRate.trials > 0 ? times(s.lift) : '-',
    ]),
    align: ['left', ...(grouped ? ['left' as const] : []), 'left', 'left', 'right', 'right', 'right'],
    tty,
  });
}

function holdoutLines(h: HoldoutUplift, share: number): string[] {
  const head = `Holdout uplift (learning.holdoutShare ${Math.round(share * 1000) / 10}%): ready accounts that won an expansion deal of any label`;
  if (h.holdout.trials === 0) return [head, '  no ready account is in the holdout yet: uplift cannot be measured'];
  return [
    head,
    `  pitched  ${rateWithN(h.pitched)}`,
    `  holdout  ${rateWithN(h.holdout)}`,
    `  uplift   ${points(h.uplift)}${h.rawUplift === null ? '' : ` (raw ${points(h.rawUplift)})`}`,
  ];
}

function rateJson(e: RateEstimate): Record<string, unknown> {
  return {
    successes: e.successes,
    trials: e.trials,
    raw: e.raw,
    mean: e.mean,
    low: e.low,
    high: e.high,
    prior: { mean: e.priorMean, strength: e.priorStrength },
  };
}

function reportJson(r: OutcomesReport, explain: boolean): Record<string, unknown> {
  return {
    system: r.system,
    asOf: r.asOf,
    from: r.from ?? null,
    currency: r.currency,
    credibleMass: CREDIBLE_MASS,
    totals: r.stats.totals,
    signals: r.stats.signals.map((s) => ({
      signalId: s.signalId,
      signal: signalName(s.signalId),
      group: { ...s.group, name: groupName(s, r.owners) },
      opportunityRate: rateJson(s.opportunityRate),
      closeRate: rateJson(s.closeRate),
      open: s.open,
      medianDaysToClose: s.medianDaysToClose,
      withoutRate: rateJson(s.withoutRate),
      lift: s.lift,
      rawLift: s.rawLift,
    })),
    holdout: {
      share: r.holdoutShare,
      pitched: rateJson(r.holdout.pitched),
      holdout: rateJson(r.holdout.holdout),
      uplift: r.holdout.uplift,
      rawUplift: r.holdout.rawUplift,
    },
    gate: r.gate,
    ...(explain ? { learning: r.learning } : {}),
  };
}

const CSV_HEADER = [
  'signal_id',
  'signal',
  'group',
  'motion',
  'owner',
  'accounts_with_signal',
  'accounts_with_deal_after',
  'opportunity_rate',
  'opportunity_rate_low',
  'opportunity_rate_high',
  'won',
  'closed',
  'open',
  'close_rate_raw',
  'close_rate',
  'close_rate_low',
  'close_rate_high',
  'median_days_to_close',
  'lift',
  'lift_raw',
];

const r4 = (n: number | null): CsvValue => (n === null ? null : Math.round(n * 10_000) / 10_000);

/** One row per signal and group (all deals, each motion, each owner); names from the CRM pass the CSV guard. */
function renderCsv(r: OutcomesReport): string {
  const rows = r.stats.signals.map((s): CsvValue[] => [
    s.signalId,
    signalName(s.signalId),
    s.group.kind,
    s.group.kind === 'motion' ? MOTION_LABELS[s.group.motion] : null,
    s.group.kind === 'owner' ? (r.owners.get(s.group.ownerId) ?? s.group.ownerId) : null,
    s.opportunityRate.trials,
    s.opportunityRate.successes,
    r4(s.opportunityRate.mean),
    r4(s.opportunityRate.low),
    r4(s.opportunityRate.high),
    s.closeRate.successes,
    s.closeRate.trials,
    s.open,
    r4(s.closeRate.raw),
    r4(s.closeRate.mean),
    r4(s.closeRate.low),
    r4(s.closeRate.high),
    s.medianDaysToClose,
    r4(s.lift),
    r4(s.rawLift),
  ]);
  return toCsv(CSV_HEADER, rows);
}
