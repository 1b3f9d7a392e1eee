import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/report.ts';
import { AS_OF, defaultUsage, startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';
import { usageSeries } from '../support/usage.ts';

/**
 * Each write policy, end to end against the Salesforce emulator (jsforce), as a user would notice it:
 * the field values on the records, `report.conflicts` and `report.writes`. Semantics from
 * src/engine/plan-fields.ts `decideField`: a field is only sent when our value differs from what
 * Salesforce holds; then
 * - always: write, whoever put the current value there;
 * - unless-edited (the default): write while the field is empty or still holds what we last wrote,
 *   otherwise keep it and list a conflict;
 * - if-empty: write only while the field is empty; anything in it (our own earlier value too) is kept,
 *   silently (no conflict);
 * - create-only: write only when the worker creates the record, never on an update.
 */

const SHIPPED = fileURLToPath(new URL('../../mappings/', import.meta.url));
const HOUR = 3_600_000;

/** One Account write field per policy; Expansion_Top_Signals__c has no `policy`, so it gets the default. */
const POLICY_WRITES = `write:
  - from: score
    field: Expansion_Score__c
    policy: always
  - from: health
    field: Expansion_Health__c
    policy: if-empty
  - from: timing
    field: Expansion_Timing__c
    policy: create-only
  - from: potentialArr
    field: Expansion_Potential_ARR__c
    policy: unless-edited
  - from: topSignals
    field: Expansion_Top_Signals__c
  - from: reasons
    field: Expansion_Reasons__c
    policy: unless-edited
  - from: scoredAt
    field: Expansion_Scored_At__c
    policy: always
`;

let harness: SalesforceHarness | undefined;
let mappingDir: string | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (mappingDir) await rm(mappingDir, { recursive: true, force: true });
  mappingDir = undefined;
});

/** A harness whose config points at a copy of the shipped Account mapping with POLICY_WRITES as its write rules. */
async function startWithPolicies(): Promise<SalesforceHarness> {
  mappingDir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-sf-policies-'));
  const shipped = await readFile(path.join(SHIPPED, 'salesforce.accounts.yaml'), 'utf8');
  const readSection = shipped.slice(0, shipped.search(/^write:/m));
  expect(readSection).toMatch(/^read:/m);
  const accounts = path.join(mappingDir, 'accounts.policies.yaml');
  await writeFile(accounts, `${readSection}${POLICY_WRITES}`);
  // overlapSeconds 0: an incremental read fetches exactly the Accounts changed since the last run.
  return startSalesforceHarness({ salesforce: { overlapSeconds: 0, mappings: { accounts, opportunities: path.join(SHIPPED, 'salesforce.opportunities.yaml') } } });
}

const account = (h: SalesforceHarness, domain: string) => h.emulator.getRecord('Account', h.accountId(domain))!;
/** Edits as a person in the Salesforce UI, an hour after the last run (so SystemModstamp moves past the cursor). */
const editAsPerson = (h: SalesforceHarness, object: string, id: string, fields: Record<string, unknown>) => {
  h.advance(HOUR);
  return h.emulator.updateRecord(object, id, fields);
};
const conflictFields = (report: RunReport, recordKey: string) => report.conflicts.filter((c) => c.recordKey === recordKey).map((c) => c.field).sort();
const totalWrites = (report: RunReport) => Object.values(report.writes).reduce((sum, w) => sum + w.created + w.updated + w.failed, 0);
const empty = (value: unknown) => value === null || value === undefined || value === '';

/** Grown seat pressure for Acme / Ember, and a recovered Cobalt (red/hold -> green/now); the rest as in defaultUsage. */
function grown(...domains: string[]): ReturnType<typeof defaultUsage> {
  const shapes: Record<string, (i: number) => { activeUsers: number; seatsUsed: number }> = {
    'acme.example': (i) => ({ activeUsers: 40 + Math.floor(i / 6), seatsUsed: 44 + Math.floor(i / 6) }),
    'ember.example': (i) => ({ activeUsers: 85 + Math.floor(i / 6), seatsUsed: 90 + Math.floor(i / 6) }),
    'cobalt.example': () => ({ activeUsers: 55, seatsUsed: 57 }),
  };
  const usage = defaultUsage().filter((d) => !domains.includes(d.accountKey));
  for (const key of domains) usage.push(...usageSeries({ key, asOf: AS_OF, days: 60, shape: shapes[key]! }));
  return usage;
}

/** A rerun on unchanged inputs and CRM sends nothing, whatever the policies and open conflicts. */
async function expectIdleRerun(h: SalesforceHarness): Promise<RunReport> {
  h.advance(HOUR);
  h.emulator.requests.reset();
  const report = await h.run();
  expect(report.status).toBe('succeeded');
  expect(totalWrites(report)).toBe(0);
  expect(h.emulator.requests.writes()).toBe(0);
  return report;
}

