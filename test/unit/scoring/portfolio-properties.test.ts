import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateCompanies,
  generateUsage,
  syntheticAccount,
  type PortfolioOptions,
} from '../../../src/demo/portfolio.ts';
import type { Account } from '../../../src/model/account.ts';
import type { Assessment } from '../../../src/model/assessment.ts';
import { dayNumber, isoDate } from '../../../src/scoring/days.ts';
import { assessPortfolio } from '../../../src/scoring/portfolio.ts';
import { config } from './helpers.ts';

const scoring = config();
const band = scoring.stability.amountBand;

/**
 * Calendar facts that legitimately move a recommendation from one day to the next with no new usage:
 * a renewal crossing into its conversation or evaluation window (or passing), or tenure crossing the
 * ramp-up. Accounts on such a boundary between the two days are left out of the comparison.
 */
function crossesBoundary(account: Account, from: number, to: number): boolean {
  const edges: number[] = [];
  if (account.renewalDate !== undefined) {
    const renewal = dayNumber(account.renewalDate);
    edges.push(
      renewal,
      renewal - scoring.renewal.evaluationWindowDays,
      renewal - scoring.renewal.conversationStartDays,
    );
  }
  if (account.customerSince !== undefined) edges.push(dayNumber(account.customerSince) + scoring.tenure.minDays);
  return edges.some((edge) => edge > from - 1 && edge <= to + 1);
}

const seatAdd = (a: Assessment | undefined) => a?.opportunities.find((o) => o.motion === 'seat_add');

describe('recommendations hold still when nothing new arrives (generated portfolios)', () => {
  it('re-scoring on consecutive days with unchanged usage never changes timing, nor an amount by more than the band', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 5 }), (seed, days) => {
        const options: PortfolioOptions = { companies: 120, days: 90, asOf: '2026-11-20', seed };
        const companies = generateCompanies(options);
        const inputs = companies.map((c) => ({ account: syntheticAccount(c), usage: [...generateUsage(c, options)] }));
        const start = dayNumber(options.asOf);
        let previous = assessPortfolio(inputs, { asOf: options.asOf, config: scoring });
        for (let d = 1; d <= days; d += 1) {
          const next = assessPortfolio(
            inputs.map((input, i) => ({ ...input, previous: previous[i] })),
            { asOf: isoDate(start + d), config: scoring },
          );
          inputs.forEach((input, i) => {
            if (crossesBoundary(input.account, start + d - 1, start + d)) return;
            const before = previous[i];
            const after = next[i];
            expect(after?.timing, `${input.account.id} day ${d}`).toBe(before?.timing);
            const was = seatAdd(before)?.arrPotential;
            const now = seatAdd(after)?.arrPotential;
            if (was !== undefined && now !== undefined) expect(Math.abs(now - was)).toBeLessThanOrEqual(band * was);
          });
          previous = next;
        }
      }),
      { numRuns: 8 },
    );
  });

  it('a run on the same day with the same inputs gives the same assessment', () => {
    const options: PortfolioOptions = { companies: 80, days: 90, asOf: '2026-11-20', seed: 7 };
    const inputs = generateCompanies(options).map((c) => ({
      account: syntheticAccount(c),
      usage: [...generateUsage(c, options)],
    }));
    const first = assessPortfolio(inputs, { asOf: options.asOf, config: scoring });
    const again = assessPortfolio(
      inputs.map((input, i) => ({ ...input, previous: first[i] })),
      { asOf: options.asOf, config: scoring },
    );
    expect(again).toEqual(first);
  });
});

describe('never a pitch to an account at risk (generated portfolios)', () => {
  it('no red account has anything pitched, and "now" only ever goes to a green account with a pitched opportunity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 3 }), (seed, stress) => {
        const options: PortfolioOptions = { companies: 150, days: 90, asOf: '2026-11-20', seed };
        // Push risk onto a share of accounts on top of the generator's own: escalations, detractors, late invoices.
        const inputs = generateCompanies(options).map((c, i) => {
          const account = syntheticAccount(c);
          const risky =
            i % 4 === stress ? { openEscalations: 1 + (i % 4), nps: i % 7, paymentOverdueDays: (i % 3) * 35 } : {};
          return { account: { ...account, ...risky }, usage: [...generateUsage(c, options)] };
        });
        for (const a of assessPortfolio(inputs, { asOf: options.asOf, config: scoring })) {
          const pitched = a.opportunities.filter((o) => o.withheld === undefined);
          if (a.health === 'red') expect(pitched, a.accountId).toEqual([]);
          if (a.timing === 'now') {
            expect(a.health, a.accountId).toBe('green');
            expect(pitched.length, a.accountId).toBeGreaterThan(0);
          }
          if (a.health !== 'green') expect(a.timing, a.accountId).not.toBe('now');
        }
      }),
      { numRuns: 10 },
    );
  });
});
