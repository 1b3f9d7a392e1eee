import { describe, expect, it } from 'vitest';
import type { Account } from '../../../src/model/account.ts';
import type { Signal } from '../../../src/model/assessment.ts';
import { ScoringConfigSchema, type ScoringConfig } from '../../../src/scoring/config.ts';
import { dayNumber, isoDate } from '../../../src/scoring/days.ts';
import { untracedNumbers } from '../../../src/scoring/evidence.ts';
import type { Evaluation } from '../../../src/scoring/result.ts';
import type { DatedValue, SignalContext, SignalFacts } from '../../../src/scoring/signals/context.ts';
import { evaluateChampionDeparture, evaluateExecutiveEngagement } from '../../../src/scoring/signals/engagement.ts';
import { evaluateHeadcountGrowth, headcountBaseline } from '../../../src/scoring/signals/headcount.ts';
import { evaluateEscalations, evaluatePaymentIssue, evaluateSatisfaction } from '../../../src/scoring/signals/risk.ts';

const AS_OF = dayNumber('2026-11-20');

/** The date `back` days before asOf (negative: after it). */
const daysBack = (back: number): string => isoDate(AS_OF - back);
/** A stored employee count `back` days before asOf. */
const point = (back: number, value: number): DatedValue => ({ date: daysBack(back), value });

interface ContextOptions {
  readonly account?: Partial<Account>;
  readonly employees?: readonly DatedValue[];
  readonly config?: Record<string, unknown>;
}

function context(options: ContextOptions = {}): SignalContext {
  const account: Account = { system: 'hubspot', id: '101', name: 'Acme', modulesOwned: [], ...options.account };
  const config: ScoringConfig = ScoringConfigSchema.parse(options.config ?? {});
  return { account, days: [], asOf: AS_OF, usageEnd: AS_OF, config, history: { employees: options.employees ?? [] } };
}

function evaluated<Facts>(evaluation: Evaluation<Facts>): Facts {
  if (!evaluation.evaluated) throw new Error(`not evaluated: ${evaluation.missing.join(', ')}`);
  return evaluation;
}

function notEvaluated<Facts>(evaluation: Evaluation<Facts>): {
  readonly missing: readonly string[];
  readonly reason: string;
} {
  if (evaluation.evaluated) throw new Error('evaluated');
  return evaluation;
}

/** Every number in a fired signal's summary is one of its evidence values. */
function expectTraced(signal: Signal | undefined): void {
  expect(signal).toBeDefined();
  expect(untracedNumbers(signal?.summary ?? '', signal?.evidence ?? [])).toEqual([]);
}

const fired = (evaluation: Evaluation<SignalFacts>): boolean => evaluated(evaluation).signal !== undefined;

describe('headcount growth from enrichment (growthAt 20%)', () => {
  it.each([
    { name: 'exactly at the threshold fires at 0.4', growth: 0.2, fires: true, strength: 0.4 },
    { name: 'just under does not', growth: 0.19, fires: false, strength: 0 },
    {
      name: 'decided on the whole percent shown: 20.4% reads 20% and fires',
      growth: 0.204,
      fires: true,
      strength: 0.4,
    },
    { name: '19.4% reads 19% and does not', growth: 0.194, fires: false, strength: 0 },
    { name: 'twice the threshold is 0.7', growth: 0.4, fires: true, strength: 0.7 },
    { name: 'three times the threshold is full strength', growth: 0.6, fires: true, strength: 1 },
    { name: 'shrinking is evaluated and quiet', growth: -0.1, fires: false, strength: 0 },
  ])('$name', ({ growth, fires, strength }) => {
    const facts = evaluated(evaluateHeadcountGrowth(context({ account: { headcountGrowth: growth } })));
    expect([facts.source, facts.signal !== undefined, facts.strength]).toEqual(['enrichment', fires, strength]);
    if (fires) {
      expectTraced(facts.signal);
      expect(facts.signal?.evidence.map((e) => [e.metric, e.source])).toEqual([['headcount_growth_yoy', 'crm']]);
    }
  });

  it('says where the figure came from', () => {
    const signal = evaluated(evaluateHeadcountGrowth(context({ account: { headcountGrowth: 0.25 } }))).signal;
    expect(signal?.summary).toBe('Headcount up 25% year over year (enrichment data)');
  });

  it('with neither history nor enrichment: not evaluated, both inputs named', () => {
    const result = notEvaluated(evaluateHeadcountGrowth(context({ account: { employees: 300 } })));
    expect(result.missing).toEqual(['employeeHistory', 'headcountGrowth']);
    expect(result.reason).toMatch(/not evaluated/);
  });

  it('an enrichment growth of 0 is evaluated and quiet, not missing', () => {
    const facts = evaluated(evaluateHeadcountGrowth(context({ account: { headcountGrowth: 0 } })));
    expect([facts.growth, facts.signal]).toEqual([0, undefined]);
  });
});