describe('write policies on Salesforce Account fields', () => {
  it('always: a person\'s edit is overwritten on the next run, whether or not our value changed; no conflict is reported', async () => {
    harness = await startWithPolicies();
    await harness.run();
    expect(account(harness, 'acme.example')['Expansion_Score__c']).toBe(67);
    expect(account(harness, 'ember.example')['Expansion_Score__c']).toBe(68);
    editAsPerson(harness, 'Account', harness.accountId('acme.example'), { Expansion_Score__c: 5 });
    editAsPerson(harness, 'Account', harness.accountId('ember.example'), { Expansion_Score__c: 99 });
    await harness.writeUsage(grown('acme.example'));

    const report = await harness.run();
    // Acme: our score moved (67 -> 74) and replaces the person's 5.
    expect(account(harness, 'acme.example')['Expansion_Score__c']).toBe(74);
    // Ember: our score did not move (still 68), yet the person's 99 is put back to it.
    expect(account(harness, 'ember.example')['Expansion_Score__c']).toBe(68);
    expect(report.conflicts.filter((c) => c.field === 'Expansion_Score__c')).toEqual([]);
    expect(report.writes.account.updated).toBeGreaterThanOrEqual(2);

    await expectIdleRerun(harness);
  });

  it('unless-edited (explicit and by default): a person\'s edit is kept and listed in report.conflicts on every run; unedited fields stay current', async () => {
    harness = await startWithPolicies();
    await harness.run();
    const acme = harness.accountId('acme.example');
    expect(account(harness, 'acme.example')).toMatchObject({ Expansion_Potential_ARR__c: 5400, Expansion_Top_Signals__c: 'seat_utilization' });
    expect(account(harness, 'cobalt.example')['Expansion_Potential_ARR__c']).toBe(0);
    editAsPerson(harness, 'Account', acme, { Expansion_Potential_ARR__c: 999, Expansion_Top_Signals__c: 'exec sponsor (manual)' });
    await harness.writeUsage(grown('acme.example', 'cobalt.example'));

    const report = await harness.run();
    // Our potential ARR for Acme is now 15000, but the person's 999 stays; the default-policy field too.
    expect(account(harness, 'acme.example')).toMatchObject({ Expansion_Potential_ARR__c: 999, Expansion_Top_Signals__c: 'exec sponsor (manual)' });
    expect(conflictFields(report, acme)).toEqual(['Expansion_Potential_ARR__c', 'Expansion_Top_Signals__c']);
    expect(report.conflicts.find((c) => c.recordKey === acme && c.field === 'Expansion_Potential_ARR__c')).toMatchObject({
      object: 'Account',
      accountName: 'Acme Analytics',
      reason: 'conflict',
      detail: 'changed in the CRM to "999" (we last wrote "5400"); kept, wanted "15000"',
    });
    // The rest of Acme is still written (the always score), and un-edited Cobalt follows our new value.
    expect(account(harness, 'acme.example')['Expansion_Score__c']).toBe(74);
    expect(account(harness, 'cobalt.example')['Expansion_Potential_ARR__c']).toBe(14400);
    expect(report.conflicts.every((c) => c.recordKey === acme)).toBe(true);

    // The next run (incremental read) still lists the conflict and writes nothing.
    const again = await expectIdleRerun(harness);
    expect(again.read.accountRead).toBe('incremental');
    expect(conflictFields(again, acme)).toEqual(['Expansion_Potential_ARR__c', 'Expansion_Top_Signals__c']);
    expect(account(harness, 'acme.example')['Expansion_Potential_ARR__c']).toBe(999);
  });

  it('unless-edited: a field a person cleared counts as empty and is filled again, without a conflict', async () => {
    harness = await startWithPolicies();
    await harness.run();
    const ember = harness.accountId('ember.example');
    expect(account(harness, 'ember.example')['Expansion_Potential_ARR__c']).toBe(18000);
    editAsPerson(harness, 'Account', ember, { Expansion_Potential_ARR__c: null });
    expect(empty(account(harness, 'ember.example')['Expansion_Potential_ARR__c'])).toBe(true);
    const report = await harness.run();
    expect(account(harness, 'ember.example')['Expansion_Potential_ARR__c']).toBe(18000);
    expect(report.writes.account.updated).toBe(1);
    expect(report.conflicts).toEqual([]);
  });

  it('if-empty: fills an empty field once; never touches a value that is there, a person\'s or our own earlier one, and reports no conflict', async () => {
    harness = await startWithPolicies();
    const first = await harness.run();
    expect(first.writes.account.updated).toBe(5);
    expect(['acme', 'birch', 'cobalt', 'delta', 'ember'].map((c) => account(harness!, `${c}.example`)['Expansion_Health__c'])).toEqual(['green', 'yellow', 'red', 'green', 'green']);
    editAsPerson(harness, 'Account', harness.accountId('acme.example'), { Expansion_Health__c: 'yellow' });
    editAsPerson(harness, 'Account', harness.accountId('birch.example'), { Expansion_Health__c: null });
    // Cobalt recovers: we now want green for it, and its score moves 0 -> 71.
    await harness.writeUsage(grown('cobalt.example'));

    const report = await harness.run();
    expect(account(harness, 'acme.example')['Expansion_Health__c']).toBe('yellow');
    expect(account(harness, 'birch.example')['Expansion_Health__c']).toBe('yellow');
    expect(account(harness, 'cobalt.example')).toMatchObject({ Expansion_Health__c: 'red', Expansion_Score__c: 71 });
    expect(report.conflicts).toEqual([]);
    expect(report.skipped['kept'] ?? 0).toBe(0);

    await expectIdleRerun(harness);
    expect(account(harness, 'acme.example')['Expansion_Health__c']).toBe('yellow');
    expect(account(harness, 'cobalt.example')['Expansion_Health__c']).toBe('red');
  });

  it('create-only on an Account field: the worker never creates Accounts, so the field is provisioned but never written', async () => {
    harness = await startWithPolicies();
    const first = await harness.run();
    expect(first.writes.account.updated).toBe(5);
    for (const a of harness.emulator.listRecords('Account')) {
      expect(a).toHaveProperty('Expansion_Timing__c');
      expect(empty(a['Expansion_Timing__c'])).toBe(true);
      expect(a['Expansion_Score__c']).toEqual(expect.any(Number));
    }
    editAsPerson(harness, 'Account', harness.accountId('acme.example'), { Expansion_Timing__c: 'hold' });
    await harness.writeUsage(grown('acme.example', 'cobalt.example'));
    const report = await harness.run();
    expect(account(harness, 'acme.example')['Expansion_Timing__c']).toBe('hold');
    expect(empty(account(harness, 'cobalt.example')['Expansion_Timing__c'])).toBe(true);
    expect(report.conflicts).toEqual([]);
    await expectIdleRerun(harness);
  });
});

