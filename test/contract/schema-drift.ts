import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/model/assessment.ts';
import type { StoredAssessment } from '../../src/state/store.ts';
import type { ContractCrm, CrmContractAdapter } from './crm-adapter.ts';
import { DOMAINS, filled } from './helpers.ts';

/**
 * The CRM's fields change between runs (an admin deletes, retypes or shortens one, or takes away edit
 * access): the next sync reads the definitions again, switches off only the rules that no longer fit, says
 * what changed since the last run, cuts or drops values the field cannot take, and still writes everything
 * else (src/engine/schema-guard.ts).
 */

/** The inputs the stored assessment was scored without (`assessment` is stored as JSON). */
const missingOf = (a: StoredAssessment): readonly string[] => (a.assessment as Assessment).missing;

export function describeSchemaDrift(a: CrmContractAdapter): void {
  const { fields: f, values: v, objects } = a;
  let crm: ContractCrm | undefined;
  afterEach(async () => {
    await crm?.close();
    crm = undefined;
  });
  const start = async (): Promise<ContractCrm> => (crm = await a.start());

  /**
   * Empties a field on every account as the worker itself would have (the ledger says we last wrote empty),
   * so the next run has every value to write again. A person's clear would be theirs, kept as a conflict.
   */
  async function emptyAsOurs(c: ContractCrm, field: string): Promise<void> {
    for (const domain of DOMAINS) c.edit('account', c.accountId(domain), { [field]: null });
    const at = new Date().toISOString();
    await c.withStore(async (store) => {
      for (const domain of DOMAINS) {
        const ref = { system: a.name, objectType: objects.account, recordKey: c.accountId(domain) };
        await store.recordWrite({ ...ref, fields: { [field]: null }, runId: 'test', at });
      }
    });
  }

  describe(`schema drift between runs (${a.label})`, () => {
    it('a deleted read field disables just its rule; a deleted written field is recreated and refilled', async () => {
      const c = await start();
      const first = await c.run();
      expect(first.status).toBe('succeeded');
      expect(first.schema.disabled).toEqual([]);
      const signals = c.accountValues(f.topSignals);
      const scores = c.accountValues(f.score);
      expect(filled(signals)).toBeGreaterThan(0);
      expect((await c.withStore((s) => s.listAssessments())).every((x) => !missingOf(x).includes('plan'))).toBe(true);

      await c.deleteField('account', f.plan); // read: plan
      await c.deleteField('account', f.topSignals); // written: provisioning creates it again
      expect(DOMAINS.every((d) => !(f.topSignals in c.account(d)))).toBe(true);

      const second = await c.run();
      expect(second.status).toBe('succeeded');
      expect(second.failures).toEqual([]);
      // The file as configured, named with its folder (mappings/hubspot.companies.yaml).
      const shown = `${path.basename(path.dirname(a.mappings.account))}/${path.basename(a.mappings.account)}`;
      const file = expect.stringMatching(new RegExp(`${shown.replaceAll('.', '\\.')}$`));
      const change = 'deleted or renamed in the CRM since the last run';
      expect(second.schema.disabled).toEqual([expect.objectContaining({ object: objects.account, field: f.plan })]);
      expect(second.schema.disabled).toEqual([
        expect.objectContaining({ severity: 'error', file, line: a.mappings.planLine, rule: 'read', change }),
      ]);
      // Scored without a plan: every assessment lists it as missing input.
      const after = await c.withStore((s) => s.listAssessments());
      expect(after).toHaveLength(5);
      expect(after.every((x) => missingOf(x).includes('plan'))).toBe(true);
      // The written field is back with the same values; the other written fields are untouched.
      expect(c.accountValues(f.topSignals)).toEqual(signals);
      expect(c.accountValues(f.score)).toEqual(scores);
      expect(second.writes.account.failed).toBe(0);
      // (Reasons text may change too now that the plan is unknown, so at least the refilled ones are updated.)
      expect(second.writes.account.updated).toBeGreaterThanOrEqual(filled(signals));
    }, 20_000);

    it(`the health picklist losing "yellow": yellow is not sent (schema.rejected), green and red are`, async () => {
      const c = await start();
      expect((await c.run()).status).toBe('succeeded');
      const health = c.accountValues(f.health);
      const yellow = Object.values(health).filter((x) => x === 'yellow').length;
      expect(yellow).toBeGreaterThan(0);
      await c.restrictPicklist('account', f.health, ['green', 'red']);
      // The field is emptied everywhere, so the next run has every value to write again.
      await emptyAsOurs(c, f.health);

      const second = await c.run();
      expect(second.status).toBe('succeeded');
      expect(second.failures).toEqual([]);
      expect(second.schema.disabled.map((d) => d.field)).not.toContain(f.health);
      const rejected = { object: objects.account, field: f.health, count: yellow, values: ['yellow'] };
      expect(second.schema.rejected).toEqual([rejected]);
      const now = c.accountValues(f.health);
      for (const [domain, value] of Object.entries(health)) {
        expect(v.empty(now[domain]) ? null : now[domain]).toBe(value === 'yellow' ? null : value);
      }
      expect(second.writes.account.updated).toBe(5 - yellow);
    }, 20_000);

    const readOnly = it.skipIf(!a.capabilities.readOnlyFields);
    const lengths = it.skipIf(!a.capabilities.textLengths);

    readOnly(
      'a written field made read-only disables its rule (no change in type), the rest is written',
      async () => {
        const c = await start();
        expect((await c.run()).status).toBe('succeeded');
        await c.makeReadOnly?.('account', f.potentialArr);
        await emptyAsOurs(c, f.score);
        const second = await c.run();
        expect(second.status).toBe('succeeded');
        expect(second.failures).toEqual([]);
        const message = `${f.potentialArr} is read-only for the integration user (not updateable)`;
        expect(second.schema.disabled).toEqual([
          expect.objectContaining({ line: a.mappings.potentialArrLine, field: f.potentialArr, rule: 'write', message }),
        ]);
        expect(second.schema.disabled[0]).not.toHaveProperty('change');
        expect(filled(c.accountValues(f.score))).toBe(5);
      },
      20_000,
    );

    lengths(
      'reasons shortened to 40 characters: values cut (schema.truncated), a rerun writes nothing',
      async () => {
        const c = await start();
        expect((await c.run()).status).toBe('succeeded');
        expect(Object.values(c.accountValues(f.reasons)).every((x) => typeof x === 'string' && x.length > 40)).toBe(
          true,
        );
        await c.shortenText?.('account', f.reasons, 40);
        await emptyAsOurs(c, f.reasons); // emptied, so the worker refills them, cut

        const second = await c.run();
        expect(second.status).toBe('succeeded');
        expect(second.failures).toEqual([]);
        expect(second.schema.disabled).toEqual([]);
        expect(second.schema.truncated).toEqual([{ object: objects.account, field: f.reasons, count: 5, length: 40 }]);
        const warning = { severity: 'warning', field: f.reasons, line: a.mappings.reasonsLine };
        expect(second.schema.warnings).toEqual([expect.objectContaining(warning)]);
        const reasons = c.accountValues(f.reasons);
        for (const x of Object.values(reasons)) {
          expect(typeof x).toBe('string');
          expect(String(x).length).toBeLessThanOrEqual(40);
        }
        expect(second.writes.account.updated).toBe(5);

        c.passTime();
        c.requests.reset();
        const third = await c.run();
        expect(third.status).toBe('succeeded');
        expect(third.conflicts).toEqual([]);
        expect(third.writes.account).toEqual({ created: 0, updated: 0, failed: 0 });
        expect(c.accountValues(f.reasons)).toEqual(reasons);
        expect(c.requests.writes()).toBe(0);
      },
      20_000,
    );

    // The CRM cuts stored values when a field is shortened; the guard cuts ours the same way, so the CRM's
    // value equals what we want and nothing reads as a person's edit.
    lengths(
      'shortening the reasons field with values in it does not look like a human edit',
      async () => {
        const c = await start();
        expect((await c.run()).status).toBe('succeeded');
        await c.shortenText?.('account', f.reasons, 40);
        c.passTime();
        const second = await c.run();
        expect(second.schema.truncated).toEqual([{ object: objects.account, field: f.reasons, count: 5, length: 40 }]);
        expect(second.conflicts).toEqual([]);
      },
      20_000,
    );
  });
}
