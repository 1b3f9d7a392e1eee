import { copyFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderPlan } from '../../src/cli/render.ts';
import { defaultUsage, grown, withFlat } from '../support/companies.ts';
import type { ContractCrm, ContractStartOptions, CrmContractAdapter } from './crm-adapter.ts';
import { onlyOpportunity } from './helpers.ts';

/**
 * The write-back contract with AEs (DESIGN.md, "Write-back"), end to end: a person's edit is kept and
 * reported, closed opportunities are never touched, an AE's own open opportunity gets our evidence instead
 * of a second one, reruns on unchanged inputs make zero write calls, one bad record never fails its batch,
 * and a quota that runs out mid-run loses nothing.
 */
export function describeSyncGuarantees(a: CrmContractAdapter): void {
  const { fields: f, values: v } = a;
  let crm: ContractCrm | undefined;
  afterEach(async () => {
    await crm?.close();
    crm = undefined;
  });
  const start = async (options?: ContractStartOptions): Promise<ContractCrm> => (crm = await a.start(options));

  describe(`the write-back contract with AEs (${a.label})`, () => {
    it('does not overwrite an amount or stage an AE edited, and reports the conflict', async () => {
      const c = await start();
      await c.run();
      const opportunity = onlyOpportunity(c, 'acme.example');
      c.edit('opportunity', opportunity.id, { [f.amount]: 12345, [f.stage]: v.laterStage });
      await c.writeUsage(grown('acme.example'));
      const report = await c.run();
      const after = c.opportunity(opportunity.id);
      expect(after?.[f.amount]).toBe(v.num(12345));
      expect(after?.[f.stage]).toBe(v.laterStage);
      const key = opportunity.fields[f.expansionKey];
      expect(report.conflicts.some((x) => x.field === f.amount && x.recordKey === key)).toBe(true);
      expect(report.conflicts).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'conflict' })]));
    });

    it('never reopens or edits a closed opportunity', async () => {
      const c = await start();
      await c.run();
      const { id } = onlyOpportunity(c, 'acme.example');
      c.edit('opportunity', id, { [f.stage]: v.closedStage });
      const closed = c.opportunity(id);
      await c.writeUsage(grown('acme.example'));
      c.requests.reset();
      const report = await c.run();
      expect(c.opportunity(id)).toEqual(closed);
      expect(c.opportunitiesOf('acme.example')).toHaveLength(1);
      expect(report.skipped['closed']).toBe(1);
      expect(c.requests.opportunityWrites()).toBe(0);
    });

    it("attaches evidence to an AE's own open opportunity for the motion instead of making a second", async () => {
      // Ember starts flat (no seat pressure), so the first run creates no opportunity there.
      const c = await start({ usage: withFlat('ember.example', 55, 60) });
      await c.run();
      expect(c.opportunitiesOf('ember.example')).toHaveLength(0);
      // The AE opens a seat opportunity on their own; then Ember's seats fill up.
      const mine = { [f.opportunityName]: 'Ember seats (AE)', [f.stage]: v.laterStage, [f.closeDate]: '2027-01-31' };
      const ae = c.createOpportunity('ember.example', { ...mine, [f.motion]: 'seat_add', [f.amount]: 9000 });
      await c.writeUsage(defaultUsage());
      const report = await c.run();
      expect(c.opportunitiesOf('ember.example').map((o) => o.id)).toEqual([ae]);
      expect(report.skipped['ae_opportunity']).toBe(1);
      expect(c.notesOn(ae)).toBe(1);
      expect(c.opportunity(ae)?.[f.amount]).toBe(v.num(9000));
      // The next run does not attach the same evidence again.
      await c.run();
      expect(c.notesOn(ae)).toBe(1);
    });
  });

  describe(`reruns and changes (${a.label})`, () => {
    it('a second run on the same inputs makes zero write calls and creates no duplicates', async () => {
      const c = await start();
      await c.run();
      expect([c.opportunityCount(), c.noteCount()]).toEqual([2, 2]);
      c.requests.reset();
      const report = await c.run();
      expect(c.requests.writes()).toBe(0);
      const { account, opportunity, note } = report.writes;
      expect(account.updated + opportunity.created + opportunity.updated + note.created).toBe(0);
      expect(c.opportunityCount()).toBe(2);
      expect(c.noteCount()).toBe(2);
    });

    it('a changed usage file updates only what changed', async () => {
      const c = await start();
      await c.run();
      const before = c.account('acme.example')[f.score];
      // Birch grows into seat pressure; everyone else's usage is unchanged.
      await c.writeUsage(grown('birch.example'));
      const report = await c.run();
      expect(report.writes.account.updated).toBe(1);
      expect(report.writes.opportunity.created).toBe(1);
      expect(report.writes.opportunity.updated).toBe(0);
      expect(report.writes.note.created).toBe(1);
      expect(c.account('acme.example')[f.score]).toBe(before);
      expect(c.opportunitiesOf('birch.example')).toHaveLength(1);
    });

    it('--dry-run writes nothing anywhere, not even the fields it would create; it shows field diffs', async () => {
      const c = await start();
      const report = await c.run('dry-run');
      expect(c.requests.writes()).toBe(0);
      expect(c.opportunityCount()).toBe(0);
      expect(report.plan?.opportunities.filter((o) => o.create)).toHaveLength(2);
      const text = renderPlan(report.plan!, { limit: 50, callsPerBatch: 100 });
      expect(text).toMatch(new RegExp(`update Acme Analytics \\[\\w+\\]\\n\\s+${f.score}: \\(empty\\) -> "\\d+"`));
      const key = `${a.name}-\\w+-seat_add-2026q4`;
      const create = `create ${key} on Acme Analytics\\n\\s+${f.opportunityName}: \\(empty\\) -> "Acme Analytics`;
      expect(text).toMatch(new RegExp(create));
      // Nothing was recorded either: a later live run still creates everything.
      const live = await c.run();
      expect(live.writes.opportunity.created).toBe(2);
    });
  });

  describe(`owner capacity survives a crash (${a.label})`, () => {
    it('deals the CRM holds but the store never marked done still count against their owner', async () => {
      const c = await start({ config: { scoring: { priority: { capacityPerOwner: 1 } } } });
      const first = await c.run();
      expect(first.skipped['queued']).toBeGreaterThan(0);
      const deals = c.opportunityCount();
      // A kill right after the create call: the write-ahead records are still pending, the deals exist.
      await c.withStore(async (store) => {
        for (const artifact of await store.listArtifacts(a.name, { kind: 'opportunity' }))
          await store.putArtifact({ ...artifact, status: 'pending' });
      });
      const rerun = await c.run();
      expect(rerun.writes.opportunity.created).toBe(0);
      expect(c.opportunityCount()).toBe(deals);
      expect(rerun.skipped['queued']).toBe(first.skipped['queued']);
    });
  });

  describe(`a lost or restored state store costs only history (${a.label})`, () => {
    const loseStore = async (c: ContractCrm): Promise<void> => {
      for (const file of ['state.db', 'state.db-wal', 'state.db-shm'])
        await rm(path.join(c.dir, file), { force: true });
    };
    it('a deleted store is rebuilt from the CRM at run start: no second note, no own value taken for an edit', async () => {
      const c = await start();
      await c.run();
      const notes = c.noteCount();
      expect(notes).toBeGreaterThan(0);
      await loseStore(c);
      // The next run comes with new usage: the worker moves its own values, none is taken for a person's edit.
      await c.writeUsage(grown('birch.example', 'acme.example'));
      const after = await c.run();
      expect(after.conflicts).toEqual([]);
      expect(after.writes.account.updated).toBeGreaterThan(0);
      expect(c.noteCount()).toBe(notes + after.writes.note.created);
      expect(c.opportunitiesOf('acme.example')).toHaveLength(1);
      c.requests.reset();
      await c.run();
      expect(c.requests.writes()).toBe(0);
    });

    it('a store restored from an older copy catches up with the CRM: no duplicate, no stale ledger', async () => {
      const c = await start();
      await c.run();
      const backup = path.join(c.dir, 'backup.db');
      await copyFile(path.join(c.dir, 'state.db'), backup);
      // A week later Acme has grown: the worker writes values, and a note, the backup does not know.
      await c.writeUsage(grown('acme.example'));
      const week = await c.run('live', { asOf: '2026-11-27' });
      expect(week.writes.account.updated).toBeGreaterThan(0);
      await loseStore(c);
      await copyFile(backup, path.join(c.dir, 'state.db'));
      // Another week, more change: our values of last week are ours, not a person's edits.
      await c.writeUsage(grown('acme.example', 'birch.example', 'cobalt.example'));
      const notes = c.noteCount();
      const restored = await c.run('live', { asOf: '2026-12-04' });
      expect(restored.conflicts).toEqual([]);
      expect(restored.writes.account.updated).toBeGreaterThan(0);
      expect(c.noteCount()).toBe(notes + restored.writes.note.created);
      expect(c.opportunitiesOf('acme.example')).toHaveLength(1);
      c.requests.reset();
      await c.run('live', { asOf: '2026-12-04' });
      expect(c.requests.writes()).toBe(0);
    });

    it('`state rebuild` takes everything back without a CRM write; the next run makes zero writes', async () => {
      const c = await start();
      await c.run();
      await loseStore(c);
      c.requests.reset();
      const rebuilt = await c.run('shadow', { rebuild: true });
      expect(c.requests.writes()).toBe(0);
      expect(rebuilt.rebuilt?.notes).toBe(c.noteCount());
      expect(rebuilt.rebuilt?.opportunities).toBe(c.opportunityCount());
      expect(rebuilt.rebuilt?.ledgers).toBeGreaterThan(0);
      c.requests.reset();
      const next = await c.run();
      expect(c.requests.writes()).toBe(0);
      expect(next.conflicts).toEqual([]);
    });
  });

  describe(`every input is checked before the first CRM write (${a.label})`, () => {
    const unreadable: ReadonlyArray<readonly [string, string | Buffer]> = [
      ['an empty file', ''],
      ['a binary file', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42, 0x0a, 0x00])],
      [
        'a Latin-1 file',
        Buffer.from('date,account_key,active_users,licensed_seats\n2026-11-20,caf\xe9.example,5,10\n', 'latin1'),
      ],
      ['an unclosed quote', 'date,account_key,active_users,licensed_seats\n2026-11-20,"acme.example,5,10\n'],
      ['a missing column', 'date,account_key\n2026-11-20,acme.example\n'],
    ];
    it.each(unreadable)('%s stops the run before any field is created or record written', async (_label, content) => {
      const c = await start();
      await writeFile(path.join(c.dir, 'usage.csv'), content);
      c.requests.reset();
      await expect(c.run()).rejects.toThrow(/usage\.csv/);
      expect(c.requests.writes()).toBe(0);
      expect(await c.fieldExists('account', f.score)).toBe(false);
      expect(c.opportunityCount()).toBe(0);
    });
  });

  describe(`partial failures and quotas (${a.label})`, () => {
    it("a batch with one bad record writes the others, stores the CRM's message, and retries it next run", async () => {
      const c = await start();
      const birch = c.accountId('birch.example');
      const fault = c.failAccountWrites('birch.example');
      const first = await c.run();
      expect(first.status).toBe('partial');
      expect(first.writes.account.updated).toBe(4);
      const message = expect.stringContaining(fault.message);
      expect(first.failures).toEqual([expect.objectContaining({ recordKey: birch, message })]);
      const stored = await c.withStore((s) => s.listFailures({ system: a.name }));
      expect(stored).toEqual([expect.objectContaining({ recordKey: birch, attempts: 1, message })]);
      expect(v.empty(c.account('acme.example')[f.score])).toBe(false);

      fault.remove();
      const second = await c.run();
      expect(second.status).toBe('succeeded');
      expect(second.writes.account.updated).toBe(1);
      expect(v.empty(c.account('birch.example')[f.health])).toBe(false);
      expect(await c.withStore((s) => s.listFailures({ system: a.name }))).toEqual([]);
    });

    const withQuota = it.skipIf(!a.dailyQuota);
    withQuota('a quota running out between write batches keeps what it wrote; a resume writes the rest', async () => {
      const q = a.dailyQuota;
      const c = await start({ crm: q?.config ?? {} });
      const quota = c.quota;
      if (!q || !quota) throw new Error(`${a.label}: dailyQuota needs ContractCrm.quota`);
      await c.run();
      // Learn how many calls an unchanged rerun spends on reads; then allow exactly one write call more.
      const before = quota.spent();
      await c.run();
      const readCalls = quota.spent() - before;
      await c.writeUsage(grown('birch.example'));
      quota.leave(readCalls + 1);
      const stopped = await c.run();
      expect(stopped.status).toBe('stopped');
      expect(stopped.message).toMatch(q.message);
      expect(stopped.message).toMatch(/next run resumes/);
      expect(stopped.writes.account.updated).toBe(1);
      expect(stopped.writes.opportunity.created).toBe(0);
      expect(c.opportunitiesOf('birch.example')).toHaveLength(0);
      expect(await c.withStore((s) => s.getCheckpoint('test', 'apply'))).toMatchObject({ code: q.code });

      quota.refill();
      const resumed = await c.run();
      expect(resumed.status).toBe('succeeded');
      expect(resumed.writes.account.updated).toBe(0);
      expect(resumed.writes.opportunity.created).toBe(1);
      expect(c.opportunitiesOf('birch.example')).toHaveLength(1);
      expect(c.opportunityCount()).toBe(3);
      expect(await c.withStore((s) => s.getCheckpoint('test', 'apply'))).toBeUndefined();
    });
  });
}
