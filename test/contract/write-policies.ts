import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AS_OF, grown } from '../support/companies.ts';
import type { ContractCrm, CrmContractAdapter } from './crm-adapter.ts';
import { conflictFields, DOMAINS, expectIdleRerun, onlyOpportunity } from './helpers.ts';

/**
 * Each write policy, end to end, as a user would notice it: the values in the CRM, `report.conflicts` and
 * `report.writes`. Semantics from src/engine/plan-fields.ts `decideField`: a field is only ever sent when
 * our value differs from what the CRM holds; then
 * - always: write, whoever put the current value there;
 * - unless-edited (the default): write while the field still holds what we last wrote, or is empty and we
 *   never wrote a value there (or provisioning created the field this run); otherwise keep it and list a
 *   conflict: a person's clear is an edit like any other;
 * - if-empty: write only while the field is empty; anything in it (our own earlier value too) is kept,
 *   silently (no conflict);
 * - create-only: write only when the worker creates the record, never on an update.
 */

/** One account write field per policy; the top signals rule has no `policy`, so it gets the default. */
function policyWrites(a: CrmContractAdapter): string {
  const { fields: f } = a;
  const rule = (from: string, field: string, policy?: string) =>
    `  - from: ${from}\n    field: ${field}\n${policy ? `    policy: ${policy}\n` : ''}`;
  return `write:\n${[
    rule('score', f.score, 'always'),
    rule('health', f.health, 'if-empty'),
    rule('timing', f.timing, 'create-only'),
    rule('potentialArr', f.potentialArr, 'unless-edited'),
    rule('topSignals', f.topSignals),
    rule('reasons', f.reasons, 'unless-edited'),
    rule('scoredAt', f.scoredAt, 'always'),
  ].join('')}`;
}

