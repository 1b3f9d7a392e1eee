import type { Account } from '../model/account.ts';
import type { ScoringConfig } from './config.ts';
import { daysBetween, mean, type Day } from './days.ts';

/**
 * The normalised usage features cross-sell affinity matches accounts on. One dimension per catalog
 * event (plan features, module features, workaround events: events per active user per day over the
 * trend window, log-scaled so one heavy account does not dominate), plus seat utilization, size and plan
 * rung. Fixed by the config, so every account's vector lines up.
 */
export interface FeatureSpace {
  readonly names: readonly string[];
  /** Dimensions to leave out when matching for a module: that module's own features (only owners have them). */
  readonly excludedFor: ReadonlyMap<string, readonly number[]>;
}

export function featureSpace(config: ScoringConfig): FeatureSpace {
  const events = new Set<string>();
  for (const plan of config.catalog.plans) for (const f of plan.features) events.add(f);
  for (const module of config.catalog.modules) for (const f of [...module.features, ...module.workarounds]) events.add(f);
  const names = [...[...events].sort().map((e) => `events.${e}`), 'seat_utilization', 'licensed_seats_log', 'plan_rung', 'active_users_log'];
  const excludedFor = new Map<string, number[]>();
  for (const module of config.catalog.modules) {
    excludedFor.set(module.id, module.features.map((f) => names.indexOf(`events.${f}`)).filter((i) => i >= 0));
  }
  return { names, excludedFor };
}

/** An account as affinity sees it: its raw feature vector and what it owns. */
export interface AffinityProfile {
  readonly accountId: string;
  readonly modulesOwned: ReadonlySet<string>;
  /** Raw (not yet normalised) values in FeatureSpace order; NaN where an input is missing. */
  readonly vector: Float64Array;
}

export function affinityProfile(input: { readonly account: Account; readonly days: readonly Day[]; readonly asOf: number; readonly config: ScoringConfig; readonly space: FeatureSpace }): AffinityProfile {
  const { account, config, space } = input;
  const recent = daysBetween(input.days, input.asOf - config.trend.windowDays + 1, input.asOf);
  const vector = new Float64Array(space.names.length).fill(Number.NaN);
  const activeDays = recent.reduce((sum, d) => sum + d.activeUsers, 0);
  space.names.forEach((name, i) => {
    if (!name.startsWith('events.') || recent.length === 0) return;
    const event = name.slice('events.'.length);
    let total = 0;
    for (const d of recent) total += d.events[event] ?? 0;
    vector[i] = activeDays > 0 ? Math.log1p(total / activeDays) : 0;
  });
  const licensed = account.licensedSeats;
  const latest = input.days.at(-1);
  const at = (name: string): number => space.names.indexOf(name);
  if (licensed !== undefined && licensed > 0 && latest !== undefined) vector[at('seat_utilization')] = latest.seatsUsed / licensed;
  if (licensed !== undefined) vector[at('licensed_seats_log')] = Math.log1p(licensed);
  const rung = config.catalog.plans.findIndex((p) => p.name === account.plan?.trim().toLowerCase());
  if (rung >= 0) vector[at('plan_rung')] = rung / Math.max(1, config.catalog.plans.length - 1);
  if (recent.length > 0) vector[at('active_users_log')] = Math.log1p(mean(recent.map((d) => d.activeUsers)));
  return { accountId: account.id, modulesOwned: new Set(account.modulesOwned.map((m) => m.trim().toLowerCase())), vector };
}
