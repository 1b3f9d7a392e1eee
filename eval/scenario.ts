import { AccountSchema, type Account } from '../src/model/account.ts';
import { daysAgo, daysAhead } from './calendar.ts';
import { BOOK_MODULES, BOOK_PLANS, PLANS, type ModuleId, type PlanName } from './catalog.ts';
import { between, createRandom, pick, seedFor } from './prng.ts';

/** Utilization band over days [to..from] before asOf; later bands override earlier ones. */
export interface SeatBand {
  readonly from: number;
  readonly to: number;
  readonly low: number;
  readonly high: number;
}
/** `total` events of `feature` spread over the observed days [to..from] before asOf. */
export interface Extra {
  readonly feature: string;
  readonly from: number;
  readonly to: number;
  readonly total: number;
}

/** How one account's daily usage is built. Day offsets count back from asOf (0 = asOf). */
export interface UsageSpec {
  /** Licensed seats the utilization bands are applied to (even when the CRM field is left out). */
  readonly licensed: number;
  readonly historyDays: number;
  readonly lastRowDaysAgo: number;
  /** Weekday active users before the last trend window; weekends run at half. */
  readonly users: number;
  /** Relative change of active users in the last 28 days (0.3 = +30%). */
  readonly usersChange: number;
  /** Relative change of events per active user in the last 28 days. */
  readonly eventsPerUserChange: number;
  readonly seatBase: readonly [number, number];
  readonly seatBands: readonly SeatBand[];
  /** Events per active user per day, by feature. */
  readonly mix: Readonly<Record<string, number>>;
  readonly extras: readonly Extra[];
  readonly weekendRows: boolean;
  /** [from, to] days before asOf without any row. */
  readonly outages: readonly (readonly [number, number])[];
  /** Leave seatsUsed (activeUsers) out of every n-th day; 0 = never. */
  readonly seatsMissingEvery: number;
  readonly usersMissingEvery: number;
  /** Emit the power-user and team metrics at all. */
  readonly metrics: boolean;
  readonly powerUsers: boolean;
  readonly newTeam: boolean;
}

export interface Scenario {
  readonly id: string;
  readonly archetype: string;
  /** Hand-written: what was built and why, citing the seed rule. */
  readonly note: string;
  readonly account: Account;
  readonly usage: UsageSpec;
  /** Built as a copy of this module's adopters' profile (same plan, size and feature mix). */
  readonly adopterLike?: ModuleId;
}

type CrmFields = Pick<
  Account,
  | 'nps'
  | 'csat'
  | 'openEscalations'
  | 'paymentOverdueDays'
  | 'championDepartedOn'
  | 'executiveEngagedOn'
  | 'headcountGrowth'
  | 'renewalDate'
  | 'customerSince'
  | 'employees'
>;
export type OptionalField = keyof CrmFields | 'plan' | 'licensedSeats' | 'arr' | 'domain';

/** What an archetype writes; buildScenario fills the rest with a quiet, healthy default account. */
export interface Draft {
  readonly id: string;
  readonly archetype: string;
  readonly note: string;
  readonly plan?: PlanName;
  readonly seats?: number;
  readonly modules?: readonly ModuleId[];
  /** 'crunch': sustained 84-92% utilization (onset at the trend window when usage grows). */
  readonly seat?: 'crunch' | 'none';
  readonly crm?: Partial<CrmFields>;
  readonly absent?: readonly OptionalField[];
  readonly usage?: Partial<UsageSpec>;
  readonly mixAdd?: Readonly<Record<string, number>>;
  readonly adopterLike?: ModuleId;
}

export type Trait = (draft: Draft) => Draft;
export const compose = (draft: Draft, ...traits: readonly Trait[]): Draft => traits.reduce((d, t) => t(d), draft);
export const withUsage = (draft: Draft, usage: Partial<UsageSpec>): Draft => ({
  ...draft,
  usage: { ...draft.usage, ...usage },
});
export const withCrm = (draft: Draft, crm: Partial<CrmFields>): Draft => ({ ...draft, crm: { ...draft.crm, ...crm } });
export const withMix = (draft: Draft, mix: Readonly<Record<string, number>>): Draft => ({
  ...draft,
  mixAdd: { ...draft.mixAdd, ...mix },
});

