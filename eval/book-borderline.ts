import { daysAgo } from './calendar.ts';
import { pick } from './prng.ts';
import { compose, withCrm, withUsage, type Draft, type SeatBand, type Trait } from './scenario.ts';
import {
  customerFor,
  decline,
  eventsGrowth,
  executive,
  graduation,
  headcount,
  seatCrunch,
  strayClicks,
  usageGrowth,
  workaround,
} from './traits.ts';

/** Cases that sit near a rule on purpose: the label says which side of the line they are on and why. */

const bands =
  (...list: SeatBand[]): Trait =>
  (d) =>
    withUsage(d, { seatBands: [...(d.usage?.seatBands ?? []), ...list] });
const seatBase =
  (low: number, high: number): Trait =>
  (d) =>
    withUsage(d, { seatBase: [low, high] });
const crm =
  (fields: Parameters<typeof withCrm>[1]): Trait =>
  (d) =>
    withCrm(d, fields);
const day = (k: number, low: number, high: number): SeatBand => ({ from: k, to: k, low, high });
const SIZES = [40, 50, 64, 30] as const;
const CRUNCH_60: SeatBand = { from: 60, to: 0, low: 0.85, high: 0.9 };

function crunchEdges(): Draft[] {
  const dips = SIZES.map((seats, i) =>
    compose(
      {
        id: `crunch-dip-${i}`,
        archetype: 'borderline: crunch with dips',
        plan: pick(['growth', 'starter'], i),
        seats,
        note: 'crunch at 85-90% for 60 days with one or two days at 76-79% after it set in (seed 000 2+ weeks)',
      },
      seatBase(0.6, 0.68),
      bands(CRUNCH_60, day(30 - i, 0.76, 0.79), ...(i % 2 === 0 ? [day(12, 0.76, 0.79)] : [])),
    ),
  );
  const broken = [8, 6, 11].map((k, i) =>
    compose(
      {
        id: `crunch-broken-${i}`,
        archetype: 'borderline: crunch broken',
        plan: 'growth',
        seats: pick(SIZES, i),
        note: `crunch at 85-90% broken by a day under 75% ${k} days ago: the run restarted, under 2 weeks old`,
      },
      seatBase(0.6, 0.68),
      bands(CRUNCH_60, day(k, 0.66, 0.72)),
    ),
  );
  const recovered = compose(
    {
      id: 'crunch-recovered',
      archetype: 'borderline: crunch broken',
      plan: 'growth',
      seats: 40,
      note: 'crunch broken 20 days ago, back at 85-90% since: 19 days sustained again (seed 000 2+ weeks)',
    },
    seatBase(0.6, 0.68),
    bands(CRUNCH_60, day(20, 0.66, 0.72)),
  );
  const short = [9, 10, 11].map((days, i) =>
    compose(
      {
        id: `crunch-short-${i}`,
        archetype: 'borderline: crunch too short',
        plan: pick(['starter', 'growth', 'enterprise'], i),
        seats: pick(SIZES, i),
        note: `85-92% only for the last ${days + 1} days: not yet 2 weeks (seed 000 80%+ sustained 2+ weeks)`,
      },
      seatBase(0.6, 0.68),
      bands({ from: days, to: 0, low: 0.85, high: 0.92 }),
    ),
  );
  return [...dips, ...broken, recovered, ...short];
}

function seatEdges(): Draft[] {
  const spikes = [5, 20, 40].map((k, i) =>
    compose(
      {
        id: `spike-${i}`,
        archetype: 'borderline: three-day spike',
        plan: pick(['growth', 'starter'], i),
        seats: pick(SIZES, i + 1),
        note: 'a 60% account spiking to 95% for three days: a spike is not sustained utilization',
      },
      seatBase(0.58, 0.64),
      bands({ from: k + 2, to: k, low: 0.94, high: 0.98 }),
    ),
  );
  const steps = [0, 1, 2].map((i) =>
    compose(
      {
        id: `seat-step-${i}`,
        archetype: 'borderline: recent step up',
        plan: pick(['growth', 'starter'], i),
        seats: pick(SIZES, i),
        note: 'seats stepped from ~63% to ~89% in the last 12 days: not yet sustained 2 weeks',
      },
      seatBase(0.6, 0.66),
      bands({ from: 11, to: 0, low: 0.86, high: 0.92 }),
    ),
  );
  const stepOnCrunch = [40, 64].map((seats, i) =>
    compose(
      {
        id: `seat-step-crunch-${i}`,
        archetype: 'borderline: recent step up',
        plan: 'growth',
        seats,
        note: 'sustained at 82-86%, then 95-98% in the last 12 days: sized on recent p90, a step is not a trend',
      },
      seatBase(0.82, 0.86),
      bands({ from: 11, to: 0, low: 0.95, high: 0.98 }),
    ),
  );
  const over = [40, 60].map((seats, i) =>
    compose(
      {
        id: `over-licensed-${i}`,
        archetype: 'borderline: over license',
        plan: 'growth',
        seats,
        note: 'using 125-135% of licensed seats: the add is capped at 50% of the license',
      },
      seatBase(1.25, 1.35),
    ),
  );
  const small = [5, 4].map((seats, i) =>
    compose(
      {
        id: `tiny-crunch-${i}`,
        archetype: 'borderline: below minimum deal',
        plan: 'starter',
        seats,
        note: `a ${seats}-seat starter account at 80-100%: the seat add is under 1,000 a year`,
      },
      seatCrunch,
      seatBase(0.8, 1),
    ),
  );
  return [...spikes, ...steps, ...stepOnCrunch, ...over, ...small];
}