export function describeWritePolicies(a: CrmContractAdapter): void {
  const { fields: f, values: v } = a;
  let crm: ContractCrm | undefined;
  let mappingDir: string | undefined;
  afterEach(async () => {
    await crm?.close();
    crm = undefined;
    if (mappingDir) await rm(mappingDir, { recursive: true, force: true });
    mappingDir = undefined;
  });

  /** A CRM whose config points at a copy of the shipped account mapping with the policy write rules. */
  async function startWithPolicies(): Promise<ContractCrm> {
    mappingDir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-policies-'));
    const shipped = await readFile(a.mappings.account, 'utf8');
    const readSection = shipped.slice(0, shipped.search(/^write:/m));
    expect(readSection).toMatch(/^read:/m);
    const account = path.join(mappingDir, 'accounts.policies.yaml');
    await writeFile(account, `${readSection}${policyWrites(a)}`);
    crm = await a.start({ mappings: { account, opportunity: a.mappings.opportunity } });
    return crm;
  }
  const field = (c: ContractCrm, domain: string, name: string): unknown => c.account(domain)[name];

  describe(`write policies on ${a.label} account fields`, () => {
    it("always: a person's edit is overwritten next run, whether or not our value changed; no conflict", async () => {
      const c = await startWithPolicies();
      await c.run();
      expect(field(c, 'acme.example', f.score)).toBe(v.num(67));
      expect(field(c, 'ember.example', f.score)).toBe(v.num(68));
      c.edit('account', c.accountId('acme.example'), { [f.score]: 5 });
      c.edit('account', c.accountId('ember.example'), { [f.score]: 99 });
      await c.writeUsage(grown('acme.example'));

      const report = await c.run();
      // Acme: our score moved (67 -> 74) and replaces the person's 5.
      expect(field(c, 'acme.example', f.score)).toBe(v.num(74));
      // Ember: our score did not move (still 68), yet the person's 99 is put back to it.
      expect(field(c, 'ember.example', f.score)).toBe(v.num(68));
      expect(report.conflicts.filter((x) => x.field === f.score)).toEqual([]);
      expect(report.writes.account.updated).toBeGreaterThanOrEqual(2);
      await expectIdleRerun(c);
    });

    it('always on the scored-at stamp: the stamp alone never causes a write, so a hand edit of it stays', async () => {
      const c = await startWithPolicies();
      await c.run();
      const birch = c.accountId('birch.example');
      expect(field(c, 'birch.example', f.scoredAt)).toBe(v.date(AS_OF));
      c.edit('account', birch, { [f.scoredAt]: '2026-01-01' });
      const report = await expectIdleRerun(c);
      expect(field(c, 'birch.example', f.scoredAt)).toBe(v.date('2026-01-01'));
      expect(report.conflicts).toEqual([]);
      // Once a substantive field is written again (the always score, after a hand edit), the stamp goes with it.
      c.edit('account', birch, { [f.score]: 1 });
      const next = await c.run();
      expect(next.writes.account.updated).toBe(1);
      expect(c.account('birch.example')).toMatchObject({ [f.score]: v.num(22), [f.scoredAt]: v.date(AS_OF) });
    });

    it("unless-edited (explicit and by default): a person's edit is kept and reported every run", async () => {
      const c = await startWithPolicies();
      await c.run();
      const acme = c.accountId('acme.example');
      const acmeFirst = { [f.potentialArr]: v.num(5400), [f.topSignals]: 'seat_utilization' };
      expect(c.account('acme.example')).toMatchObject(acmeFirst);
      expect(field(c, 'cobalt.example', f.potentialArr)).toBe(v.num(0));
      c.edit('account', acme, { [f.potentialArr]: 999, [f.topSignals]: 'exec sponsor (manual)' });
      await c.writeUsage(grown('acme.example', 'cobalt.example'));

      const report = await c.run();
      // Our potential ARR for Acme is now 15000, but the person's 999 stays; the default-policy field too.
      const edited = { [f.potentialArr]: v.num(999), [f.topSignals]: 'exec sponsor (manual)' };
      expect(c.account('acme.example')).toMatchObject(edited);
      expect(conflictFields(report, acme)).toEqual([f.potentialArr, f.topSignals].sort());
      expect(report.conflicts.find((x) => x.recordKey === acme && x.field === f.potentialArr)).toMatchObject({
        object: a.objects.account,
        accountName: 'Acme Analytics',
        reason: 'conflict',
        detail: 'changed in the CRM to "999" (we last wrote "5400"); kept, wanted "15000"',
      });
      // The rest of Acme is still written (the always score), and un-edited Cobalt follows our new value.
      expect(field(c, 'acme.example', f.score)).toBe(v.num(74));
      expect(field(c, 'cobalt.example', f.potentialArr)).toBe(v.num(14400));
      expect(report.conflicts.every((x) => x.recordKey === acme)).toBe(true);

      // The conflict is not forgotten: the next run (incremental where the CRM allows) lists it again, writes nothing.
      const again = await expectIdleRerun(c);
      expect(again.read.accountRead).toBe(a.capabilities.rerunAccountRead);
      expect(conflictFields(again, acme)).toEqual([f.potentialArr, f.topSignals].sort());
      expect(field(c, 'acme.example', f.potentialArr)).toBe(v.num(999));
    });

    it('unless-edited: a field a person cleared is theirs: kept empty, reported as a conflict, every run', async () => {
      const c = await startWithPolicies();
      await c.run();
      const ember = c.accountId('ember.example');
      expect(field(c, 'ember.example', f.potentialArr)).toBe(v.num(18000));
      const deal = onlyOpportunity(c, 'ember.example');
      const dealKey = String(deal.fields[f.expansionKey]);
      expect(deal.fields[f.amount]).toBe(v.num(18000));
      // A person clears the account's potential ARR and the deal's amount; our values for them do not change.
      c.edit('account', ember, { [f.potentialArr]: null });
      c.edit('opportunity', deal.id, { [f.amount]: null });
      expect(v.empty(field(c, 'ember.example', f.potentialArr))).toBe(true);

      const report = await c.run();
      // Neither is refilled: clearing is an edit, and the field is the person's from now on.
      expect(v.empty(field(c, 'ember.example', f.potentialArr))).toBe(true);
      expect(v.empty(c.opportunity(deal.id)?.[f.amount])).toBe(true);
      expect(report.writes.account.updated).toBe(0);
      expect(report.writes.opportunity.updated).toBe(0);
      expect(conflictFields(report, ember)).toEqual([f.potentialArr]);
      expect(conflictFields(report, dealKey)).toEqual([f.amount]);
      expect(report.conflicts).toHaveLength(2);
      expect(report.conflicts.find((x) => x.recordKey === ember)).toMatchObject({
        object: a.objects.account,
        accountName: 'Ember Retail',
        reason: 'conflict',
        detail: 'changed in the CRM to empty (we last wrote "18000"); kept, wanted "18000"',
      });

      // Still theirs on the next run: nothing written, the conflicts listed again.
      const again = await expectIdleRerun(c);
      expect(conflictFields(again, ember)).toEqual([f.potentialArr]);
      expect(conflictFields(again, dealKey)).toEqual([f.amount]);
      expect(v.empty(field(c, 'ember.example', f.potentialArr))).toBe(true);
    });

    it("if-empty: fills an empty field once; never touches a value that is there, a person's or our own", async () => {
      const c = await startWithPolicies();
      const first = await c.run();
      expect(first.writes.account.updated).toBe(5);
      // Empty on the first run: every account gets our health.
      expect(DOMAINS.map((d) => field(c, d, f.health))).toEqual(['green', 'yellow', 'red', 'green', 'green']);
      c.edit('account', c.accountId('acme.example'), { [f.health]: 'yellow' });
      c.edit('account', c.accountId('birch.example'), { [f.health]: null });
      // Cobalt recovers: we now want green/now for it, and its score moves 0 -> 71.
      await c.writeUsage(grown('cobalt.example'));

      const report = await c.run();
      // The person's value is kept, silently; the field a person emptied is filled again.
      expect(field(c, 'acme.example', f.health)).toBe('yellow');
      expect(field(c, 'birch.example', f.health)).toBe('yellow');
      // Our own earlier red is not refreshed either: once written, an if-empty field is never updated.
      expect(c.account('cobalt.example')).toMatchObject({ [f.health]: 'red', [f.score]: v.num(71) });
      expect(report.conflicts.filter((x) => x.field === f.health)).toEqual([]);
      expect(report.conflicts).toEqual([]);
      expect(report.skipped['kept'] ?? 0).toBe(0);

      await expectIdleRerun(c);
      expect(field(c, 'acme.example', f.health)).toBe('yellow');
      expect(field(c, 'cobalt.example', f.health)).toBe('red');
    });

    it('create-only on an account field: the worker never creates accounts, so it is never written', async () => {
      const c = await startWithPolicies();
      const first = await c.run();
      expect(first.writes.account.updated).toBe(5);
      expect(await c.fieldExists('account', f.timing)).toBe(true);
      for (const domain of DOMAINS) {
        expect(v.empty(field(c, domain, f.timing))).toBe(true);
        // The other fields of the same update were written.
        const score = field(c, domain, f.score);
        expect(v.empty(score)).toBe(false);
        expect(score).toEqual(v.num(Number(score)));
      }
      // A value a person sets is kept (create-only never updates), and nothing is reported.
      c.edit('account', c.accountId('acme.example'), { [f.timing]: 'hold' });
      await c.writeUsage(grown('acme.example', 'cobalt.example'));
      const report = await c.run();
      expect(field(c, 'acme.example', f.timing)).toBe('hold');
      expect(v.empty(field(c, 'cobalt.example', f.timing))).toBe(true);
      expect(report.conflicts).toEqual([]);
      await expectIdleRerun(c);
    });
  });

  describe(`write policies on ${a.label} opportunities (the shipped opportunity mapping)`, () => {
    it("create-only name, stage, close date are set once, never updated; an AE's amount edit conflicts", async () => {
      const c = await startWithPolicies();
      const first = await c.run();
      expect(first.writes.opportunity.created).toBe(2);
      const acme = onlyOpportunity(c, 'acme.example');
      const ember = onlyOpportunity(c, 'ember.example');
      const created = { [f.opportunityName]: 'Acme Analytics · Seat expansion', [f.amount]: v.num(5400) };
      const createdOnly = { [f.stage]: v.openStage, [f.closeDate]: v.closeDate('2026-12-20') };
      expect(acme.fields).toMatchObject({ ...created, ...createdOnly });
      const emberCreated = { [f.opportunityName]: 'Ember Retail · Seat expansion', [f.amount]: v.num(18000) };
      expect(ember.fields).toMatchObject(emberCreated);
      const acmeKey = String(acme.fields[f.expansionKey]);
      const emberKey = String(ember.fields[f.expansionKey]);

      // The AE takes Ember over: renames it, moves it on, and sets their own amount and close date.
      const takenOver = { [f.opportunityName]: 'Ember - 2027 seat true-up (Dana)', [f.stage]: v.laterStage };
      c.edit('opportunity', ember.id, { ...takenOver, [f.amount]: 12345, [f.closeDate]: '2027-01-31' });
      const emberEdited = c.opportunity(ember.id);
      // Both accounts grow, so every sized value we want changes; a run a week later moves the close date we want.
      await c.writeUsage(grown('acme.example', 'ember.example'));
      const report = await c.run('live', { asOf: '2026-11-27' });

      const acmeAfter = c.opportunity(acme.id);
      const emberAfter = c.opportunity(ember.id);
      // Acme, not touched by anyone: the unless-edited amount follows our sizing, the create-only fields do not.
      expect(Number(acmeAfter?.[f.amount])).toBeGreaterThan(5400);
      expect(acmeAfter).toMatchObject({ [f.opportunityName]: created[f.opportunityName], [f.stage]: v.openStage });
      expect(acmeAfter?.[f.closeDate]).toBe(v.closeDate('2026-12-20'));
      // Ember: everything the AE set is still theirs.
      const aeValues = { ...takenOver, [f.amount]: v.num(12345), [f.closeDate]: emberEdited?.[f.closeDate] };
      expect(emberAfter).toMatchObject(aeValues);
      // Only the unless-edited amount is a conflict; create-only fields are kept without one.
      expect(conflictFields(report, emberKey)).toEqual([f.amount]);
      expect(conflictFields(report, acmeKey)).toEqual([]);
      expect(report.writes.opportunity).toMatchObject({ created: 0, updated: 2, failed: 0 });
      // The fields nobody edited on Ember's opportunity still follow our numbers.
      expect(emberAfter?.[f.expectedValue]).not.toBe(ember.fields[f.expectedValue]);
      // No second opportunity for either account.
      expect(c.opportunityCount()).toBe(2);

      const again = await expectIdleRerun(c, { asOf: '2026-11-27' });
      expect(conflictFields(again, emberKey)).toEqual([f.amount]);
    });

    it('an opportunity made on grown usage gets the same name, a bigger amount: no number in its name', async () => {
      const c = await startWithPolicies();
      await c.writeUsage(grown('acme.example'));
      await c.run();
      const { fields } = onlyOpportunity(c, 'acme.example');
      expect(fields[f.opportunityName]).toBe('Acme Analytics · Seat expansion');
      expect(Number(fields[f.amount])).toBeGreaterThan(5400);
    });
  });
}