/** A quiet account's feature mix: events per active user per day, adjacent features well under 1 a week. */
const PLAN_MIX: Readonly<Record<PlanName, Readonly<Record<string, number>>>> = {
  starter: { reports: 1.6, dashboards: 0.03, exports: 0.12, bulk_edits: 0.1, csv_imports: 0.05 },
  growth: { scheduled_reports: 0.02, custom_fields: 0.04, sso: 0.03 },
  enterprise: { audit_log: 0.3, sandbox: 0.1, custom_roles: 0.05 },
};
const MODULE_RATE: Readonly<Record<ModuleId, number>> = { reporting: 0.8, automation: 0.6, integrations: 0.5, api: 2 };
const OWNERS = 24;

function baseMix(draft: Draft): Record<string, number> {
  const rung = PLANS.indexOf(draft.plan ?? 'starter');
  const mix: Record<string, number> = {};
  for (const p of PLANS.slice(0, rung + 1)) Object.assign(mix, PLAN_MIX[p]);
  for (const m of draft.modules ?? []) mix[BOOK_MODULES[m].feature] = MODULE_RATE[m];
  for (const [feature, rate] of Object.entries(draft.mixAdd ?? {})) mix[feature] = rate;
  return mix;
}

function seatDesign(draft: Draft): Pick<UsageSpec, 'seatBase' | 'seatBands'> {
  const growing = (draft.usage?.usersChange ?? 0) >= 0.2;
  // Seats move with users: a growing account reaches its crunch (or its new level) as the last window opens.
  const [before, after]: [readonly [number, number], readonly [number, number]] =
    draft.seat === 'crunch'
      ? [growing ? [0.62, 0.7] : [0.84, 0.92], [0.84, 0.92]]
      : [growing ? [0.45, 0.53] : [0.55, 0.65], [0.6, 0.7]];
  const bands = growing ? [{ from: 27, to: 0, low: after[0], high: after[1] }] : [];
  return { seatBase: before, seatBands: bands };
}

function buildUsage(draft: Draft, seats: number, jitter: () => number): UsageSpec {
  const mix = baseMix(draft);
  for (const feature of Object.keys(mix)) mix[feature] = (mix[feature] ?? 0) * jitter();
  const design = seatDesign(draft);
  const mid = (design.seatBase[0] + design.seatBase[1]) / 2;
  return {
    licensed: seats,
    historyDays: 120,
    lastRowDaysAgo: 0,
    users: Math.max(4, Math.round(seats * mid * 0.75)),
    usersChange: 0,
    eventsPerUserChange: 0,
    ...design,
    mix,
    extras: [],
    weekendRows: true,
    outages: [],
    seatsMissingEvery: 0,
    usersMissingEvery: 0,
    metrics: true,
    powerUsers: false,
    newTeam: false,
    ...draft.usage,
  };
}

export function buildScenario(draft: Draft, index: number): Scenario {
  const random = createRandom(seedFor(`account:${draft.id}`));
  const plan = draft.plan ?? 'growth';
  const seats = draft.seats ?? 40;
  const usage = buildUsage({ ...draft, plan }, seats, () => between(random, 0.92, 1.08));
  const fields: Record<string, unknown> = {
    system: index % 2 === 0 ? 'hubspot' : 'salesforce',
    id: `acct-${draft.id}`,
    name: `Book ${draft.id}`,
    domain: `${draft.id}.example`,
    ownerId: `owner-${index % OWNERS}`,
    arr: seats * BOOK_PLANS[plan].seatPrice,
    licensedSeats: seats,
    plan,
    modulesOwned: [...(draft.modules ?? [])],
    renewalDate: daysAhead(180 + Math.floor(random() * 150)),
    customerSince: daysAgo(400 + Math.floor(random() * 900)),
    employees: seats * pick([3, 4, 5], index),
    headcountGrowth: 0.04,
    nps: pick([8, 9, 10], index),
    csat: 85 + Math.floor(random() * 12),
    openEscalations: 0,
    paymentOverdueDays: 0,
    executiveEngagedOn: daysAgo(150 + Math.floor(random() * 100)),
    usageKey: `acct-${draft.id}`,
    ...draft.crm,
  };
  for (const field of draft.absent ?? []) delete fields[field];
  return {
    id: draft.id,
    archetype: draft.archetype,
    note: draft.note,
    account: AccountSchema.parse(fields),
    usage,
    ...(draft.adopterLike === undefined ? {} : { adopterLike: draft.adopterLike }),
  };
}