function featureEdges(): Draft[] {
  const edge = (id: string, archetype: string, note: string, i: number, ...traits: Trait[]): Draft =>
    compose(
      {
        id,
        archetype,
        note,
        plan: pick(['starter', 'growth', 'enterprise'], i),
        seats: pick([24, 40, 64], i),
      },
      ...traits,
    );
  const stray = 'under the 5 events that count as explored (seed 004)';
  const mild = 'under +20%, steady (seed 000 yellow light)';
  return [
    ...[3, 4, 2].map((n, i) =>
      edge(
        `stray-clicks-${i}`,
        'borderline: stray clicks',
        `${n} clicks on each of 3 gated features: ${stray}`,
        i % 2,
        strayClicks(n),
      ),
    ),
    ...[0, 1].map((i) =>
      edge(
        `one-gated-feature-${i}`,
        'borderline: one gated feature',
        'one higher-plan feature used 12 times: graduation needs 2+ (seed 004)',
        i,
        graduation(12, 1),
      ),
    ),
    ...[0, 1].map((i) =>
      edge(
        `graduation-exact-${i}`,
        'borderline: graduation at threshold',
        'two higher-plan features with exactly 5 events each: explored (seed 004)',
        i,
        graduation(5),
      ),
    ),
    ...[0, 1, 2].map((i) =>
      edge(
        `events-growth-${i}`,
        'borderline: events grow, users flat',
        'events per user +40% with flat users: growth is the stronger measure',
        i,
        eventsGrowth(),
        ...(i === 2 ? [seatCrunch] : []),
      ),
    ),
    edge('mild-growth-events', 'borderline: mild growth', `events +12%: ${mild}`, 1, eventsGrowth(0.12)),
    edge('mild-growth-users', 'borderline: mild growth', `users +12%: ${mild}`, 1, usageGrowth(0.12)),
    edge('mild-growth-events-b', 'borderline: mild growth', `events +10%: ${mild}`, 2, eventsGrowth(0.1)),
  ];
}

function ownedWorkarounds(): Draft[] {
  const archetype = 'borderline: workaround on owned module';
  return [
    compose(
      {
        id: 'owned-workaround-reporting',
        archetype,
        plan: 'growth',
        seats: 40,
        modules: ['reporting'],
        note: 'heavy exports but already owns Advanced Reporting: never cross-sell an owned module',
      },
      workaround('reporting'),
    ),
    compose(
      {
        id: 'owned-workaround-automation',
        archetype,
        plan: 'growth',
        seats: 64,
        modules: ['automation'],
        note: 'owns Automation with heavy bulk edits, and heavy CSV imports: only Integrations is whitespace',
      },
      workaround('automation'),
      workaround('integrations'),
    ),
  ];
}

const ONE_RISK: ReadonlyArray<[string, Trait[]]> = [
  ['nps-6', [seatCrunch, crm({ nps: 6 })]],
  ['csat-65', [seatCrunch, crm({ csat: 65 })]],
  ['escalation-1', [usageGrowth(), graduation(), crm({ openEscalations: 1 })]],
  ['overdue-35', [seatCrunch, crm({ paymentOverdueDays: 35 })]],
  ['champion-60', [workaround('integrations'), crm({ championDepartedOn: daysAgo(60) })]],
  ['decline-18', [seatCrunch, decline(-0.18)]],
  ['nps-4', [seatCrunch, crm({ nps: 4 })]],
  ['escalations-2', [seatCrunch, graduation(), crm({ openEscalations: 2 })]],
  ['overdue-59', [graduation(), executive(), crm({ paymentOverdueDays: 59 })]],
];
const THRESHOLDS: ReadonlyArray<[string, Trait[]]> = [
  ['nps-7', [seatCrunch, crm({ nps: 7 })]],
  ['csat-70', [seatCrunch, crm({ csat: 70 })]],
  ['overdue-29', [seatCrunch, crm({ paymentOverdueDays: 29 })]],
  ['champion-135', [seatCrunch, crm({ championDepartedOn: daysAgo(135) })]],
  ['exec-100', [graduation(), executive(100)]],
  ['exec-89', [graduation(), executive(89)]],
  ['headcount-20', [graduation(), headcount(0.2)]],
  ['headcount-19', [graduation(), headcount(0.19)]],
  ['tenure-90', [usageGrowth(), graduation(), customerFor(90)]],
  ['tenure-88', [usageGrowth(), graduation(), customerFor(88)]],
];

function riskEdges(): Draft[] {
  type Case = readonly [string, Trait[]];
  const build =
    (prefix: string, archetype: string, note: string) =>
    ([name, traits]: Case, i: number): Draft =>
      compose(
        {
          id: `${prefix}-${name}`,
          archetype,
          note: `${note}: ${name}`,
          plan: pick(['growth', 'starter'], i),
          seats: pick([40, 64, 30], i),
        },
        ...traits,
      );
  const oneRisk = 'a good account with one soft risk (seed 003 qualifiers)';
  return [
    ...ONE_RISK.map(build('one-risk', 'borderline: one soft risk', oneRisk)),
    ...THRESHOLDS.map(build('edge', 'borderline: value on a threshold', 'a value at or just past a threshold')),
  ];
}

export function borderlineDrafts(): Draft[] {
  return [...crunchEdges(), ...seatEdges(), ...featureEdges(), ...ownedWorkarounds(), ...riskEdges()];
}
