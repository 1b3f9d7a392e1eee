import { describe, expect, it } from 'vitest';
import { alertsForRun, alertText, meetsTier } from '../../../src/alerts/index.ts';
import { assessment, report, seatOpportunity, stored } from './fixtures.ts';

const RULES = { opportunityMinTier: 'P2', failedRecordRate: 0.1, currency: 'USD' } as const;

const portfolio = [
  stored({
    accountId: '1',
    accountName: 'P1 new',
    ownerId: '77',
    assessment: assessment({
      accountId: '1',
      opportunities: [seatOpportunity({ priority: { score: 9, rank: 2, tier: 'P1', queued: false } })],
    }),
  }),
  stored({
    accountId: '2',
    accountName: 'P2 new, two motions',
    assessment: assessment({
      accountId: '2',
      opportunities: [
        seatOpportunity({ priority: { score: 8, rank: 1, tier: 'P2', queued: false } }),
        seatOpportunity({
          motion: 'module_cross_sell',
          module: 'reporting',
          priority: { score: 7, rank: 3, tier: 'P2', queued: false },
        }),
      ],
    }),
  }),
  stored({
    accountId: '3',
    accountName: 'P3',
    assessment: assessment({
      accountId: '3',
      opportunities: [seatOpportunity({ priority: { score: 1, rank: 9, tier: 'P3', queued: false } })],
    }),
  }),
  stored({
    accountId: '4',
    accountName: 'P1 queued',
    assessment: assessment({
      accountId: '4',
      opportunities: [seatOpportunity({ priority: { score: 9, rank: 4, tier: 'P1', queued: true } })],
    }),
  }),
  stored({
    accountId: '5',
    accountName: 'P1 alerted before',
    assessment: assessment({
      accountId: '5',
      opportunities: [seatOpportunity({ priority: { score: 9, rank: 5, tier: 'P1', queued: false } })],
    }),
  }),
  stored({
    accountId: '6',
    accountName: 'unranked',
    assessment: assessment({ accountId: '6', opportunities: [seatOpportunity({ priority: undefined })] }),
  }),
];

describe('alertsForRun', () => {
  it('a clean run alerts only new opportunities at or above the tier, not queued, not alerted before, best ranked first', () => {
    const alerts = alertsForRun(report(), portfolio, ['5|seat_add|'], RULES);
    expect(alerts.map((a) => a.key)).toEqual(['2|seat_add|', '1|seat_add|', '2|module_cross_sell|reporting']);
    expect(alerts.every((a) => a.kind === 'opportunity')).toBe(true);
    expect(alerts[1]?.ownerId).toBe('77');
  });

  it('the same opportunity is alerted once across runs when its key is remembered', () => {
    const first = alertsForRun(report(), portfolio, [], RULES);
    const second = alertsForRun(
      report({ runId: 'run-2' }),
      portfolio,
      new Set(first.flatMap((a) => (a.key ? [a.key] : []))),
      RULES,
    );
    expect(second).toEqual([]);
  });

  it('a failed or stopped run, a failed-record rate over the threshold and schema drift each produce their alert, first', () => {
    const failing = report({
      status: 'stopped',
      writes: {
        account: { created: 0, updated: 8, failed: 2 },
        opportunity: { created: 0, updated: 0, failed: 0 },
        note: { created: 0, updated: 0, failed: 0 },
      },
      schema: {
        disabled: [],
        warnings: [],
        truncated: [{ object: 'companies', field: 'es_reasons', count: 1, length: 255 }],
        rejected: [],
      },
    });
    expect(alertsForRun(failing, portfolio.slice(0, 1), [], RULES).map((a) => a.kind)).toEqual([
      'run_failed',
      'failed_records',
      'schema_drift',
      'opportunity',
    ]);
  });

  it('stays quiet at or under the failed-record threshold, with no writes, and for schema warnings alone', () => {
    const atThreshold = report({
      writes: {
        account: { created: 0, updated: 9, failed: 1 },
        opportunity: { created: 0, updated: 0, failed: 0 },
        note: { created: 0, updated: 0, failed: 0 },
      },
    });
    expect(alertsForRun(atThreshold, [], [], RULES)).toEqual([]);
    const noWrites = report({
      writes: {
        account: { created: 0, updated: 0, failed: 0 },
        opportunity: { created: 0, updated: 0, failed: 0 },
        note: { created: 0, updated: 0, failed: 0 },
      },
    });
    expect(alertsForRun(noWrites, [], [], { ...RULES, failedRecordRate: 0 })).toEqual([]);
    const warningsOnly = report({
      schema: {
        disabled: [],
        warnings: [
          {
            severity: 'warning',
            file: 'm.yaml',
            line: 1,
            object: 'companies',
            field: 'x',
            rule: 'write',
            message: 'short',
            fix: 'widen',
          },
        ],
        truncated: [],
        rejected: [],
      },
    });
    expect(alertsForRun(warningsOnly, [], [], RULES)).toEqual([]);
  });

  it('never alerts on a withheld opportunity, however high it ranks, and names the owner instead of the id', () => {
    const held = (id: string, withheld: 'renewal_evaluation' | 'ramping' | 'watch', rank: number) =>
      stored({
        accountId: id,
        accountName: `Held ${withheld}`,
        ownerId: '77',
        assessment: assessment({
          accountId: id,
          opportunities: [seatOpportunity({ withheld, priority: { score: 99, rank, tier: 'P1', queued: false } })],
        }),
      });
    const named = stored({
      accountId: '9',
      accountName: 'Named',
      ownerId: '1002',
      ownerName: 'Dana Whitfield',
      assessment: assessment({ accountId: '9' }),
    });
    const alerts = alertsForRun(
      report(),
      [held('7', 'renewal_evaluation', 1), held('8', 'ramping', 2), held('10', 'watch', 3), named],
      [],
      RULES,
    );
    expect(alerts.map((a) => a.key)).toEqual(['9|seat_add|']);
    const text = alertText(alerts[0]!);
    expect(text).toContain('Owner: Dana Whitfield');
    expect(text).not.toContain('1002');
    expect(alerts[0]?.ownerId).toBe('1002');
  });

  it('shows the amounts in the configured currency', () => {
    const [alert] = alertsForRun(report(), portfolio.slice(0, 1), [], { ...RULES, currency: 'EUR' });
    expect(alert?.summary).toBe('New P1 expansion opportunity: P1 new: Seat expansion, €6,600 potential ARR');
    expect(alertText(alert!)).not.toContain('$');
  });

  it('compares tiers with P1 best', () => {
    expect([meetsTier('P1', 'P1'), meetsTier('P2', 'P1'), meetsTier('P2', 'P3'), meetsTier(undefined, 'P3')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});
