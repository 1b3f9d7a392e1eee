import { daysAgo, daysAhead } from './calendar.ts';
import { BOOK_MODULES, higherPlanFeatures, type ModuleId } from './catalog.ts';
import { withCrm, withMix, withUsage, type Extra, type Trait } from './scenario.ts';

/** Building blocks the archetype files compose: each adds one thing a seed rule reads. */
export const seatCrunch: Trait = (d) => ({ ...d, seat: 'crunch' });

/** Active users (and, with them, events) up in the last 28 days: +32% by default. */
export const usageGrowth =
  (change = 0.32): Trait =>
  (d) =>
    withUsage(d, { usersChange: change });

/** More events per user with flat users: growth in events only. */
export const eventsGrowth =
  (change = 0.4): Trait =>
  (d) =>
    withUsage(d, { eventsPerUserChange: change });

export const decline =
  (change: number): Trait =>
  (d) =>
    withUsage(d, { usersChange: change });

/** Feature graduation candidates that stay out of every module's adjacent features where possible. */
const GATED: Readonly<Record<string, readonly string[]>> = {
  starter: ['custom_fields', 'sso', 'scheduled_reports'],
  growth: ['audit_log', 'sandbox', 'custom_roles'],
};

/** Higher-plan features explored `count` times each over the last 24 days (2 features by default). */
export const graduation =
  (count = 10, features = 2): Trait =>
  (d) => {
    const plan = d.plan ?? 'growth';
    const gated = (GATED[plan] ?? higherPlanFeatures(plan)).slice(0, features);
    const extras: Extra[] = gated.map((feature) => ({ feature, from: 24, to: 2, total: count }));
    return withUsage(d, { extras: [...(d.usage?.extras ?? []), ...extras] });
  };

/** Stray clicks: a few events of gated features, under the 5 that count as explored. */
export const strayClicks = (count = 3): Trait => graduation(count, 3);

/** Heavy use of what a module would replace: 1.6 events per active user a day (about 11 a week). */
export const workaround =
  (module: ModuleId, perDay = 1.6): Trait =>
  (d) => {
    const feature = BOOK_MODULES[module].workaround;
    return feature === undefined ? d : withMix(d, { [feature]: perDay });
  };

export const headcount =
  (growth = 0.3): Trait =>
  (d) =>
    withCrm(d, { headcountGrowth: growth });
export const powerUsers: Trait = (d) => withUsage(d, { powerUsers: true });
export const newTeam: Trait = (d) => withUsage(d, { newTeam: true });
export const executive =
  (days = 30): Trait =>
  (d) =>
    withCrm(d, { executiveEngagedOn: daysAgo(days) });
export const renewalIn =
  (days: number): Trait =>
  (d) =>
    withCrm(d, { renewalDate: daysAhead(days) });
export const customerFor =
  (days: number): Trait =>
  (d) =>
    withCrm(d, { customerSince: daysAgo(days) });

export type Support = 'headcount' | 'power' | 'team' | 'exec';
export const SUPPORTS: readonly Support[] = ['headcount', 'power', 'team', 'exec'];
const SUPPORT_TRAITS: Readonly<Record<Support, Trait>> = {
  headcount: headcount(),
  power: powerUsers,
  team: newTeam,
  exec: executive(),
};
export const supportTrait = (kind: Support): Trait => SUPPORT_TRAITS[kind];
