import type { Account } from '../model/account.ts';
import type { UsageDay } from '../model/usage.ts';
import { dayNumber, isoDate } from '../scoring/days.ts';
import { drawCollectionGap, drawCustomerSince, gapHides } from './portfolio-history.ts';
import {
  between,
  drawCrmFacts,
  drawTraits,
  eventModel,
  hashString,
  mulberry32,
  OPTIONAL_MODULES,
  shuffle,
  type CompanyTraits,
  type CrmFacts,
  type Random,
} from './portfolio-traits.ts';

export { TEAM_NAMES, TRAIT_SHARES, USAGE_EVENT_KEYS, type CompanyTraits, type CrmFacts } from './portfolio-traits.ts';
export { HISTORY_SHARES } from './portfolio-history.ts';

/**
 * A synthetic customer portfolio for the demo and the benchmark: deterministic from a seed, with a mix
 * of the situations seed 000 describes, and with the scoring defaults every signal of the catalog fires
 * somewhere (see portfolio-traits.ts for the traits and their shares). Companies are a plain array
 * (100,000 of them fit easily); usage is a generator per company, so 10,000 companies x 90 days never
 * sit in memory at once.
 */
export interface PortfolioOptions {
  readonly companies: number;
  readonly days: number;
  /** YYYY-MM-DD, the last usage day. */
  readonly asOf: string;
  readonly seed?: number;
  readonly owners?: number;
}

export type Scenario =
  'seat_pressure' | 'growing' | 'flat' | 'declining' | 'renewal_window' | 'new_account' | 'no_usage';
export type Plan = 'starter' | 'growth' | 'enterprise';

/** CRM-side facts are optional: absent means the CRM does not know (see drawCrmFacts). */
export interface SyntheticCompany extends CrmFacts {
  /** Stable across runs with the same seed: the domain. */
  readonly key: string;
  readonly name: string;
  readonly domain: string;
  readonly ownerIndex: number;
  readonly arr: number;
  readonly licensedSeats: number;
  readonly plan: Plan;
  readonly modulesOwned: readonly string[];
  readonly renewalDate: string;
  /** When it became a customer: new accounts and a few recent converts are still ramping. */
  readonly customerSince: string;
  readonly employees: number;
  readonly scenario: Scenario;
  /** The behaviours its usage shows beyond the scenario: tier graduation, workarounds, teams, power users. */
  readonly traits: CompanyTraits;
}

export const DEMO_OWNERS: ReadonlyArray<{ email: string; firstName: string; lastName: string }> = [
  { email: 'maya.chen@vendor.example', firstName: 'Maya', lastName: 'Chen' },
  { email: 'david.okafor@vendor.example', firstName: 'David', lastName: 'Okafor' },
  { email: 'sofia.reyes@vendor.example', firstName: 'Sofia', lastName: 'Reyes' },
  { email: 'liam.novak@vendor.example', firstName: 'Liam', lastName: 'Novak' },
  { email: 'priya.raman@vendor.example', firstName: 'Priya', lastName: 'Raman' },
];

/**
 * Twenty slots in the stated mix (20% seat pressure, 15% growing, 30% flat, 10% declining, 10% renewal
 * window, 10% new, 5% no usage), shuffled per block of twenty: every portfolio, however small, keeps
 * the mix within one company per scenario of the target.
 */
const SCENARIO_MIX: Record<Scenario, number> = {
  seat_pressure: 4,
  growing: 3,
  flat: 6,
  declining: 2,
  renewal_window: 2,
  new_account: 2,
  no_usage: 1,
};
const SCENARIO_BLOCK: readonly Scenario[] = (Object.keys(SCENARIO_MIX) as Scenario[]).flatMap((s) =>
  Array.from({ length: SCENARIO_MIX[s] }, () => s),
);

const LIST_PRICE: Record<Plan, number> = { starter: 360, growth: 600, enterprise: 900 };
const SEATS: Record<Plan, readonly [number, number]> = { starter: [5, 25], growth: [20, 150], enterprise: [100, 800] };

export function generateCompanies(options: PortfolioOptions): SyntheticCompany[] {
  if (options.companies > MAX_COMPANIES)
    throw new RangeError(
      `at most ${MAX_COMPANIES} synthetic companies have unique names; asked for ${options.companies}`,
    );
  const seed = options.seed ?? 1;
  const random = mulberry32(seed);
  const owners = Math.max(1, options.owners ?? DEMO_OWNERS.length);
  const asOf = dayNumber(options.asOf);
  const companies: SyntheticCompany[] = [];
  let block: Scenario[] = [];
  for (let i = 0; i < options.companies; i += 1) {
    if (i % SCENARIO_BLOCK.length === 0) block = shuffle(SCENARIO_BLOCK, random);
    const scenario = block[i % SCENARIO_BLOCK.length] ?? 'flat';
    companies.push(company({ index: i, scenario, random, seed, owners, asOf }));
  }
  return companies;
}

