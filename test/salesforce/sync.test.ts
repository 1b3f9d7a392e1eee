import { afterEach, describe, expect, it } from 'vitest';
import { AS_OF, defaultUsage, startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';
import { usageSeries } from '../support/usage.ts';

/**
 * What a Salesforce sync writes in Salesforce's own shapes (permission set, record type, note kinds, sessions,
 * quota share). Reruns, changes, dry-run, partial failures and the write-back contract with AEs are in the CRM
 * contract suite (test/contract/), which Salesforce runs in contract.test.ts.
 */

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const opportunities = (h: SalesforceHarness) => h.emulator.listRecords('Opportunity');
const tasks = (h: SalesforceHarness) => h.emulator.listRecords('Task');
const contentNotes = (h: SalesforceHarness) => h.emulator.listRecords('ContentNote');
const noteHtml = (note: Record<string, unknown> | undefined) =>
  Buffer.from(String(note?.['Content'] ?? ''), 'base64').toString('utf8');

describe('Salesforce sync end to end (jsforce against the emulator)', () => {
  it('first run: provisions the fields, scores every Account, one Opportunity per ready account and one note each', async () => {
    harness = await startSalesforceHarness();
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(report.scored).toBe(5);
    for (const account of harness.emulator.listRecords('Account')) {
      expect(account['Expansion_Score__c']).toEqual(expect.any(Number));
      expect(['green', 'yellow', 'red']).toContain(account['Expansion_Health__c']);
      expect(account['Expansion_Scored_At__c']).toBe(AS_OF);
    }
    const acme = harness.opportunitiesOf('acme.example');
    expect(acme).toHaveLength(1);
    expect(acme[0]).toMatchObject({
      StageName: 'Prospecting',
      Type: 'Existing Customer - Upgrade',
      Expansion_Motion__c: 'seat_add',
      OwnerId: harness.emulator.listRecords('Account').find((a) => a['Website'] === 'acme.example')?.['OwnerId'],
    });
    expect(String(acme[0]?.['Expansion_Key__c'])).toMatch(/^salesforce-001\w+-seat_add-2026q4$/);
    expect(acme[0]?.['Amount']).toBeGreaterThan(0);
    // Cobalt is declining (red: hold) and Delta renews inside the evaluation window: no opportunity for either.
    expect(harness.opportunitiesOf('cobalt.example')).toHaveLength(0);
    expect(harness.opportunitiesOf('delta.example')).toHaveLength(0);
    expect(opportunities(harness)).toHaveLength(2);
    const notes = contentNotes(harness);
    expect(notes).toHaveLength(2);
    const links = harness.emulator.listRecords('ContentDocumentLink');
    const acmeNoteId = links.find((l) => l['LinkedEntityId'] === acme[0]?.Id)?.['ContentDocumentId'];
    expect(
      links
        .filter((l) => l['ContentDocumentId'] === acmeNoteId)
        .map((l) => l['LinkedEntityId'])
        .sort(),
    ).toEqual([acme[0]?.Id, harness.accountId('acme.example')].sort());
    const html = noteHtml(notes.find((n) => n.Id === acmeNoteId));
    expect(html).toContain('88%');
    expect(html).toMatch(/^<p><strong>.+<\/strong><\/p>/);
    expect(tasks(harness)).toHaveLength(0);
    expect(report.writes).toMatchObject({
      account: { updated: 5, failed: 0 },
      opportunity: { created: 2, failed: 0 },
      note: { created: 2, failed: 0 },
    });
    // Field-level security for the new fields, through the Expansion_Sync permission set, assigned to us.
    const [set] = harness.emulator.listRecords('PermissionSet');
    expect(set).toMatchObject({ Name: 'Expansion_Sync' });
    const grants = harness.emulator.listRecords('FieldPermissions').filter((f) => f['ParentId'] === set?.Id);
    expect(grants).toHaveLength(12);
    expect(grants.every((g) => g['PermissionsRead'] === true && g['PermissionsEdit'] === true)).toBe(true);
    expect(
      harness.emulator.listRecords('PermissionSetAssignment').filter((a) => a['PermissionSetId'] === set?.Id),
    ).toHaveLength(1);
  });

  it('a user who may not manage permission sets gets a warning, and the run still writes', async () => {
    harness = await startSalesforceHarness();
    harness.emulator.faults.add({
      method: 'POST',
      path: /\/sobjects\/PermissionSet$/,
      sequence: [
        {
          status: 400,
          body: [
            {
              errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
              message: 'insufficient access rights on cross-reference id',
            },
          ],
        },
      ],
    });
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(report.writes.opportunity.created).toBe(2);
    expect(harness.emulator.listRecords('PermissionSet')).toHaveLength(0);
  });

  it('sets the configured record type on new opportunities only', async () => {
    harness = await startSalesforceHarness({ salesforce: { recordTypeId: '012Hs0000000001AAA' } });
    harness.emulator.addField('Opportunity', {
      name: 'RecordTypeId',
      label: 'Record Type ID',
      type: 'string',
      length: 18,
    });
    await harness.run();
    expect(opportunities(harness).map((o) => o['RecordTypeId'])).toEqual(['012Hs0000000001AAA', '012Hs0000000001AAA']);
  });

  it.each(['content-note', 'task'] as const)(
    'notes (%s) a crashed run left pending are found by their reference, not written twice',
    async (notes) => {
      harness = await startSalesforceHarness({ salesforce: { notes } });
      await harness.run();
      // As after a crash between the CRM call and the ledger: the write-ahead entries are still pending.
      await harness.withStore(async (store) => {
        for (const note of await store.listArtifacts('salesforce', { kind: 'note' })) {
          const { crmId: _crmId, ...rest } = note;
          await store.putArtifact({ ...rest, status: 'pending' });
        }
      });
      const report = await harness.run();
      expect(report.writes.note.created).toBe(0);
      expect(notes === 'task' ? tasks(harness) : contentNotes(harness)).toHaveLength(2);
      const done = await harness.withStore((store) =>
        store.listArtifacts('salesforce', { kind: 'note', status: 'done' }),
      );
      expect(done).toHaveLength(2);
    },
  );

  it('notes: "task" writes completed Tasks on the opportunities instead, once', async () => {
    harness = await startSalesforceHarness({ salesforce: { notes: 'task' } });
    const first = await harness.run();
    expect(first.writes.note.created).toBe(2);
    const [acme] = harness.opportunitiesOf('acme.example');
    const acmeTask = tasks(harness).find((t) => t['WhatId'] === acme?.Id);
    expect(acmeTask).toMatchObject({ Status: 'Completed', ActivityDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(String(acmeTask?.['Description'])).toContain('88%');
    expect(contentNotes(harness)).toHaveLength(0);
    harness.emulator.requests.reset();
    await harness.run();
    expect(harness.emulator.requests.writes()).toBe(0);
    expect(tasks(harness)).toHaveLength(2);
  });

  it('an expired session mid-run is renewed and the run completes', async () => {
    harness = await startSalesforceHarness();
    await harness.run();
    const usage = defaultUsage().filter((d) => d.accountKey !== 'birch.example');
    usage.push(
      ...usageSeries({
        key: 'birch.example',
        asOf: AS_OF,
        days: 60,
        shape: () => ({ activeUsers: 36, seatsUsed: 37 }),
      }),
    );
    await harness.writeUsage(usage);
    // The first upsert of this run meets an expired session: jsforce's refreshFn re-runs the grant.
    harness.emulator.faults.add({
      method: 'PATCH',
      path: /\/composite\/sobjects\/Opportunity\//,
      sequence: [
        { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] },
        'pass',
      ],
    });
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(harness.opportunitiesOf('birch.example')).toHaveLength(1);
  });
});

describe('Salesforce quota share', () => {
  it('stops cleanly before the run passes the configured share of the daily allocation, and resumes later', async () => {
    harness = await startSalesforceHarness({ salesforce: { maxDailyShare: 0.5 } });
    harness.emulator.setDailyUsage(7_600);
    const stopped = await harness.run();
    expect(stopped.status).toBe('stopped');
    expect(stopped.message).toMatch(/7,60\d of 15,000 daily requests, the 50% this worker may use/);
    expect(harness.emulator.requests.writes()).toBe(0);
    expect(await harness.withStore((s) => s.getCheckpoint('test', 'apply'))).toMatchObject({
      code: 'salesforce_quota_share',
    });
    harness.emulator.setDailyUsage(0);
    const resumed = await harness.run();
    expect(resumed.status).toBe('succeeded');
    expect(opportunities(harness)).toHaveLength(2);
  });
});