describe('headcount growth from the stored employee counts', () => {
  it("a year of history: growth from the count a year back to today's, cited in full", () => {
    const facts = evaluated(
      evaluateHeadcountGrowth(
        context({ account: { employees: 330, headcountGrowth: 0.01 }, employees: [point(365, 250), point(100, 300)] }),
      ),
    );
    expect([facts.source, facts.growth]).toEqual(['history', 0.32]);
    expect(facts.signal?.summary).toBe('Headcount up 32% year over year (250 to 330 employees over 365 days)');
    expectTraced(facts.signal);
    expect(facts.evidence.spanDays?.value).toBe(365);
    expect(facts.evidence.employeesThen?.window).toBe('2025-11-20..2026-11-20');
  });

  it.each([
    { name: 'exactly 20% a year fires', now: 120, fires: true },
    { name: '19% does not', now: 119, fires: false },
  ])('$name', ({ now, fires }) => {
    expect(fired(evaluateHeadcountGrowth(context({ account: { employees: now }, employees: [point(365, 100)] })))).toBe(
      fires,
    );
  });

  it.each([
    { name: 'closest to a year among points a year or more back', points: [500, 400, 366, 300, 200], span: 366 },
    { name: 'a year back exactly beats longer ones', points: [730, 365, 364], span: 365 },
    { name: 'none a year back: the oldest at least minHistoryDays back', points: [300, 200, 100], span: 300 },
    { name: 'exactly minHistoryDays back counts', points: [180, 30], span: 180 },
    { name: 'order of the stored points does not matter', points: [200, 400, 380, 500], span: 380 },
  ])('baseline: $name', ({ points, span }) => {
    const history = points.map((back) => point(back, 100));
    expect(headcountBaseline(history, AS_OF, 180)?.spanDays).toBe(span);
    const facts = evaluated(evaluateHeadcountGrowth(context({ account: { employees: 100 }, employees: history })));
    expect([facts.source, facts.evidence.spanDays?.value]).toEqual(['history', span]);
  });

  it.each([
    {
      name: 'too short a history falls back to enrichment',
      employees: [point(179, 100)],
      account: { employees: 200, headcountGrowth: 0.05 },
      source: 'enrichment',
    },
    {
      name: 'a zero count is a blank field, skipped',
      employees: [point(365, 0), point(200, 100)],
      account: { employees: 150 },
      source: 'history',
    },
    {
      name: 'only a zero count: enrichment',
      employees: [point(365, 0)],
      account: { employees: 150, headcountGrowth: 0.3 },
      source: 'enrichment',
    },
    {
      name: 'no count today: enrichment',
      employees: [point(365, 100)],
      account: { headcountGrowth: 0.3 },
      source: 'enrichment',
    },
    {
      name: 'points after asOf are ignored',
      employees: [point(-400, 100), point(-200, 100)],
      account: { employees: 150, headcountGrowth: 0.3 },
      source: 'enrichment',
    },
  ])('$name', ({ employees, account, source }) => {
    expect(evaluated(evaluateHeadcountGrowth(context({ account, employees }))).source).toBe(source);
  });

  it('too short a history and no enrichment: not evaluated', () => {
    const result = notEvaluated(
      evaluateHeadcountGrowth(context({ account: { employees: 200 }, employees: [point(179, 100)] })),
    );
    expect(result.missing).toEqual(['employeeHistory', 'headcountGrowth']);
  });

  it('a shorter span is annualised, and the summary says so without a date', () => {
    // (110 / 100) ^ (365 / 180) - 1 = 21.3%
    const facts = evaluated(
      evaluateHeadcountGrowth(context({ account: { employees: 110 }, employees: [point(180, 100)] })),
    );
    expect(facts.growth).toBe(0.21);
    expect(facts.signal?.summary).toBe(
      'Headcount up 21% year over year, annualised (100 to 110 employees over 180 days)',
    );
    expectTraced(facts.signal);
  });

  it('large counts are grouped and still traced', () => {
    const facts = evaluated(
      evaluateHeadcountGrowth(context({ account: { employees: 15_000 }, employees: [point(365, 10_000)] })),
    );
    expect(facts.signal?.summary).toBe('Headcount up 50% year over year (10,000 to 15,000 employees over 365 days)');
    expectTraced(facts.signal);
  });
});