interface CompanyContext {
  readonly index: number;
  readonly scenario: Scenario;
  readonly random: Random;
  readonly seed: number;
  readonly owners: number;
  readonly asOf: number;
}

function company(context: CompanyContext): SyntheticCompany {
  const { random, scenario } = context;
  const name = companyName(context.index, context.seed);
  const domain = `${name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.example`;
  const draw = random();
  const plan: Plan = draw < 0.35 ? 'starter' : draw < 0.8 ? 'growth' : 'enterprise';
  const [low, high] = SEATS[plan];
  const licensedSeats = between(random, low, high);
  // Customers pay 85-105% of list: discounts are normal.
  const arr = Math.round((licensedSeats * LIST_PRICE[plan] * (0.85 + 0.2 * random())) / 100) * 100;
  const modulesOwned = ['core', ...OPTIONAL_MODULES.filter(() => random() < (plan === 'enterprise' ? 0.6 : 0.35))];
  // Traits and CRM facts come from the company's own stream, so they leave the draws above as they were.
  const own = mulberry32(hashString(domain) ^ context.seed ^ TRAIT_SALT);
  const traits = drawTraits({ scenario, plan, modulesOwned, licensedSeats }, own);
  const ownerIndex = between(random, 0, context.owners - 1);
  const renewal = context.asOf + renewalOffset(scenario, random);
  return {
    key: domain,
    name,
    domain,
    ownerIndex,
    arr,
    licensedSeats,
    plan,
    modulesOwned,
    renewalDate: isoDate(renewal),
    customerSince: drawCustomerSince({ key: domain, seed: context.seed, scenario, asOf: context.asOf, renewal }),
    employees: Math.round(licensedSeats * (1.2 + 2.8 * random())),
    scenario,
    traits,
    ...drawCrmFacts(scenario, context.asOf, own),
  };
}

/** Tells the traits stream apart from the usage stream, which is seeded by the same key and seed. */
const TRAIT_SALT = 0x5bd1e995;

/**
 * Days from asOf to renewal. The scoring's default evaluation window is 90 days (the conversation window
 * 90-120): only the renewal_window scenario lands inside it; of the rest, those at 95-120 days are in the
 * conversation window and the others further out.
 */
function renewalOffset(scenario: Scenario, random: Random): number {
  if (scenario === 'renewal_window') return between(random, 5, 88);
  if (scenario === 'new_account') return between(random, 320, 360);
  return between(random, 95, 420);
}

/**
 * One company's daily usage, oldest first, ending on asOf. Seeded by the portfolio seed and the
 * company's key, so a company's usage does not depend on which other companies were generated.
 */
export function* generateUsage(company: SyntheticCompany, options: PortfolioOptions): Generator<UsageDay> {
  if (company.scenario === 'no_usage') return;
  const random = mulberry32(hashString(company.key) ^ (options.seed ?? 1));
  const asOf = dayNumber(options.asOf);
  const length = company.scenario === 'new_account' ? Math.min(options.days, between(random, 10, 40)) : options.days;
  const shape = shapeFor(company.scenario, { seats: company.licensedSeats, length, random });
  const recentActive = shape.utilization(length - 1) * shape.activeShare(length - 1) * company.licensedSeats;
  const eventsOf = eventModel(company, { length, recentActive, random });
  const gap = drawCollectionGap({ key: company.key, seed: options.seed ?? 1, length });
  for (let t = 0; t < length; t += 1) {
    const day = asOf - (length - 1 - t);
    const [floor, cap] = shape.bounds(t);
    const jitter = random() < 0.3 ? (random() < 0.5 ? -1 : 1) : 0;
    const seatsUsed = Math.min(cap, Math.max(floor, Math.round(shape.utilization(t) * company.licensedSeats) + jitter));
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    const weekend = weekday === 0 || weekday === 6 ? 0.55 : 1;
    const activeUsers = Math.min(
      seatsUsed,
      Math.round(seatsUsed * shape.activeShare(t) * weekend * (0.95 + 0.1 * random())),
    );
    // An uncollected count is left out of the row; the usage behind it still drives the events.
    const usage: UsageDay = { accountKey: company.domain, date: isoDate(day), events: eventsOf(t, activeUsers) };
    if (!gapHides(gap, t, 'activeUsers')) usage.activeUsers = activeUsers;
    if (!gapHides(gap, t, 'seatsUsed')) usage.seatsUsed = seatsUsed;
    yield usage;
  }
}

