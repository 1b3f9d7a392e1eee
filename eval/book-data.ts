import { pick } from './prng.ts';
import { compose, withCrm, withUsage, type Draft, type OptionalField, type Trait, type UsageSpec } from './scenario.ts';
import { customerFor, graduation, headcount, renewalIn, seatCrunch, usageGrowth, workaround } from './traits.ts';

/** Missing and partial data, new customers and renewal timing. */

const usage =
  (spec: Partial<UsageSpec>): Trait =>
  (d) =>
    withUsage(d, spec);
const absent =
  (...fields: OptionalField[]): Trait =>
  (d) => ({ ...d, absent: [...(d.absent ?? []), ...fields] });
const sparse = absent(
  'nps',
  'csat',
  'openEscalations',
  'paymentOverdueDays',
  'renewalDate',
  'customerSince',
  'headcountGrowth',
  'employees',
  'executiveEngagedOn',
  'arr',
  'domain',
);
const ramping = (days: number): Trait[] => [customerFor(days), usage({ historyDays: days })];

interface Case {
  readonly id: string;
  readonly traits: readonly Trait[];
  readonly note: string;
  readonly plan?: Draft['plan'];
  readonly seats?: number;
}
const c = (id: string, traits: readonly Trait[], note: string, more: Pick<Case, 'plan' | 'seats'> = {}): Case => ({
  id,
  traits,
  note,
  ...more,
});

const drafts = (archetype: string, cases: readonly Case[]): Draft[] =>
  cases.map((k, i) =>
    compose(
      {
        id: k.id,
        archetype,
        note: k.note,
        plan: k.plan ?? pick(['growth', 'starter', 'enterprise'], i),
        seats: k.seats ?? pick([40, 64, 30, 120], i),
      },
      ...k.traits,
    ),
  );

function missingData(): Draft[] {
  return drafts('missing data', [
    c(
      'sparse-crm-crunch',
      [seatCrunch, sparse],
      'no NPS, CSAT, escalations, payment, renewal or tenure: missing is not risk',
    ),
    c('sparse-crm-graduation', [graduation(), sparse], 'sparse CRM record, tier graduation in usage (seed 004)', {
      plan: 'starter',
    }),
    c('sparse-crm-quiet', [sparse], 'sparse CRM record, steady usage, no signal (seed 000 yellow light)'),
    c(
      'no-plan-crunch',
      [seatCrunch, absent('plan')],
      'plan field empty: the crunch is sized at the default seat price',
    ),
    c('no-plan-gated', [graduation(), absent('plan')], 'plan empty, enterprise features used: no plan, no graduation', {
      plan: 'growth',
    }),
    c(
      'no-license-crunch',
      [seatCrunch, absent('licensedSeats')],
      'licensed seats missing: no utilization, no seat add',
    ),
    c(
      'no-license-growth',
      [usageGrowth(), absent('licensedSeats')],
      'licensed seats missing, usage +32% (seed 000 growth)',
    ),
    c(
      'seats-gaps-crunch',
      [seatCrunch, usage({ seatsMissingEvery: 7 })],
      'seatsUsed missing one day a week in a crunch: not a dip',
    ),
    c('seats-gaps-crunch-b', [seatCrunch, usage({ seatsMissingEvery: 5 })], 'seatsUsed missing one day in five', {
      seats: 50,
    }),
    c(
      'users-gaps-growth',
      [usageGrowth(), usage({ usersMissingEvery: 6 })],
      'activeUsers missing one day in six; usage +32%',
    ),
    c('users-gaps-quiet', [usage({ usersMissingEvery: 4 })], 'activeUsers missing one day in four; steady, no signal'),
    c(
      'outage-3d-crunch',
      [seatCrunch, usage({ outages: [[9, 7]] })],
      'a 3-day outage inside a crunch: gaps up to 3 days allowed',
    ),
    c(
      'outage-5d-old-growth',
      [usageGrowth(), usage({ outages: [[70, 66]] })],
      'a 5-day outage two months back; usage +32%',
    ),
    c(
      'outage-5d-crunch-rebuilt',
      [seatCrunch, usage({ outages: [[20, 16]] })],
      'a 5-day outage 16-20 days back, crunch since',
    ),
    c(
      'weekdays-crunch',
      [seatCrunch, usage({ weekendRows: false })],
      'no rows on weekends (weekday export), crunch throughout',
    ),
    c('weekdays-growth', [usageGrowth(), usage({ weekendRows: false })], 'no rows on weekends, usage +32%'),
    c('weekdays-quiet', [usage({ weekendRows: false })], 'no rows on weekends, steady, no signal'),
    c('weekdays-graduation', [graduation(), usage({ weekendRows: false })], 'no weekend rows, tier graduation', {
      plan: 'starter',
    }),
    c(
      'stale-crunch',
      [seatCrunch, usage({ lastRowDaysAgo: 10 })],
      'latest usage 10 days old: seat signal not evaluated',
    ),
    c(
      'stale-growth',
      [usageGrowth(0.45), usage({ lastRowDaysAgo: 10 })],
      'latest usage 10 days old, usage +45% over what there is',
    ),
    c('no-metrics-crunch', [seatCrunch, usage({ metrics: false })], 'no power-user or team metrics collected; crunch'),
    c(
      'no-metrics-workaround',
      [workaround('integrations'), usage({ metrics: false })],
      'no metrics; heavy CSV imports (seed 001)',
    ),
  ]);
}