describe('executive engagement (within 90 days)', () => {
  it.each([
    { name: 'a meeting today fires at full strength', back: 0, strength: 1 },
    { name: 'half-way through the window', back: 45, strength: 0.75 },
    { name: 'day 90 is the edge: fires at 0.5', back: 90, strength: 0.5 },
    { name: 'day 91 is outside: evaluated, quiet', back: 91, strength: 0 },
  ])('$name', ({ back, strength }) => {
    const facts = evaluated(evaluateExecutiveEngagement(context({ account: { executiveEngagedOn: daysBack(back) } })));
    expect([facts.daysSince, facts.strength, facts.signal !== undefined]).toEqual([back, strength, strength > 0]);
    if (strength > 0) {
      expect(facts.signal?.kind).toBe('expansion');
      expectTraced(facts.signal);
    }
  });

  it('states the meeting in days', () => {
    const signal = evaluated(
      evaluateExecutiveEngagement(context({ account: { executiveEngagedOn: daysBack(12) } })),
    ).signal;
    expect(signal?.summary).toBe('Executive meeting 12 days ago, inside the 90-day window');
  });

  it.each([
    { name: 'absent', account: {} },
    { name: 'in the future (a CRM typo)', account: { executiveEngagedOn: daysBack(-1) } },
  ])('$name: not evaluated, executiveEngagedOn missing', ({ account }) => {
    const result = notEvaluated(evaluateExecutiveEngagement(context({ account })));
    expect(result.missing).toEqual(['executiveEngagedOn']);
    expect(result.reason.length).toBeGreaterThan(0);
  });
});

describe('champion departure (within 120 days)', () => {
  it.each([
    { name: 'left today: full-strength risk', back: 0, strength: 1 },
    { name: 'day 1', back: 1, strength: 1 },
    { name: 'day 120 is the edge: 0.5', back: 120, strength: 0.5 },
    { name: 'day 121: an older departure is evaluated and quiet', back: 121, strength: 0 },
  ])('$name', ({ back, strength }) => {
    const facts = evaluated(evaluateChampionDeparture(context({ account: { championDepartedOn: daysBack(back) } })));
    expect([facts.strength, facts.signal !== undefined]).toEqual([strength, strength > 0]);
    if (strength > 0) {
      expect(facts.signal?.kind).toBe('risk');
      expectTraced(facts.signal);
    }
  });

  it('a window from config moves the edge', () => {
    const ctx = (back: number) =>
      context({ account: { championDepartedOn: daysBack(back) }, config: { engagement: { championWithinDays: 30 } } });
    expect([fired(evaluateChampionDeparture(ctx(30))), fired(evaluateChampionDeparture(ctx(31)))]).toEqual([
      true,
      false,
    ]);
  });

  it.each([
    { name: 'absent', account: {} },
    { name: 'in the future', account: { championDepartedOn: daysBack(-3) } },
  ])('$name: not evaluated, championDepartedOn missing', ({ account }) => {
    expect(notEvaluated(evaluateChampionDeparture(context({ account }))).missing).toEqual(['championDepartedOn']);
  });
});

describe('low satisfaction (detractor at NPS 6 or below, CSAT below 70%)', () => {
  it.each([
    {
      name: 'NPS exactly at the detractor line fires, at the 0.3 floor',
      account: { nps: 6 },
      fires: true,
      strength: 0.3,
    },
    { name: 'NPS one above does not', account: { nps: 7 }, fires: false, strength: 0 },
    { name: 'NPS 0 is full strength', account: { nps: 0 }, fires: true, strength: 1 },
    { name: 'NPS 3', account: { nps: 3 }, fires: true, strength: 0.57 },
    { name: 'CSAT at the line does not fire (below, not at)', account: { csat: 70 }, fires: false, strength: 0 },
    { name: 'CSAT just under fires', account: { csat: 69 }, fires: true, strength: 0.3 },
    { name: 'CSAT 69.96 reads 70% and does not fire', account: { csat: 69.96 }, fires: false, strength: 0 },
    { name: 'CSAT 35% is 0.5', account: { csat: 35 }, fires: true, strength: 0.5 },
    { name: 'a good NPS with a low CSAT fires on CSAT', account: { nps: 9, csat: 35 }, fires: true, strength: 0.5 },
    { name: 'the worse of the two sets strength', account: { nps: 0, csat: 60 }, fires: true, strength: 1 },
    { name: 'both fine: quiet', account: { nps: 9, csat: 95 }, fires: false, strength: 0 },
  ])('$name', ({ account, fires, strength }) => {
    const facts = evaluated(evaluateSatisfaction(context({ account })));
    expect([facts.signal !== undefined, facts.strength]).toEqual([fires, strength]);
    if (fires) expectTraced(facts.signal);
  });

  it('facts carry both values, undefined when absent, for the health gate', () => {
    const facts = evaluated(evaluateSatisfaction(context({ account: { nps: 2 } })));
    expect([facts.nps, facts.csat]).toEqual([2, undefined]);
    expect(facts.signal?.summary).toBe('NPS 2, a detractor (6 or below)');
  });

  it('states every input that fired', () => {
    const signal = evaluated(evaluateSatisfaction(context({ account: { nps: 4, csat: 62 } }))).signal;
    expect(signal?.summary).toBe('NPS 4, a detractor (6 or below); CSAT 62%, below 70%');
    expectTraced(signal);
  });

  it('both absent: not evaluated, both named; one absent is not missing', () => {
    expect(notEvaluated(evaluateSatisfaction(context())).missing).toEqual(['nps', 'csat']);
    expect(evaluateSatisfaction(context({ account: { csat: 90 } })).evaluated).toBe(true);
  });
});