/** The company as a CRM account, for scoring without a CRM (the benchmark, tests). */
export function syntheticAccount(company: SyntheticCompany): Account {
  return {
    system: 'hubspot',
    id: company.key,
    name: company.name,
    domain: company.domain,
    arr: company.arr,
    licensedSeats: company.licensedSeats,
    plan: company.plan,
    modulesOwned: [...company.modulesOwned],
    renewalDate: company.renewalDate,
    customerSince: company.customerSince,
    employees: company.employees,
    usageKey: company.domain,
    ...crmFactsOf(company),
  };
}

/** The CRM-side facts the company has, and only those: a missing one stays missing. */
function crmFactsOf(company: SyntheticCompany): CrmFacts {
  const facts: { -readonly [K in keyof CrmFacts]: CrmFacts[K] } = {};
  for (const key of CRM_FACT_KEYS) {
    const value = company[key];
    if (value !== undefined) Object.assign(facts, { [key]: value });
  }
  return facts;
}

const CRM_FACT_KEYS = [
  'nps',
  'csat',
  'openEscalations',
  'paymentOverdueDays',
  'championDepartedOn',
  'executiveEngagedOn',
  'headcountGrowth',
] as const satisfies ReadonlyArray<keyof CrmFacts>;

// ---------------------------------------------------------------------------------------------------
// Usage shapes, one per scenario. Seat pressure never dips under 80% once it starts (the scoring's
// default entry threshold); the other scenarios stay under it, so each company shows its scenario.

interface Shape {
  /** Target seats used / licensed on day t (0 = oldest). */
  readonly utilization: (t: number) => number;
  /** Share of used seats active on a weekday. */
  readonly activeShare: (t: number) => number;
  /** Lowest and highest seats used on day t. */
  readonly bounds: (t: number) => readonly [number, number];
}

interface ShapeContext {
  readonly seats: number;
  readonly length: number;
  readonly random: Random;
}

function shapeFor(scenario: Scenario, context: ShapeContext): Shape {
  switch (scenario) {
    case 'seat_pressure':
      return seatPressure(context);
    case 'renewal_window':
      return context.random() < 0.5 ? seatPressure(context) : flat(context);
    case 'growing':
      return growing(context);
    case 'declining':
      return declining(context);
    case 'new_account':
      return ramp(context);
    default:
      return flat(context);
  }
}

const pressureFloor = (seats: number): number => Math.ceil(seats * 0.8 - 1e-9);
const underPressure = (seats: number): readonly [number, number] => [0, pressureFloor(seats) - 1];

/** 55-72% for most of the period, a climb, then 82-95% for the last 2-8 weeks. */
function seatPressure({ seats, length, random }: ShapeContext): Shape {
  const start = length - Math.min(length, between(random, 14, 56));
  const base = 0.55 + 0.17 * random();
  const high = 0.82 + 0.13 * random();
  const share = 0.75 + 0.15 * random();
  return {
    utilization: (t) => (t >= start ? high : base + (0.76 - base) * Math.max(0, (t - (start - 21)) / 21)),
    activeShare: () => share,
    bounds: (t) => (t >= start ? [pressureFloor(seats), seats] : underPressure(seats)),
  };
}

/** Active users up 25-45% a month, ending at 50-74% utilization. */
function growing({ seats, length, random }: ShapeContext): Shape {
  const monthly = 1.25 + 0.2 * random();
  const end = 0.5 + 0.24 * random();
  const share = 0.7 + 0.2 * random();
  return {
    utilization: (t) => end * monthly ** ((t - (length - 1)) / 30),
    activeShare: () => share,
    bounds: () => underPressure(seats),
  };
}

function flat({ seats, length, random }: ShapeContext): Shape {
  const level = 0.35 + 0.37 * random();
  const drift = 0.06 * random() - 0.03;
  const share = 0.7 + 0.2 * random();
  return {
    utilization: (t) => level + (drift * t) / length,
    activeShare: () => share,
    bounds: () => underPressure(seats),
  };
}