function newAccounts(): Draft[] {
  return drafts('new account', [
    c(
      'ramping-thin-crunch',
      [seatCrunch, ...ramping(35)],
      'customer for 35 days, crunch since day one (seed 003 3+ months)',
    ),
    c('ramping-thin-graduation', [graduation(), ...ramping(35)], 'customer for 35 days exploring the next tier', {
      plan: 'starter',
    }),
    c('ramping-thin-quiet', ramping(30), 'customer for 30 days, steady'),
    c(
      'ramping-growth-crunch',
      [usageGrowth(), seatCrunch, ...ramping(70)],
      'customer for 70 days, growth and a crunch: ramping',
    ),
    c(
      'ramping-workaround',
      [workaround('reporting'), ...ramping(75)],
      'customer for 75 days, heavy exports: identified, not pitched',
    ),
    c('ramping-quiet', ramping(80), 'customer for 80 days, steady'),
    c(
      'ramping-graduation-headcount',
      [graduation(), headcount(), ...ramping(65)],
      'customer for 65 days, graduation, hiring',
      {
        plan: 'starter',
      },
    ),
    c(
      'thin-old-crunch',
      [seatCrunch, usage({ historyDays: 25 })],
      'analytics connected 25 days ago on an old customer; crunch',
    ),
    c('thin-old-quiet', [usage({ historyDays: 20 })], 'analytics connected 20 days ago on an old customer, steady'),
    c(
      'thin-old-workaround',
      [workaround('automation'), usage({ historyDays: 30 })],
      'analytics 30 days old, heavy bulk edits',
    ),
  ]);
}

function renewals(): Draft[] {
  const nps5: Trait = (d) => withCrm(d, { nps: 5 });
  return drafts('renewal', [
    c(
      'renewal-60-crunch',
      [seatCrunch, renewalIn(60)],
      'renewal in 60 days with a crunch: mid-evaluation, hold (seed 000)',
    ),
    c(
      'renewal-30-growth-graduation',
      [usageGrowth(), graduation(), renewalIn(30)],
      'renewal in 30 days, growth, graduation',
      {
        plan: 'starter',
      },
    ),
    c(
      'renewal-75-workaround',
      [workaround('integrations'), renewalIn(75)],
      'renewal in 75 days, heavy CSV imports: hold',
    ),
    c('renewal-45-quiet', [renewalIn(45)], 'renewal in 45 days, steady: hold'),
    c(
      'renewal-90-crunch',
      [seatCrunch, renewalIn(90)],
      'renewal in exactly 90 days: inside the evaluation window, hold',
    ),
    c('renewal-50-risk', [seatCrunch, renewalIn(50), nps5], 'renewal in 50 days and NPS 5: hold'),
    c(
      'renewal-20-growth-crunch',
      [usageGrowth(), seatCrunch, renewalIn(20)],
      'renewal in 20 days, growth and a crunch: hold',
    ),
    c(
      'renewal-120-graduation',
      [graduation(), renewalIn(120)],
      'renewal in 120 days: talk now (seed 003 90-120 days)',
      {
        plan: 'starter',
      },
    ),
    c('renewal-122-graduation', [graduation(), renewalIn(122)], 'renewal in 122 days: outside the window, one signal', {
      plan: 'starter',
    }),
    c(
      'renewal-92-workaround',
      [workaround('reporting'), renewalIn(92)],
      'renewal in 92 days, heavy exports (seed 003 window)',
    ),
  ]);
}

export function dataDrafts(): Draft[] {
  return [...missingData(), ...newAccounts(), ...renewals()];
}
