import { describe, expect, it } from 'vitest';
import {
  generateCompanies,
  generateUsage,
  syntheticAccount,
  type PortfolioOptions,
} from '../../../src/demo/portfolio.ts';
import { AssessmentSchema, type Assessment, type Evidence } from '../../../src/model/assessment.ts';
import { assessPortfolio } from '../../../src/scoring/portfolio.ts';
import { citations, formatEvidence, numbersIn, untracedNumbers } from '../../../src/scoring/evidence.ts';
import { config } from './helpers.ts';

const evidence = (value: number, unit: Evidence['unit']): Evidence => ({
  metric: 'm',
  value,
  unit,
  window: 'w',
  source: 'derived',
});

describe('reading numbers back out of text', () => {
  it.each([
    { text: 'that is $14,400 in added ARR', numbers: [14400] },
    { text: 'that is €14,400 in added ARR', numbers: [14400] },
    { text: 'CHF 9,000 a year', numbers: [9000] },
    { text: 'at 88% seat utilization for 5 weeks', numbers: [88, 5] },
    { text: 'averaging 43.6 seats.', numbers: [43.6] },
    { text: '$1,234,567.5 in total', numbers: [1234567.5] },
    { text: 'renews on 2026-11-20', numbers: [2026, 11, 20] },
    { text: 'from 50 to 62, plus 15%', numbers: [50, 62, 15] },
    { text: 'no figures here', numbers: [] },
  ])('$text', ({ text, numbers }) => {
    expect(numbersIn(text)).toEqual(numbers);
  });

  it('formats evidence the way the text states it', () => {
    expect(formatEvidence(evidence(14400, 'money'))).toBe('$14,400');
    expect(formatEvidence(evidence(14400, 'money'), 'EUR')).toBe('€14,400');
    expect(formatEvidence(evidence(14400, 'usd'), 'EUR')).toBe('€14,400');
    expect(formatEvidence(evidence(-35, 'percent'))).toBe('35%');
    expect(formatEvidence(evidence(43.6, 'seats'))).toBe('43.6');
  });

  it('cites money in the configured currency, and counts whole in the text and in the evidence it keeps', () => {
    const cited = citations({ currency: 'EUR', whole: true });
    const text = `${cited.cite(evidence(313.9, 'users'))} users a day, ${cited.cite(evidence(14400.4, 'money'))} a year, ${cited.cite(evidence(1.4, 'ratio'))} a week`;
    expect(text).toBe('314 users a day, €14,400 a year, 1.4 a week');
    expect(cited.evidence.map((e) => e.value)).toEqual([314, 14400, 1.4]);
    expect(untracedNumbers(text, cited.evidence)).toEqual([]);
  });

  it('flags a number the evidence does not hold', () => {
    expect(untracedNumbers('add 12 seats for $7,200', [evidence(12, 'seats'), evidence(7200, 'usd')])).toEqual([]);
    expect(untracedNumbers('add 12 seats for $7,200', [evidence(12, 'seats'), evidence(7000, 'usd')])).toEqual([7200]);
  });
});

interface Run {
  readonly name: string;
  readonly assessments: Assessment[];
}

/** A varied portfolio assessed under two price books and sizing settings, so the text meets many numbers. */
function portfolioRuns(): Run[] {
  const settings = [
    { name: 'defaults', scoring: config() },
    {
      name: 'plan prices, more headroom',
      scoring: config({
        pricing: { seatPriceByPlan: { starter: 420, growth: 780, enterprise: 1150 } },
        sizing: { headroom: 0.25, horizonDays: 120, minSeats: 3 },
      }),
    },
  ];
  const options: PortfolioOptions = { companies: 600, days: 90, asOf: '2026-11-20', seed: 42 };
  const companies = generateCompanies(options);
  return settings.map(({ name, scoring }) => ({
    name,
    assessments: assessPortfolio(
      companies.map((c) => ({ account: syntheticAccount(c), usage: [...generateUsage(c, options)] })),
      { asOf: options.asOf, config: scoring },
    ),
  }));
}

describe('every number in every narrative is traceable to its evidence (generated portfolio)', () => {
  const runs = portfolioRuns();

  it.each(runs)(
    '$name: titles and bodies cite only their evidence, for every motion, QBR agenda and email',
    ({ assessments }) => {
      const opportunities = assessments.flatMap((a) => a.opportunities);
      expect(new Set(opportunities.map((o) => o.motion))).toEqual(
        new Set(['seat_add', 'tier_upgrade', 'module_cross_sell']),
      );
      const texts = [
        ...opportunities.map((o) => o.narrative),
        ...assessments.flatMap((a) => [a.qbrAgenda, a.outreachEmail].filter((n) => n !== undefined)),
      ];
      expect(texts.length).toBeGreaterThan(opportunities.length);
      const untraced = texts.flatMap((n) =>
        untracedNumbers(`${n.title}\n${n.body}`, n.evidence).map((x) => `${x} in "${n.title}"`),
      );
      expect(untraced).toEqual([]);
    },
  );

  it.each(runs)('$name: signal summaries and reasons cite only evidence the assessment holds', ({ assessments }) => {
    const untraced: string[] = [];
    for (const a of assessments) {
      for (const s of a.signals) untraced.push(...untracedNumbers(s.summary, s.evidence).map((n) => `${n} in ${s.id}`));
      const all = [...a.signals.flatMap((s) => s.evidence), ...a.opportunities.flatMap((o) => o.narrative.evidence)];
      for (const r of a.reasons) untraced.push(...untracedNumbers(r, all).map((n) => `${n} in "${r}"`));
    }
    expect(untraced).toEqual([]);
  });

  it.each(runs)('$name: every assessment is valid, its score a whole number within 0..100', ({ assessments }) => {
    for (const a of assessments) {
      expect(() => AssessmentSchema.parse(a)).not.toThrow();
      expect(Number.isInteger(a.score)).toBe(true);
      expect(a.score).toBeGreaterThanOrEqual(0);
      expect(a.score).toBeLessThanOrEqual(100);
    }
  });

  it("seat-add narratives open with the customer's own numbers and end with an ask", () => {
    for (const o of runs[0]?.assessments.flatMap((a) => a.opportunities).filter((o) => o.motion === 'seat_add') ?? []) {
      expect(o.narrative.body).toMatch(
        /^Open with their own numbers: "Your team has been at \d+% seat utilization for \d+ (weeks?|days?) — here's what we're seeing\."/,
      );
      expect(o.narrative.body.split('\n\n').at(-1)).toMatch(/^Next step: /);
    }
  });
});
