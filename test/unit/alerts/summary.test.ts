import { afterEach, describe, expect, it } from 'vitest';
import { alertsForRun, alertText, deliveredOpportunityKeys, sendAlerts } from '../../../src/alerts/index.ts';
import { AlertsConfigSchema } from '../../../src/config/schema.ts';
import type { StoredAssessment } from '../../../src/state/store.ts';
import { assessment, report, seatOpportunity, stored } from './fixtures.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const RULES = { opportunityMinTier: 'P1', failedRecordRate: 0.1, maxOpportunityAlerts: 5, currency: 'EUR' } as const;

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** `n` accounts, each with one new P1 opportunity; account i ranks i and is worth 1000 * i potential ARR. */
function portfolio(n: number): StoredAssessment[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + 1;
    return stored({
      accountId: String(i),
      accountName: `Account ${i}`,
      ownerId: `owner-${i % 3}`,
      ownerName: `Owner ${i % 3}`,
      assessment: assessment({
        accountId: String(i),
        opportunities: [
          seatOpportunity({ arrPotential: 1000 * i, priority: { score: 100 - i, rank: i, tier: 'P1', queued: false } }),
        ],
      }),
    });
  }).reverse();
}

describe('a burst of new opportunities', () => {
  it('34 new opportunities send exactly one summary alert with the count, the total, the top ones and the pipeline command', () => {
    const alerts = alertsForRun(report(), portfolio(34), [], RULES);
    expect(alerts).toHaveLength(1);
    const [summary] = alerts;
    expect(summary?.kind).toBe('opportunity_summary');
    // 1000 * (1 + ... + 34) = 595,000 potential ARR, in the configured currency.
    expect(summary?.summary).toContain('34 new expansion opportunities');
    expect(summary?.summary).toContain('€595,000');
    const text = alertText(summary!);
    expect(text).toContain('New opportunities: 34');
    expect(text).toContain('expansion-sync pipeline');
    expect(text).toContain('more than alerts.maxOpportunityAlerts (5)');
    // The top five by priority, with account and owner names; the sixth is only counted.
    for (const i of [1, 2, 3, 4, 5]) expect(text).toContain(`Account ${i}:`);
    expect(text).toContain('Owner 1');
    expect(text).not.toContain('Account 6:');
    expect(text.indexOf('Account 1:')).toBeLessThan(text.indexOf('Account 2:'));
    expect(summary?.data).toMatchObject({ opportunities: 34, currency: 'EUR', arrPotential: 595_000 });
  });

  it('three new opportunities still go out as three alerts of their own', () => {
    const alerts = alertsForRun(report(), portfolio(3), [], RULES);
    expect(alerts.map((a) => [a.kind, a.data.accountName])).toEqual([
      ['opportunity', 'Account 1'],
      ['opportunity', 'Account 2'],
      ['opportunity', 'Account 3'],
    ]);
  });

  it('the threshold counts only opportunities not alerted before; exactly the threshold is not a burst', () => {
    expect(alertsForRun(report(), portfolio(5), [], RULES).map((a) => a.kind)).toEqual(Array(5).fill('opportunity'));
    expect(alertsForRun(report(), portfolio(6), [], RULES).map((a) => a.kind)).toEqual(['opportunity_summary']);
    // 31 of the 34 were alerted by an earlier run: the 3 left go out one by one.
    const earlier = Array.from({ length: 31 }, (_, k) => `${k + 4}|seat_add|`);
    expect(alertsForRun(report(), portfolio(34), earlier, RULES).map((a) => a.data.accountName)).toEqual([
      'Account 1',
      'Account 2',
      'Account 3',
    ]);
  });

  it('run problems are still alerted on their own next to the summary', () => {
    const alerts = alertsForRun(report({ status: 'failed', message: 'boom' }), portfolio(34), [], RULES);
    expect(alerts.map((a) => a.kind)).toEqual(['run_failed', 'opportunity_summary']);
  });

  it('delivering the summary marks all 34 opportunities as alerted, so the next run sends nothing again', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const alerts = alertsForRun(report(), portfolio(34), [], RULES);
    const result = await sendAlerts(alerts, {
      slack: { channelUrl: `${r.base}/channel`, ownerUrls: { 'owner-1': `${r.base}/owner-1` } },
      webhookUrl: `${r.base}/generic`,
    });
    expect(result.failures).toEqual([]);
    // One message per destination: the summary goes to the channel, never to one owner's webhook.
    expect(r.requests.map((q) => q.path)).toEqual(['/channel', '/generic']);
    const [slack] = r.json('/channel') as Array<{ text: string; blocks: Array<{ type: string }> }>;
    expect(slack?.text).toContain('34 new expansion opportunities');
    expect(slack?.blocks[0]?.type).toBe('header');
    expect(JSON.stringify(slack?.blocks)).toContain('expansion-sync pipeline');
    const [generic] = r.json('/generic') as Array<{ kind: string; text: string; data: Record<string, unknown> }>;
    expect(generic).toMatchObject({ kind: 'opportunity_summary', data: { opportunities: 34 } });
    expect(generic?.text).toContain('expansion-sync pipeline');

    const keys = deliveredOpportunityKeys(result.deliveries);
    expect(new Set(keys).size).toBe(34);
    const individually = alertsForRun(report(), portfolio(34), [], { ...RULES, maxOpportunityAlerts: 100 });
    expect(new Set(keys)).toEqual(new Set(individually.map((a) => a.key)));
    expect(alertsForRun(report(), portfolio(34), keys, RULES)).toEqual([]);
  });

  it('an undelivered summary marks nothing, so the next run tries again', async () => {
    const r = await startReceiver((_q, _i, res) => res.writeHead(404).end('no_service'));
    receivers.push(r);
    const result = await sendAlerts(alertsForRun(report(), portfolio(34), [], RULES), {
      slack: { channelUrl: `${r.base}/channel`, ownerUrls: {} },
    });
    expect(deliveredOpportunityKeys(result.deliveries)).toEqual([]);
  });

  it('customer names in the summary are escaped for Slack', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const rows = portfolio(6);
    const last = rows.at(-1)!;
    rows[rows.length - 1] = { ...last, accountName: '<!channel> & co' };
    await sendAlerts(alertsForRun(report(), rows, [], RULES), { slack: { channelUrl: `${r.base}/c`, ownerUrls: {} } });
    expect(r.requests[0]?.body).not.toContain('<!channel>');
    const [slack] = r.json('/c') as Array<{ blocks: unknown[] }>;
    expect(JSON.stringify(slack?.blocks)).toContain('&lt;!channel&gt; &amp; co');
  });

  it('alerts.maxOpportunityAlerts defaults to 5 and takes a configured value of at least 1', () => {
    expect(AlertsConfigSchema.parse({}).maxOpportunityAlerts).toBe(5);
    expect(AlertsConfigSchema.parse({ maxOpportunityAlerts: 10 }).maxOpportunityAlerts).toBe(10);
    expect(AlertsConfigSchema.safeParse({ maxOpportunityAlerts: 0 }).success).toBe(false);
  });
});
