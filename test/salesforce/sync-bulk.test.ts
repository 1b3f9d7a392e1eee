import { afterEach, describe, expect, it } from 'vitest';
import { COMPANIES, type TestCompany } from '../support/hubspot-harness.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The five usage-bearing companies plus 245 more without usage: 250 score-field updates in all. */
const MANY: TestCompany[] = [
  ...COMPANIES,
  ...Array.from({ length: 245 }, (_, i): TestCompany => ({
    name: `Filler ${i}`,
    domain: `filler-${i}.example`,
    seats: 10,
    plan: 'starter',
    renewalDate: '2027-10-01',
    ownerId: '2002',
  })),
];

describe('Salesforce writes above the bulk threshold (Bulk API 2.0 through jsforce)', () => {
  it('sends the score fields in one ingest job, records every outcome, and a rerun writes nothing', async () => {
    harness = await startSalesforceHarness({ companies: MANY, salesforce: { bulkThreshold: 200 } });
    const birch = harness.accountId('birch.example');
    const fault = harness.emulator.faults.failRecords({
      object: 'Account',
      match: (r) => (r['Id'] ?? r['id']) === birch,
      statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Health may not change during a renewal',
    });
    const first = await harness.run();
    expect(first.writes.account).toEqual({ created: 0, updated: 249, failed: 1 });
    const log = harness.emulator.requests.log();
    expect(log.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs/ingest'))).toHaveLength(1);
    expect(log.filter((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'))).toHaveLength(0);
    expect(await harness.withStore((s) => s.listFailures({ system: 'salesforce' }))).toEqual([
      expect.objectContaining({
        recordKey: birch,
        message: expect.stringContaining('Health may not change during a renewal'),
      }),
    ]);
    expect(
      harness.emulator
        .listRecords('Account')
        .filter((a) => a['Expansion_Scored_At__c'] !== undefined && a['Expansion_Scored_At__c'] !== null),
    ).toHaveLength(249);

    fault.remove();
    harness.emulator.requests.reset();
    const second = await harness.run();
    // Only the failed record is retried; it goes through a collection call, below the threshold.
    expect(second.writes.account).toEqual({ created: 0, updated: 1, failed: 0 });
    expect(harness.emulator.requests.count({ method: 'POST', path: '/services/data/v62.0/jobs/ingest' })).toBe(0);
    harness.emulator.requests.reset();
    await harness.run();
    expect(harness.emulator.requests.writes()).toBe(0);
  });
});