describe('write policies on Salesforce Opportunities (the shipped opportunities mapping)', () => {
  it('create-only Name, StageName and CloseDate are set on create and never updated; an AE\'s Amount edit is kept as a conflict', async () => {
    harness = await startWithPolicies();
    const first = await harness.run();
    expect(first.writes.opportunity.created).toBe(2);
    const [acmeOpp] = harness.opportunitiesOf('acme.example');
    const [emberOpp] = harness.opportunitiesOf('ember.example');
    expect(acmeOpp).toMatchObject({ Name: 'Acme Analytics · Seat expansion', Amount: 5400, StageName: 'Prospecting', CloseDate: '2026-12-20' });
    expect(emberOpp).toMatchObject({ Name: 'Ember Retail · Seat expansion', Amount: 18000 });
    const acmeKey = String(acmeOpp!['Expansion_Key__c']);
    const emberKey = String(emberOpp!['Expansion_Key__c']);

    // The AE takes Ember over: renames it, moves it on, and sets their own Amount and CloseDate.
    editAsPerson(harness, 'Opportunity', emberOpp!.Id, { Name: 'Ember - 2027 seat true-up (Dana)', StageName: 'Qualification', Amount: 12345, CloseDate: '2027-01-31' });
    // Both accounts grow, so the amount and expected value we want for both change.
    await harness.writeUsage(grown('acme.example', 'ember.example'));
    const report = await harness.run();

    const acmeAfter = harness.emulator.getRecord('Opportunity', acmeOpp!.Id)!;
    const emberAfter = harness.emulator.getRecord('Opportunity', emberOpp!.Id)!;
    // Acme, not touched by anyone: the unless-edited Amount follows our sizing, the create-only fields do not.
    expect(Number(acmeAfter['Amount'])).toBeGreaterThan(5400);
    expect(acmeAfter).toMatchObject({ Name: 'Acme Analytics · Seat expansion', StageName: 'Prospecting', CloseDate: '2026-12-20' });
    // Ember: everything the AE set is still theirs.
    expect(emberAfter).toMatchObject({ Name: 'Ember - 2027 seat true-up (Dana)', StageName: 'Qualification', Amount: 12345, CloseDate: '2027-01-31' });
    // Only the unless-edited Amount is a conflict; create-only fields are kept without one.
    expect(conflictFields(report, emberKey)).toEqual(['Amount']);
    expect(conflictFields(report, acmeKey)).toEqual([]);
    expect(report.writes.opportunity).toMatchObject({ created: 0, updated: 2, failed: 0 });
    expect(emberAfter['Expansion_Expected_Value__c']).not.toBe(emberOpp!['Expansion_Expected_Value__c']);
    expect(harness.emulator.listRecords('Opportunity')).toHaveLength(2);

    const again = await expectIdleRerun(harness);
    expect(conflictFields(again, emberKey)).toEqual(['Amount']);
  });

  it('an Opportunity created on the grown usage gets the same Name and a bigger Amount: the create-only Name carries no number to go stale', async () => {
    // The counterpart of the test above: the kept Name still matches an Opportunity sized today, whatever the Amount became.
    harness = await startWithPolicies();
    await harness.writeUsage(grown('acme.example'));
    await harness.run();
    const [opportunity] = harness.opportunitiesOf('acme.example');
    expect(opportunity?.['Name']).toBe('Acme Analytics · Seat expansion');
    expect(Number(opportunity?.['Amount'])).toBeGreaterThan(5400);
  });
});
