import { describe, expect, it } from 'vitest';
import { alertText, renderSlack, weeklyDigestAlert } from '../../../src/alerts/index.ts';
import { defaultScoringConfig } from '../../../src/scoring/config.ts';
import { scenario } from '../outcomes/stats-fixtures.ts';
import { assessment, stored } from './fixtures.ts';

const rows = [
  stored({ accountId: 'A', accountName: 'Acme', ownerId: '77', ownerName: 'Dana Reyes', assessment: assessment() }),
  stored({
    accountId: 'H',
    accountName: 'Hooli',
    ownerId: '88',
    ownerName: 'Lee Park',
    assessment: assessment({ accountId: 'H' }),
  }),
];

describe('weekly digest with outcomes (seed 004 "Weekly Expansion Pipeline")', () => {
  const outcomes = { ...scenario(), config: defaultScoringConfig() };
  const alert = weeklyDigestAlert(rows, { weekOf: '2026-03-04', currency: 'USD', outcomes });
  const text = alertText(alert);

  it('overview: new signals, in-progress and closed deals, and the expansion rate with its window', () => {
    expect(text).toContain('🆕 New signals this week: 2 accounts');
    expect(text).toContain('🎯 In-progress opportunities: 1 | $7,000');
    expect(text).toContain('✅ Closed this week: 1 | $0 won (0 won)');
    expect(text).toContain('📈 Expansion rate: 50% (3 won of 6 closed, last 90 days)');
    // The scored pipeline is still there.
    expect(text).toContain('🎯 Open opportunities: 2 | $9,636 expected');
  });

  it('signal activity as "Signal Type | Count | Avg Conversion", conversion with its 90% interval', () => {
    const section = text.slice(text.indexOf('📊 Signal Activity'), text.indexOf('🎯 CSM Expansion Leaderboard'));
    expect(section).toContain('Signal Type | Count | Avg Conversion');
    // Seat utilization: 2 won of 3 closed under a 0.75 x 10 prior: Beta(9.5, 3.5), mean 73%.
    expect(section).toContain('Seat utilization | 2 | 73% (90% CI 52–90%), n=3');
    // Usage growth: no closed deal carries it, so the configured prior (0.35) stands.
    expect(section).toContain('Usage growth | 2 | 35% (90% CI 13–60%), n=0');
  });

  it('CSM leaderboard as "CSM | Opportunities | Pipeline | Closed", by name', () => {
    const section = text.slice(text.indexOf('🎯 CSM Expansion Leaderboard'));
    expect(section).toContain('CSM | Opportunities | Pipeline | Closed');
    expect(section).toContain('Lee Park | 1 | $7,000 | $2,000');
    expect(section).toContain('Dana Reyes | 0 | $0 | $15,000');
    expect(section).not.toMatch(/\b(77|88)\b/);
    expect(text).toContain('🛟 Accounts to Stabilize (red)');
  });

  it('machine receivers get the same figures, and Slack renders it', () => {
    expect(alert.data).toMatchObject({
      outcomes: {
        newSignalAccounts: 2,
        open: { count: 1, amount: 7_000 },
        expansionRate: { won: 3, closed: 6, rate: 0.5, windowDays: 90 },
        leaderboard: [{ owner: 'Lee Park', opportunities: 1, pipeline: 7_000 }, { owner: 'Dana Reyes' }],
      },
    });
    expect(JSON.stringify(renderSlack(alert))).toContain('CSM | Opportunities | Pipeline | Closed');
  });

  it('without outcomes the digest reads as before', () => {
    const plain = alertText(weeklyDigestAlert(rows, { weekOf: '2026-03-04', currency: 'USD' }));
    expect(plain).toContain('🎯 Owner Expansion Leaderboard');
    expect(plain).not.toContain('Avg Conversion');
  });
});
