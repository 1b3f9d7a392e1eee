import { isoDate } from '../scoring/days.ts';
import type { Plan, Scenario } from './portfolio.ts';

/**
 * What sets one synthetic company apart beyond its scenario: the behaviours the scoring's signal
 * catalog looks for (tier graduation, workarounds, concentrated activity, teams) and the CRM-side facts
 * (NPS, CSAT, escalations, payments, champion, executive meetings, headcount growth). Drawn from a
 * stream of their own, seeded by the portfolio seed and the company key, so they never shift the draws
 * the contract and the usage make, and a company keeps them however large the portfolio grows.
 */

// ---------------------------------------------------------------------------------------------------
// Seeded randomness: mulberry32 (small, fast, good enough for demo data; never Math.random).

export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a, to seed each company's streams from its key. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

export function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The event vocabulary: the default scoring catalog's plan features, module features and workarounds,
// plus the power-user and team metrics. Team names hold no digits (narratives treat digits as numbers).

export const PLAN_LADDER: readonly Plan[] = ['starter', 'growth', 'enterprise'];
/** The features each plan adds over the plans below it. */
export const PLAN_FEATURES: Readonly<Record<Plan, readonly string[]>> = {
  starter: ['reports', 'dashboards', 'exports'],
  growth: ['scheduled_reports', 'custom_fields', 'sso'],
  enterprise: ['audit_log', 'sandbox', 'custom_roles'],
};
export const OPTIONAL_MODULES = ['reporting', 'automation', 'integrations', 'api'] as const;
export type OptionalModule = (typeof OPTIONAL_MODULES)[number];
/** The event only owners of a module produce. */
export const MODULE_FEATURE: Readonly<Record<OptionalModule, string>> = {
  reporting: 'report_builder',
  automation: 'automations',
  integrations: 'integrations',
  api: 'api_calls',
};
/** The work a module would replace: everyone does a little, a heavy-workaround company a lot. */
export const MODULE_WORKAROUND: Readonly<Partial<Record<OptionalModule, string>>> = {
  reporting: 'exports',
  automation: 'bulk_edits',
  integrations: 'csv_imports',
};
export const TEAM_NAMES = [
  'engineering',
  'marketing',
  'sales',
  'support',
  'finance',
  'operations',
  'product',
  'design',
  'legal',
  'procurement',
] as const;
export const TEAM_PREFIX = 'team_';
export const POWER_USERS_KEY = 'power_users';
export const TOP_DECILE_KEY = 'top_decile_events';

/** Every events key generateUsage can emit, in a fixed order: the usage CSV's event columns. */
export const USAGE_EVENT_KEYS: readonly string[] = [
  ...new Set([
    ...PLAN_LADDER.flatMap((p) => PLAN_FEATURES[p]),
    ...Object.values(MODULE_WORKAROUND),
    ...OPTIONAL_MODULES.map((m) => MODULE_FEATURE[m]),
    POWER_USERS_KEY,
    TOP_DECILE_KEY,
    ...TEAM_NAMES.map((t) => `${TEAM_PREFIX}${t}`),
  ]),
];

// ---------------------------------------------------------------------------------------------------
// Traits.

export interface CompanyTraits {
  /** Features of the next plan up tried over the last 30-45 days (tier graduation); empty for most. */
  readonly exploring: readonly string[];
  /** Unowned modules whose workaround the company leans on: 1-2 events per active user a day. */
  readonly workarounds: readonly OptionalModule[];
  /** The most active tenth of users drive 55-70% of activity (otherwise 25-40%). */
  readonly concentrated: boolean;
  /** Teams using the product throughout, the largest first. */
  readonly teams: readonly string[];
  /** A team that starts using the product 16-22 days before asOf. */
  readonly newTeam?: string;
}

/** Shares of the traits; heavy workarounds are shares of the companies not owning the module. */
export const TRAIT_SHARES = {
  /** Of starter and growth companies. */
  graduation: 0.15,
  workaround: { reporting: 0.15, automation: 0.1, integrations: 0.1 } as Readonly<
    Partial<Record<OptionalModule, number>>
  >,
  concentrated: 0.25,
  /** Of growing companies (seat pressure: seatPressureNewTeam) with at least newTeamMinSeats seats. */
  growingNewTeam: 1,
  seatPressureNewTeam: 0.3,
  newTeamMinSeats: 20,
} as const;

export interface TraitSubject {
  readonly scenario: Scenario;
  readonly plan: Plan;
  readonly modulesOwned: readonly string[];
  readonly licensedSeats: number;
}

