import { afterEach, describe, expect, it } from 'vitest';
import { AS_OF, grown, type TestCompany } from '../support/companies.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';
import { usageSeries } from '../support/usage.ts';

/**
 * Transient failures on writes (issue 13, item 6): a 500 UNKNOWN_EXCEPTION, a 502, a 503 or a 429 on an
 * account update is retried by the call policy, and the run ends with every account written and nothing
 * recorded as failed. Account updates go by Id and opportunities are upserted on our key, so a resend cannot
 * duplicate anything; note creates are not idempotent and are not resent after an ambiguous 5xx before the
 * notes are looked up by their reference.
 */

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const COUNT = 120;
const companies: TestCompany[] = Array.from({ length: COUNT }, (_, i) => ({
  name: `Company ${i + 1}`,
  domain: `company-${i + 1}.example`,
  seats: 40,
  plan: 'growth',
  renewalDate: '2027-08-01',
  ownerId: i % 2 === 0 ? '2001' : '2002',
}));
const usage = companies.flatMap((c) =>
  usageSeries({ key: c.domain, asOf: AS_OF, days: 60, shape: () => ({ activeUsers: 28, seatsUsed: 30 }) }),
);

const UPDATE = { route: 'PATCH /composite/sobjects' } as const;

async function start(): Promise<SalesforceHarness> {
  harness = await startSalesforceHarness({ companies, usage });
  return harness;
}

function expectEveryAccountWritten(h: SalesforceHarness): void {
  const accounts = h.emulator.listRecords('Account');
  expect(accounts).toHaveLength(COUNT);
  for (const account of accounts) {
    expect(account['Expansion_Score__c']).toEqual(expect.any(Number));
    expect(account['Expansion_Scored_At__c']).toBe(AS_OF);
  }
}

describe('Salesforce writes retry transient failures', () => {
  it('one 500 UNKNOWN_EXCEPTION on the account update batch, then success: all 120 written, no failure recorded', async () => {
    const h = await start();
    const fault = h.emulator.faults.add({ ...UPDATE, sequence: [500, 'pass'] });
    const report = await h.run();
    // The batch was sent twice: the 500, then the resend that went through.
    const updates = h.emulator.requests.log().filter((r) => r.route === UPDATE.route);
    expect(updates.map((r) => r.status)).toEqual([500, 200]);
    expect(fault.hits).toBe(2);
    expect(report.status).toBe('succeeded');
    expect(report.writes).toMatchObject({ account: { updated: COUNT, failed: 0 } });
    expectEveryAccountWritten(h);
    expect(report.failures).toEqual([]);
    // Nothing is stored as a failed write, so nothing counts toward writeBack.maxRetries.
    expect(await h.withStore((store) => store.listFailures())).toEqual([]);
  });

  it.each([
    ['a 502 from the edge', 502],
    ['a 503 SERVER_UNAVAILABLE', 503],
  ])('%s on the account update batch is retried after a backoff', async (_label, status) => {
    const h = await start();
    h.emulator.faults.add({ ...UPDATE, sequence: [status, 'pass'] });
    const report = await h.run();
    expect(report.status).toBe('succeeded');
    expect(report.writes).toMatchObject({ account: { updated: COUNT, failed: 0 } });
    expectEveryAccountWritten(h);
    expect(h.waits.some((ms) => ms >= 1_000)).toBe(true);
  });

  it('a 429 waits as long as Retry-After says, then the update goes through', async () => {
    const h = await start();
    h.emulator.faults.add({ ...UPDATE, sequence: [{ status: 429, headers: { 'Retry-After': '7' } }, 'pass'] });
    const report = await h.run();
    expect(report.status).toBe('succeeded');
    expect(report.writes).toMatchObject({ account: { updated: COUNT, failed: 0 } });
    expectEveryAccountWritten(h);
    expect(h.waits).toContain(7_000);
  });

  it('a 500 on a note create is not resent blindly: the note is looked up by its reference first, then sent once', async () => {
    harness = await startSalesforceHarness();
    const h = harness;
    await h.run();
    // Birch grows into seat pressure: this run creates one opportunity and its note, the only POST of the run.
    await h.writeUsage(grown('birch.example'));
    const fault = h.emulator.faults.add({ method: 'POST', path: /\/composite\/sobjects$/, sequence: [500] });
    const before = h.emulator.requests.log().length;
    const report = await h.run();
    expect(h.opportunitiesOf('birch.example')).toHaveLength(1);
    expect(fault.hits).toBe(1);
    // The 500 came before anything was saved: the lookup finds nothing, and the note is created once.
    const requests = h.emulator.requests.log().slice(before);
    const creates = requests.filter((r) => r.method === 'POST' && r.path.endsWith('/composite/sobjects'));
    expect(creates.map((r) => r.status)).toEqual([500, 200, 200]);
    expect(requests.some((r) => r.route === 'GET /query')).toBe(true);
    expect(h.emulator.listRecords('ContentNote')).toHaveLength(3);
    expect(report.writes).toMatchObject({ note: { created: 1, failed: 0 } });
  });
});
