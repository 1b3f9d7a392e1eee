import type { Account } from '../model/account.ts';
import type { ScoringConfig } from './config.ts';
import { collected, daysBetween, type Day } from './days.ts';

/**
 * The normalized usage features cross-sell affinity matches accounts on: behavior only. One dimension
 * per catalog event (plan features, module features, workaround events: events per active user per day
 * over the trend window, log-scaled so one heavy account does not dominate), plus seat utilization.
 * Plan and size are left out on purpose: they decide which accounts are comparable (the adoption rate
 * lift is measured against), and as features they made every large top-plan account look like an
 * adopter of every module. Fixed by the config, so every account's vector lines up.
 */
export interface FeatureSpace {
  readonly names: readonly string[];
  /** Dimensions to leave out when matching for a module: that module's own features (only owners have them). */
  readonly excludedFor: ReadonlyMap<string, readonly number[]>;
  /** Dimensions of each module's adjacent features: the milestone adopters reached before buying. */
  readonly adjacentFor: ReadonlyMap<string, readonly number[]>;
}

export function featureSpace(config: ScoringConfig): FeatureSpace {
  const events = new Set<string>();
  for (const plan of config.catalog.plans) for (const f of plan.features) events.add(f);
  for (const module of config.catalog.modules)
    for (const f of [...module.features, ...module.workarounds, ...module.adjacent]) events.add(f);
  const names = [...[...events].sort().map((e) => `events.${e}`), 'seat_utilization'];
  const excludedFor = new Map<string, number[]>();
  for (const module of config.catalog.modules) {
    excludedFor.set(
      module.id,
      module.features.map((f) => names.indexOf(`events.${f}`)).filter((i) => i >= 0),
    );
  }
  const adjacentFor = new Map(
    config.catalog.modules.map((m) => [
      m.id,
      m.adjacent.map((f) => names.indexOf(`events.${f}`)).filter((i) => i >= 0),
    ]),
  );
  return { names, excludedFor, adjacentFor };
}

/** An account as affinity sees it: its raw feature vector, what it owns, and what makes accounts comparable. */
export interface AffinityProfile {
  readonly accountId: string;
  readonly modulesOwned: ReadonlySet<string>;
  /** Plan (lowercase) and size band: accounts sharing both are comparable. */
  readonly plan: string | undefined;
  readonly sizeBand: number | undefined;
  /** Raw (not yet normalised) values in FeatureSpace order; NaN where an input is missing. */
  readonly vector: Float64Array;
}

export function affinityProfile(input: {
  readonly account: Account;
  readonly days: readonly Day[];
  readonly asOf: number;
  readonly config: ScoringConfig;
  readonly space: FeatureSpace;
}): AffinityProfile {
  const { account, config, space } = input;
  const recent = daysBetween(input.days, input.asOf - config.trend.windowDays + 1, input.asOf);
  const vector = new Float64Array(space.names.length).fill(Number.NaN);
  const activeDays = collected(recent, (d) => d.activeUsers).reduce((sum, n) => sum + n, 0);
  space.names.forEach((name, i) => {
    if (!name.startsWith('events.') || recent.length === 0) return;
    const event = name.slice('events.'.length);
    let total = 0;
    for (const d of recent) total += d.events[event] ?? 0;
    vector[i] = activeDays > 0 ? Math.log1p(total / activeDays) : 0;
  });
  const licensed = account.licensedSeats;
  const latest = input.days.findLast((d) => d.seatsUsed !== undefined)?.seatsUsed;
  const at = (name: string): number => space.names.indexOf(name);
  if (licensed !== undefined && licensed > 0 && latest !== undefined)
    vector[at('seat_utilization')] = latest / licensed;
  return {
    accountId: account.id,
    modulesOwned: new Set(account.modulesOwned.map((m) => m.trim().toLowerCase())),
    plan: account.plan?.trim().toLowerCase(),
    sizeBand: sizeBandOf(licensed, config.crossSell.sizeBandFactor),
    vector,
  };
}

/** The account's use of a module's adjacent features: the mean of their raw dimensions; undefined without usage. */
export function adjacentScore(vector: Float64Array, dims: readonly number[]): number | undefined {
  if (dims.length === 0) return undefined;
  let sum = 0;
  for (const i of dims) {
    const v = vector[i] ?? Number.NaN;
    if (Number.isNaN(v)) return undefined;
    sum += v;
  }
  return sum / dims.length;
}

/** Licensed seats in bands of sizeBandFactor (1, 2-3, 4-7, ... for a factor of 2); undefined without seats. */
export function sizeBandOf(licensed: number | undefined, factor: number): number | undefined {
  if (licensed === undefined || licensed <= 0) return undefined;
  return Math.floor(Math.log(licensed) / Math.log(factor) + 1e-9);
}
