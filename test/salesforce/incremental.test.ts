import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const HOUR = 3_600_000;
const accountQueries = (h: SalesforceHarness) =>
  h.emulator.requests.log().filter((r) => r.path.endsWith('/query') && r.method === 'GET').length;

describe('incremental Account reads on SystemModstamp (jsforce against the emulator)', () => {
  it('reads every Account first, then only those changed since, and still scores the whole portfolio', async () => {
    harness = await startSalesforceHarness({ salesforce: { overlapSeconds: 0 } });
    const first = await harness.run();
    expect(first.read).toMatchObject({ accountRead: 'full', accountsFetched: 5, accounts: 5 });
    harness.advance(HOUR);
    const quiet = await harness.run();
    expect(quiet.read).toMatchObject({ accountRead: 'incremental', accountsFetched: 0, accounts: 5 });
    expect(quiet.scored).toBe(5);
    // Our own writes of the first run are remembered: nothing looks like a person's edit.
    expect(quiet.conflicts).toEqual([]);
    expect(quiet.writes.account.updated).toBe(0);

    harness.advance(HOUR);
    const acme = harness.accountId('acme.example');
    const before = harness.emulator.getRecord('Account', acme)?.['Expansion_Score__c'];
    harness.emulator.updateRecord('Account', acme, { Licensed_Seats__c: 200 });
    const changed = await harness.run();
    expect(changed.read).toMatchObject({ accountRead: 'incremental', accountsFetched: 1, accounts: 5 });
    // Acme now has room on 200 seats: its score changes, and only Acme is written.
    expect(changed.writes.account.updated).toBe(1);
    expect(harness.emulator.getRecord('Account', acme)?.['Expansion_Score__c']).not.toBe(before);
  });

  it('an AE edit of a field we wrote, read incrementally, is a conflict and is kept', async () => {
    harness = await startSalesforceHarness({ salesforce: { overlapSeconds: 0 } });
    await harness.run();
    harness.advance(HOUR);
    const birch = harness.accountId('birch.example');
    harness.emulator.updateRecord('Account', birch, { Expansion_Health__c: 'red' });
    const report = await harness.run();
    expect(report.read.accountsFetched).toBe(1);
    expect(report.conflicts).toEqual([expect.objectContaining({ recordKey: birch, field: 'Expansion_Health__c' })]);
    expect(harness.emulator.getRecord('Account', birch)?.['Expansion_Health__c']).toBe('red');
  });

  it('the overlap window re-reads Accounts changed just before the cursor', async () => {
    harness = await startSalesforceHarness({ salesforce: { overlapSeconds: 600 } });
    await harness.run();
    harness.advance(60_000);
    const report = await harness.run();
    // Everything was written a minute ago, inside the ten-minute overlap: all five are fetched again.
    expect(report.read).toMatchObject({ accountRead: 'incremental', accountsFetched: 5 });
    expect(report.writes.account.updated).toBe(0);
  });

  it('--full-read reads every Account again, whatever the cursor says', async () => {
    harness = await startSalesforceHarness({ salesforce: { overlapSeconds: 0 } });
    await harness.run();
    harness.advance(HOUR);
    harness.emulator.requests.reset();
    const full = await harness.run('live', { fullRead: true });
    expect(full.read).toMatchObject({ accountRead: 'full', accountsFetched: 5 });
    expect(accountQueries(harness)).toBeGreaterThan(0);
  });

  it('an unreadable cursor means a full read, not a crash', async () => {
    harness = await startSalesforceHarness({ salesforce: { overlapSeconds: 0 } });
    await harness.run();
    await harness.withStore((s) => s.setCheckpoint('test', 'accounts', { modstamp: 'yesterday-ish', id: 7 }));
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(report.read).toMatchObject({ accountRead: 'full', accountsFetched: 5 });
  });
});
