import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

/**
 * HubSpot's own limits, as documented: the TEN_SECONDLY_ROLLING window and the daily limit. The quota
 * guarantee every CRM shares (a quota running out between write batches loses nothing) is in the CRM
 * contract suite (test/contract/sync-guarantees.ts).
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('HubSpot rate limits, as documented', () => {
  it('waits out TEN_SECONDLY_ROLLING 429s using the window header and completes the run', async () => {
    harness = await startHarness({ emulator: { limits: { perTenSeconds: 4 } } });
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(report.apiCalls.rateLimited).toBeGreaterThan(0);
    expect(harness.waits.some((ms) => ms >= 1_000 && ms <= 10_000)).toBe(true);
    expect(report.writes.opportunity.created).toBe(2);
  });

  it('ends cleanly when the daily limit runs out, and the next run resumes without duplicates', async () => {
    harness = await startHarness();
    harness.emulator.limits.setDailyRemaining(9);
    const stopped = await harness.run();
    expect(stopped.status).toBe('stopped');
    expect(stopped.message).toMatch(/daily/i);
    expect(stopped.message).toMatch(/next run resumes/);
    const checkpoint = await harness.withStore((s) => s.getCheckpoint('test', 'apply'));
    expect(checkpoint).toMatchObject({ code: 'hubspot_daily_limit' });

    harness.emulator.limits.setDailyRemaining(100_000);
    const resumed = await harness.run();
    expect(resumed.status).toBe('succeeded');
    const deals = harness.emulator.listObjects('deals');
    expect(deals).toHaveLength(2);
    expect(new Set(deals.map((d) => d.properties['expansion_key'])).size).toBe(2);
    expect(harness.emulator.listObjects('notes')).toHaveLength(2);
    expect(await harness.withStore((s) => s.getCheckpoint('test', 'apply'))).toBeUndefined();
  });
});