const NO_TRAITS: CompanyTraits = { exploring: [], workarounds: [], concentrated: false, teams: [] };

export function drawTraits(subject: TraitSubject, random: Random): CompanyTraits {
  if (subject.scenario === 'no_usage') return NO_TRAITS;
  const rung = PLAN_LADDER.indexOf(subject.plan);
  const next = PLAN_LADDER[rung + 1];
  const exploring =
    next !== undefined && random() < TRAIT_SHARES.graduation
      ? shuffle(PLAN_FEATURES[next], random).slice(0, between(random, 2, 3))
      : [];
  const workarounds = OPTIONAL_MODULES.filter((m) => {
    const share = TRAIT_SHARES.workaround[m];
    return share !== undefined && !subject.modulesOwned.includes(m) && random() < share;
  });
  const concentrated = random() < TRAIT_SHARES.concentrated;
  // Small companies have one team; another team needs enough people to show (about 50 seats each).
  const count = Math.min(between(random, 1, 4), 1 + Math.floor(subject.licensedSeats / 50));
  const newTeamShare =
    subject.scenario === 'growing'
      ? TRAIT_SHARES.growingNewTeam
      : subject.scenario === 'seat_pressure'
        ? TRAIT_SHARES.seatPressureNewTeam
        : 0;
  const hasNewTeam = subject.licensedSeats >= TRAIT_SHARES.newTeamMinSeats && random() < newTeamShare;
  const names = shuffle(TEAM_NAMES, random).slice(0, count + (hasNewTeam ? 1 : 0));
  const newTeam = hasNewTeam ? names.pop() : undefined;
  return { exploring, workarounds, concentrated, teams: names, ...(newTeam === undefined ? {} : { newTeam }) };
}

// ---------------------------------------------------------------------------------------------------
// CRM-side facts. Absent means the CRM does not know; escalations and payments are always known.

export interface CrmFacts {
  readonly nps?: number;
  readonly csat?: number;
  readonly openEscalations?: number;
  readonly paymentOverdueDays?: number;
  readonly championDepartedOn?: string;
  readonly executiveEngagedOn?: string;
  readonly headcountGrowth?: number;
}

export function drawCrmFacts(scenario: Scenario, asOf: number, random: Random): CrmFacts {
  const declining = scenario === 'declining';
  const facts: { -readonly [K in keyof CrmFacts]: CrmFacts[K] } = {};
  // 60% have an NPS response: detractors (2-6) among declining accounts, promoters and passives elsewhere.
  if (random() < 0.6)
    facts.nps = declining ? (random() < 0.85 ? between(random, 2, 6) : between(random, 7, 8)) : between(random, 7, 10);
  if (random() < 0.5) facts.csat = declining ? between(random, 40, 80) : between(random, 72, 98);
  facts.openEscalations = declining ? between(random, 1, 3) : random() < 0.05 ? between(random, 1, 3) : 0;
  facts.paymentOverdueDays = random() < 0.04 ? between(random, 35, 90) : 0;
  // About 5% overall: 30% of declining accounts, 2.5% of the rest.
  if (random() < (declining ? 0.3 : 0.025)) facts.championDepartedOn = isoDate(asOf - between(random, 1, 90));
  if (random() < 0.2) facts.executiveEngagedOn = isoDate(asOf - between(random, 0, 59));
  if (random() < 0.3) facts.headcountGrowth = Math.round((-0.05 + 0.5 * random()) * 100) / 100;
  return facts;
}

// ---------------------------------------------------------------------------------------------------
// A company's daily events: features per active user, graduation, teams and power users.

/** Events per active user per day: [low, high). Normal use of the workarounds stays under 5 a user a week. */
const PER_USER: Readonly<Record<string, readonly [number, number]>> = {
  reports: [2, 6],
  dashboards: [1, 4],
  exports: [0.1, 0.5],
  scheduled_reports: [0.2, 1],
  custom_fields: [0.5, 2],
  sso: [0.3, 1],
  audit_log: [0.1, 0.5],
  sandbox: [0.05, 0.3],
  custom_roles: [0.02, 0.1],
  bulk_edits: [0.05, 0.3],
  csv_imports: [0.02, 0.15],
  report_builder: [0.3, 1.5],
  automations: [0.5, 3],
  integrations: [0.3, 2],
  api_calls: [20, 200],
};
/** A heavy workaround: 7-14 events per active user a week, over the scoring's default of 5. */
const HEAVY_PER_USER: readonly [number, number] = [1, 2];