/** Activity falls to 30-55% over eight days about a month before asOf; seats are released more slowly. */
function declining({ seats, length, random }: ShapeContext): Shape {
  const before = 0.45 + 0.43 * random();
  const remaining = 0.3 + 0.25 * random();
  const start = length - between(random, 30, 34);
  const share = 0.7 + 0.2 * random();
  const progress = (t: number): number => Math.min(1, Math.max(0, (t - start) / 8));
  const seatFactor = (t: number): number => 1 - ((1 - remaining) / 2) * progress(t);
  const activity = (t: number): number => 1 - (1 - remaining) * progress(t);
  return {
    utilization: (t) => before * seatFactor(t),
    activeShare: (t) => (share * activity(t)) / seatFactor(t),
    bounds: () => [0, seats],
  };
}

/** A new account onboarding: 15-30% of seats in use at first, 40-60% by asOf. */
function ramp({ seats, length, random }: ShapeContext): Shape {
  const from = 0.15 + 0.15 * random();
  const to = 0.4 + 0.2 * random();
  const share = 0.6 + 0.25 * random();
  return {
    utilization: (t) => from + ((to - from) * t) / Math.max(1, length - 1),
    activeShare: () => share,
    bounds: () => underPressure(seats),
  };
}

// ---------------------------------------------------------------------------------------------------
// Names: compound word x industry (48,000 names), then a qualifier for larger portfolios.

const NAME_FIRST = [
  'North',
  'Blue',
  'Iron',
  'Silver',
  'Cedar',
  'Oak',
  'Stone',
  'Bright',
  'Clear',
  'Red',
  'Green',
  'High',
  'Summit',
  'Pine',
  'Maple',
  'River',
  'Lake',
  'Harbor',
  'Golden',
  'Swift',
  'True',
  'Star',
  'Sun',
  'Moon',
  'Frost',
  'Copper',
  'Granite',
  'Willow',
  'Birch',
  'Ash',
  'Elm',
  'Falcon',
  'Eagle',
  'Hawk',
  'Wolf',
  'Fox',
  'Bear',
  'Lion',
  'Coral',
  'Amber',
] as const;
const NAME_SECOND = [
  'wind',
  'peak',
  'wood',
  'field',
  'gate',
  'bridge',
  'gear',
  'water',
  'line',
  'ridge',
  'crest',
  'brook',
  'haven',
  'point',
  'view',
  'mark',
  'path',
  'side',
  'vale',
  'ford',
  'well',
  'light',
  'works',
  'port',
  'land',
  'shore',
  'rock',
  'hill',
  'spring',
  'bay',
] as const;
const INDUSTRY = [
  'Logistics',
  'Analytics',
  'Health',
  'Foods',
  'Robotics',
  'Labs',
  'Systems',
  'Software',
  'Manufacturing',
  'Energy',
  'Financial',
  'Insurance',
  'Media',
  'Retail',
  'Freight',
  'Biotech',
  'Security',
  'Networks',
  'Consulting',
  'Capital',
  'Dynamics',
  'Solutions',
  'Marine',
  'Aerospace',
  'Pharma',
  'Telecom',
  'Construction',
  'Motors',
  'Apparel',
  'Hospitality',
  'Learning',
  'Legal',
  'Payments',
  'Studios',
  'Cloud',
  'Data',
  'Devices',
  'Materials',
  'Outdoor',
  'Travel',
] as const;
const QUALIFIER = [
  '',
  ' Group',
  ' Holdings',
  ' International',
  ' Worldwide',
  ' Collective',
  ' Company',
  ' Corporation',
] as const;
const BASE_NAMES = NAME_FIRST.length * NAME_SECOND.length * INDUSTRY.length;
const MAX_COMPANIES = BASE_NAMES * QUALIFIER.length;
/** Prime and coprime with 48,000, so index -> (index x STEP + offset) mod 48,000 is a bijection: unique names without a lookup set. */
const NAME_STEP = 7919;

function companyName(index: number, seed: number): string {
  const k = ((index % BASE_NAMES) * NAME_STEP + (hashString(String(seed)) % BASE_NAMES)) % BASE_NAMES;
  const first = NAME_FIRST[k % NAME_FIRST.length] ?? '';
  const second = NAME_SECOND[Math.floor(k / NAME_FIRST.length) % NAME_SECOND.length] ?? '';
  const industry = INDUSTRY[Math.floor(k / (NAME_FIRST.length * NAME_SECOND.length))] ?? '';
  return `${first}${second} ${industry}${QUALIFIER[Math.floor(index / BASE_NAMES)] ?? ''}`;
}