describe('support escalations (1 or more open)', () => {
  it.each([
    { name: 'none open: evaluated, quiet (distinct from absent)', open: 0, strength: 0 },
    { name: 'exactly at the threshold fires at 0.4', open: 1, strength: 0.4 },
    { name: 'two', open: 2, strength: 0.6 },
    { name: 'four reach full strength', open: 4, strength: 1 },
    { name: 'capped at 1', open: 9, strength: 1 },
  ])('$name', ({ open, strength }) => {
    const facts = evaluated(evaluateEscalations(context({ account: { openEscalations: open } })));
    expect([facts.openEscalations, facts.strength, facts.signal !== undefined]).toEqual([open, strength, strength > 0]);
    if (strength > 0) expectTraced(facts.signal);
  });

  it.each([
    { name: 'just under a higher threshold does not fire', open: 2, fires: false },
    { name: 'at it does', open: 3, fires: true },
  ])('escalationsAt 3: $name', ({ open, fires }) => {
    expect(
      fired(
        evaluateEscalations(context({ account: { openEscalations: open }, config: { risk: { escalationsAt: 3 } } })),
      ),
    ).toBe(fires);
  });

  it('the summary counts them', () => {
    expect(evaluated(evaluateEscalations(context({ account: { openEscalations: 1 } }))).signal?.summary).toBe(
      '1 open support escalation',
    );
    expect(evaluated(evaluateEscalations(context({ account: { openEscalations: 3 } }))).signal?.summary).toBe(
      '3 open support escalations',
    );
  });

  it('absent: not evaluated, never read as 0 escalations', () => {
    expect(notEvaluated(evaluateEscalations(context())).missing).toEqual(['openEscalations']);
  });
});

describe('payment issue (30 days overdue; red at 60)', () => {
  it.each([
    { name: 'current (0 days): evaluated, quiet', overdue: 0, strength: 0 },
    { name: 'just under the threshold: quiet', overdue: 29, strength: 0 },
    { name: 'exactly at the threshold fires at 0.4', overdue: 30, strength: 0.4 },
    { name: 'half-way to red', overdue: 45, strength: 0.7 },
    { name: 'at the red line: full strength', overdue: 60, strength: 1 },
    { name: 'beyond it stays at 1', overdue: 120, strength: 1 },
  ])('$name', ({ overdue, strength }) => {
    const facts = evaluated(evaluatePaymentIssue(context({ account: { paymentOverdueDays: overdue } })));
    expect([facts.overdueDays, facts.strength, facts.signal !== undefined]).toEqual([overdue, strength, strength > 0]);
    if (strength > 0) expectTraced(facts.signal);
  });

  it('the summary states the days overdue', () => {
    expect(evaluated(evaluatePaymentIssue(context({ account: { paymentOverdueDays: 75 } }))).signal?.summary).toBe(
      'Oldest unpaid invoice 75 days overdue',
    );
  });

  it('a red line at or below the threshold: full strength on firing', () => {
    const facts = evaluated(
      evaluatePaymentIssue(
        context({ account: { paymentOverdueDays: 30 }, config: { health: { redPaymentOverdueDays: 30 } } }),
      ),
    );
    expect(facts.strength).toBe(1);
  });

  it('absent: not evaluated, paymentOverdueDays missing', () => {
    expect(notEvaluated(evaluatePaymentIssue(context())).missing).toEqual(['paymentOverdueDays']);
  });
});