export interface EventSubject {
  readonly plan: Plan;
  readonly modulesOwned: readonly string[];
  readonly traits: CompanyTraits;
}

export interface EventContext {
  /** Days of usage; day 0 is the oldest. */
  readonly length: number;
  /** Active users on a weekday near asOf, to size a new team. */
  readonly recentActive: number;
  readonly random: Random;
}

/** Day t's events for a company with `activeUsers` active that day. One object per call, nothing else. */
export type EventsOfDay = (t: number, activeUsers: number) => Record<string, number>;

export function eventModel(company: EventSubject, context: EventContext): EventsOfDay {
  const { random, length } = context;
  const rates = featureRates(company, random);
  const exploring = company.traits.exploring;
  const exploreFrom = Math.max(0, length - between(random, 30, 45));
  const powerShare = 0.04 + 0.11 * random();
  const topShare = company.traits.concentrated ? 0.55 + 0.15 * random() : 0.25 + 0.15 * random();
  const splitTeams = teamSplitter(company.traits, context);
  return (t, activeUsers) => {
    const events: Record<string, number> = {};
    let total = 0;
    for (const [feature, perUser] of rates) {
      const n = Math.round(activeUsers * perUser * (0.8 + 0.4 * random()));
      events[feature] = n;
      total += n;
    }
    if (t >= exploreFrom) {
      for (const feature of exploring) {
        const n = activeUsers > 0 ? between(random, 1, 4) : 0;
        events[feature] = n;
        total += n;
      }
    }
    splitTeams(events, t, activeUsers);
    events[POWER_USERS_KEY] = Math.round(activeUsers * powerShare);
    events[TOP_DECILE_KEY] = Math.round(total * topShare);
    return events;
  };
}

/** The plan's features and the ones below, the workaround events, and the features of owned modules. */
function featureRates(company: EventSubject, random: Random): Array<[string, number]> {
  const rung = PLAN_LADDER.indexOf(company.plan);
  const owned = OPTIONAL_MODULES.filter((m) => company.modulesOwned.includes(m));
  const heavy = new Set(company.traits.workarounds.map((m) => MODULE_WORKAROUND[m]));
  const names = new Set([
    ...PLAN_LADDER.slice(0, rung + 1).flatMap((p) => PLAN_FEATURES[p]),
    ...Object.values(MODULE_WORKAROUND),
    ...owned.map((m) => MODULE_FEATURE[m]),
  ]);
  return [...names].map((name) => {
    const [low, high] = heavy.has(name) ? HEAVY_PER_USER : (PER_USER[name] ?? [0, 0]);
    return [name, low + (high - low) * random()];
  });
}

/**
 * Splits the day's active users across the company's teams (metrics `team_<name>`, written only for a
 * team with someone active). A new team takes its share from the day it starts, with about 3.5 active
 * users on a weekday, so it clears the scoring's default of 2 a day over the recent window.
 */
function teamSplitter(
  traits: CompanyTraits,
  context: EventContext,
): (events: Record<string, number>, t: number, activeUsers: number) => void {
  const { random, length } = context;
  const first = traits.teams[0] === undefined ? undefined : `${TEAM_PREFIX}${traits.teams[0]}`;
  const others = traits.teams
    .slice(1)
    .map((name): [string, number] => [`${TEAM_PREFIX}${name}`, 0.15 + 0.15 * random()]);
  const sum = others.reduce((s, [, share]) => s + share, 0);
  if (sum > 0.6) for (const other of others) other[1] *= 0.6 / sum;
  const fresh =
    traits.newTeam === undefined
      ? undefined
      : {
          key: `${TEAM_PREFIX}${traits.newTeam}`,
          from: Math.max(0, length - between(random, 16, 22)),
          share: Math.min(0.5, Math.max(0.12 + 0.08 * random(), 3.5 / Math.max(1, context.recentActive))),
        };
  return (events, t, activeUsers) => {
    let rest = activeUsers;
    if (fresh !== undefined && t >= fresh.from) {
      const n = Math.min(rest, Math.round(activeUsers * fresh.share));
      if (n > 0) events[fresh.key] = n;
      rest -= n;
    }
    let left = rest;
    for (const [key, share] of others) {
      const n = Math.min(left, Math.round(rest * share));
      if (n > 0) events[key] = n;
      left -= n;
    }
    if (first !== undefined && left > 0) events[first] = left;
  };
}
