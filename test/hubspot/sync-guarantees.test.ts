import { afterEach, describe, expect, it } from 'vitest';
import { AS_OF, defaultUsage, startHarness, type Harness } from '../support/hubspot-harness.ts';
import { usageSeries } from '../support/usage.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const dealOf = (h: Harness, domain: string) => {
  const [id] = h.emulator.associationsOf('companies', h.companyId(domain), 'deals');
  return id === undefined ? undefined : h.emulator.getObject('deals', id);
};

/** Acme's seat pressure grows, so the sized amount changes and the worker wants to update its deal. */
function acmeGrows(): ReturnType<typeof defaultUsage> {
  const usage = defaultUsage().filter((d) => d.accountKey !== 'acme.example');
  usage.push(...usageSeries({ key: 'acme.example', asOf: AS_OF, days: 60, shape: (i) => ({ activeUsers: 40 + Math.floor(i / 6), seatsUsed: 44 + Math.floor(i / 6) }) }));
  return usage;
}

describe('the write-back contract with AEs', () => {
  it('does not overwrite an amount or stage an AE edited, and reports the conflict', async () => {
    harness = await startHarness();
    await harness.run();
    const deal = dealOf(harness, 'acme.example')!;
    harness.emulator.updateProperties('deals', deal.id, { amount: '12345', dealstage: 'qualifiedtobuy' });
    await harness.writeUsage(acmeGrows());
    const report = await harness.run();
    const after = harness.emulator.getObject('deals', deal.id)!;
    expect(after.properties['amount']).toBe('12345');
    expect(after.properties['dealstage']).toBe('qualifiedtobuy');
    expect(report.conflicts.some((c) => c.field === 'amount' && c.recordKey === deal.properties['expansion_key'])).toBe(true);
  });

  it('never reopens or edits a closed deal', async () => {
    harness = await startHarness();
    await harness.run();
    const deal = dealOf(harness, 'acme.example')!;
    harness.emulator.updateProperties('deals', deal.id, { dealstage: 'closedwon' });
    const closed = harness.emulator.getObject('deals', deal.id)!;
    await harness.writeUsage(acmeGrows());
    harness.emulator.requests.reset();
    const report = await harness.run();
    expect(harness.emulator.getObject('deals', deal.id)).toEqual(closed);
    expect(harness.emulator.associationsOf('companies', harness.companyId('acme.example'), 'deals')).toHaveLength(1);
    expect(report.skipped['closed']).toBe(1);
    expect(harness.emulator.requests.log().some((r) => r.write && r.path.includes('/deals'))).toBe(false);
  });

  it('attaches evidence to an AE\'s own open deal for the same motion instead of creating a second one', async () => {
    // Ember starts flat (no seat pressure), so the first run creates no deal there.
    const flatEmber = defaultUsage().filter((d) => d.accountKey !== 'ember.example');
    flatEmber.push(...usageSeries({ key: 'ember.example', asOf: AS_OF, days: 60, shape: () => ({ activeUsers: 55, seatsUsed: 60 }) }));
    harness = await startHarness({ usage: flatEmber });
    await harness.run();
    const ember = harness.companyId('ember.example');
    expect(harness.emulator.associationsOf('companies', ember, 'deals')).toHaveLength(0);
    // The AE opens a seat deal on their own; then Ember's seats fill up.
    const ae = harness.emulator.createObject('deals', { dealname: 'Ember seats (AE)', dealstage: 'qualifiedtobuy', pipeline: 'default', es_motion: 'seat_add', amount: '9000' }, [{ toType: 'companies', toId: ember }]);
    await harness.writeUsage(defaultUsage());
    const report = await harness.run();
    expect(harness.emulator.associationsOf('companies', ember, 'deals')).toEqual([ae.id]);
    expect(report.skipped['ae_opportunity']).toBe(1);
    expect(harness.emulator.associationsOf('deals', ae.id, 'notes')).toHaveLength(1);
    expect(harness.emulator.getObject('deals', ae.id)?.properties['amount']).toBe('9000');
    // The next run does not attach the same evidence again.
    await harness.run();
    expect(harness.emulator.associationsOf('deals', ae.id, 'notes')).toHaveLength(1);
  });
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
  it('a daily limit that runs out between write batches keeps what was written, and the resume writes only the rest', async () => {
    harness = await startHarness();
    await harness.run();
    // Learn how many calls an unchanged rerun spends on reads; then allow exactly one write call more.
    harness.emulator.requests.reset();
    await harness.run();
    const readCalls = harness.emulator.requests.count();
    const usage = defaultUsage().filter((d) => d.accountKey !== 'birch.example');
    usage.push(...usageSeries({ key: 'birch.example', asOf: AS_OF, days: 60, shape: () => ({ activeUsers: 36, seatsUsed: 37 }) }));
    await harness.writeUsage(usage);
    harness.emulator.limits.setDailyRemaining(readCalls + 1);
    const stopped = await harness.run();
    expect(stopped.status).toBe('stopped');
    expect(stopped.writes.account.updated).toBe(1);
    expect(stopped.writes.opportunity.created).toBe(0);
    expect(harness.emulator.associationsOf('companies', harness.companyId('birch.example'), 'deals')).toHaveLength(0);

    harness.emulator.limits.setDailyRemaining(100_000);
    const resumed = await harness.run();
    expect(resumed.status).toBe('succeeded');
    expect(resumed.writes.account.updated).toBe(0);
    expect(resumed.writes.opportunity.created).toBe(1);
    expect(harness.emulator.associationsOf('companies', harness.companyId('birch.example'), 'deals')).toHaveLength(1);
    expect(harness.emulator.listObjects('deals')).toHaveLength(3);
  });
});

describe('partial failures', () => {
  it('a 207 with one bad record writes the others, stores HubSpot\'s message, and retries it next run', async () => {
    harness = await startHarness();
    const birch = harness.companyId('birch.example');
    const fault = harness.emulator.faults.failRecords({ objectType: 'companies', match: (input) => input.id === birch, category: 'VALIDATION_ERROR', message: 'Property values were not valid: es_reasons is too long' });
    const first = await harness.run();
    expect(first.status).toBe('partial');
    expect(first.writes.account.updated).toBe(4);
    expect(first.failures).toEqual([expect.objectContaining({ recordKey: birch, message: expect.stringContaining('Property values were not valid') })]);
    const stored = await harness.withStore((s) => s.listFailures({ system: 'hubspot' }));
    expect(stored).toEqual([expect.objectContaining({ recordKey: birch, attempts: 1, message: expect.stringContaining('es_reasons is too long') })]);
    expect(harness.emulator.getObject('companies', harness.companyId('acme.example'))?.properties['es_score']).toBeTruthy();

    fault.remove();
    const second = await harness.run();
    expect(second.status).toBe('succeeded');
    expect(second.writes.account.updated).toBe(1);
    expect(harness.emulator.getObject('companies', birch)?.properties['es_health']).toBeTruthy();
    expect(await harness.withStore((s) => s.listFailures({ system: 'hubspot' }))).toEqual([]);
  });
});
