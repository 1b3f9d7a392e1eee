import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from '../../../src/model/account.ts';
import { AssessmentSchema } from '../../../src/model/assessment.ts';
import type { UsageDay } from '../../../src/model/usage.ts';
import { AS_OF, account as baseAccount, assess, isoDaysBefore } from './helpers.ts';

/** Usage for up to 90 days: per day a seats level and an active share, so any shape appears, including gaps. */
const usageArb = fc
  .array(
    fc.record({
      seats: fc.integer({ min: 0, max: 600 }),
      activeShare: fc.double({ min: 0, max: 1, noNaN: true }),
      skip: fc.boolean(),
    }),
    { minLength: 0, maxLength: 90 },
  )
  .map((days) =>
    days.flatMap((d, i): UsageDay[] =>
      d.skip && i % 3 === 0
        ? []
        : [
            {
              accountKey: 'acme.example',
              date: isoDaysBefore(AS_OF, days.length - 1 - i),
              seatsUsed: d.seats,
              activeUsers: Math.round(d.seats * d.activeShare),
              events: {},
            },
          ],
    ),
  );

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

const accountArb = fc
  .record({
    licensedSeats: optional(fc.integer({ min: 0, max: 800 })),
    plan: optional(fc.constantFrom('starter', 'growth', 'enterprise', 'legacy')),
    renewalIn: optional(fc.integer({ min: -30, max: 500 })),
    nps: optional(fc.integer({ min: 0, max: 10 })),
    csat: optional(fc.integer({ min: 0, max: 100 })),
    openEscalations: optional(fc.integer({ min: 0, max: 5 })),
    paymentOverdueDays: optional(fc.integer({ min: 0, max: 120 })),
    headcountGrowth: optional(fc.double({ min: -0.5, max: 2, noNaN: true })),
  })
  .map((r): Account => {
    const { renewalIn, ...rest } = r;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const { licensedSeats: _l, plan: _p, renewalDate: _r, ...base } = baseAccount();
    return {
      ...base,
      ...defined,
      ...(renewalIn === undefined ? {} : { renewalDate: isoDaysBefore(AS_OF, -renewalIn) }),
    };
  });

const runs = { numRuns: 300 };

describe('scoring properties', () => {
  it('scores stay within 0..100, are whole numbers, never NaN, and every assessment is valid', () => {
    fc.assert(
      fc.property(accountArb, usageArb, (account, usage) => {
        const result = assess({ account, usage });
        expect(Number.isInteger(result.score) && result.score >= 0 && result.score <= 100).toBe(true);
        for (const o of result.opportunities) {
          expect([o.arrPotential, o.arrLow, o.arrHigh, o.expectedValue, o.probability].every(Number.isFinite)).toBe(
            true,
          );
          expect(o.arrLow <= o.arrPotential && o.arrPotential <= o.arrHigh).toBe(true);
        }
        expect(AssessmentSchema.safeParse(result).success).toBe(true);
      }),
      runs,
    );
  });

  it('more seats in use never lowers the score', () => {
    fc.assert(
      fc.property(accountArb, usageArb, fc.integer({ min: 1, max: 100 }), (account, usage, extra) => {
        const more = usage.map((d) => ({ ...d, seatsUsed: (d.seatsUsed ?? 0) + extra }));
        expect(assess({ account, usage: more }).score).toBeGreaterThanOrEqual(assess({ account, usage }).score);
      }),
      runs,
    );
  });

  it('more active users in the last 30 days never lowers the score', () => {
    fc.assert(
      fc.property(accountArb, usageArb, fc.double({ min: 1, max: 3, noNaN: true }), (account, usage, factor) => {
        const recent = isoDaysBefore(AS_OF, 29);
        const grown = usage.map((d) =>
          d.date >= recent ? { ...d, activeUsers: Math.round((d.activeUsers ?? 0) * factor) } : d,
        );
        expect(assess({ account, usage: grown }).score).toBeGreaterThanOrEqual(assess({ account, usage }).score);
      }),
      runs,
    );
  });

  it('a better NPS never lowers the score, and fewer escalations never do either', () => {
    fc.assert(
      fc.property(
        accountArb,
        usageArb,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 4 }),
        (account, usage, nps, escalations) => {
          const score = (a: Partial<Account>) => assess({ account: { ...account, ...a }, usage }).score;
          expect(score({ nps: nps + 1 })).toBeGreaterThanOrEqual(score({ nps }));
          expect(score({ openEscalations: escalations - 1 })).toBeGreaterThanOrEqual(
            score({ openEscalations: escalations }),
          );
        },
      ),
      runs,
    );
  });

  it('a missing NPS and CSAT are listed as missing and count like no risk at all, never like a zero score', () => {
    fc.assert(
      fc.property(accountArb, usageArb, (account, usage) => {
        const { nps: _n, csat: _c, ...without } = account;
        const missing = assess({ account: without, usage });
        expect(missing.missing).toEqual(expect.arrayContaining(['nps', 'csat']));
        expect(missing.signals.map((s) => s.id)).not.toContain('low_satisfaction');
        const promoter = assess({ account: { ...without, nps: 10 }, usage });
        expect([missing.score, missing.health, missing.timing]).toEqual([
          promoter.score,
          promoter.health,
          promoter.timing,
        ]);
        const zero = assess({ account: { ...without, nps: 0 }, usage });
        expect(zero.signals.map((s) => s.id)).toContain('low_satisfaction');
      }),
      runs,
    );
  });

  it('missing licensed seats are listed and excluded, not read as a contract of zero seats', () => {
    fc.assert(
      fc.property(accountArb, usageArb, (account, usage) => {
        const { licensedSeats: _s, ...without } = account;
        const result = assess({ account: without, usage });
        expect(result.missing).toContain('licensedSeats');
        expect(result.signals.map((s) => s.id)).not.toContain('seat_utilization');
        // Seats so plentiful that utilization earns nothing: the same score as not knowing them.
        const roomy = assess({ account: { ...without, licensedSeats: 100_000 }, usage });
        expect(result.score).toBe(roomy.score);
      }),
      runs,
    );
  });
});
