import { afterEach, describe, expect, it } from 'vitest';
import type { DealOutcome, PitchSnapshot } from '../../src/outcomes/types.ts';
import { holdoutDraw, isHoldout } from '../../src/outcomes/holdout.ts';
import { COMPANIES, defaultUsage, grown, withFlat } from '../support/companies.ts';
import type { ContractCrm, ContractStartOptions, CrmContractAdapter } from './crm-adapter.ts';
import { onlyOpportunity } from './helpers.ts';

/**
 * The outcome loop's read of the CRM (README "The outcome loop"): every expansion deal on the scored accounts
 * is kept with how it came about (created, adopted, influenced, organic) and what became of it (open, won,
 * lost, reopened), as AEs move it through the CRM's own stages; a pitch keeps what the AE was shown; a rerun
 * over unchanged deals writes nothing.
 */
export function describeOutcomes(a: CrmContractAdapter): void {
  const { fields: f, values: v } = a;
  let crm: ContractCrm | undefined;
  afterEach(async () => {
    await crm?.close();
    crm = undefined;
  });
  const start = async (options?: ContractStartOptions): Promise<ContractCrm> => (crm = await a.start(options));
  const outcomes = async (c: ContractCrm): Promise<ReadonlyMap<string, DealOutcome>> =>
    c.withStore(async (store) => new Map((await store.listOutcomes(a.name)).map((o) => [o.crmId, o])));
  const pitches = async (c: ContractCrm): Promise<readonly PitchSnapshot[]> =>
    c.withStore((store) => store.listPitches(a.name));
  const aeDeal = (name: string) => ({
    [f.opportunityName]: name,
    [f.stage]: v.laterStage,
    [f.closeDate]: '2027-01-31',
  });

  describe(`outcomes read from the CRM (${a.label})`, () => {
    it('labels each expansion deal created, adopted, influenced or organic, and a rerun reads nothing twice', async () => {
      // Ember starts flat: nothing is pitched there until its seats fill up. The runs keep the CRM's clock.
      const c = await start({ usage: withFlat('ember.example', 55, 60) });
      const now = (): Date => c.clock();
      // The first run pitches Acme (our deal); no expansion deal exists yet.
      const pitchedAt = now();
      const first = await c.run('live', { now });
      expect(first.outcomes).toMatchObject({ read: 0, new: 0, changed: 0 });
      // AEs open deals of their own: a tier upgrade on Delta, never pitched (organic), and seats on Ember.
      const organic = c.createOpportunity('delta.example', {
        ...aeDeal('Delta upgrade (AE)'),
        [f.motion]: 'tier_upgrade',
        [f.amount]: 20000,
      });
      const adopted = c.createOpportunity('ember.example', {
        ...aeDeal('Ember seats (AE)'),
        [f.motion]: 'seat_add',
        [f.amount]: 9000,
      });
      const created = onlyOpportunity(c, 'acme.example').id;
      const [pitch, ...morePitches] = await pitches(c);
      expect(morePitches).toEqual([]);
      expect(pitch).toMatchObject({
        key: onlyOpportunity(c, 'acme.example').fields[f.expansionKey],
        accountId: c.accountId('acme.example'),
        motion: 'seat_add',
        runId: first.runId,
        pitchedAt: pitchedAt.toISOString(),
      });
      // The share of accounts pitched at all under the holdout and exploration settings.
      expect(pitch?.propensity).toBeGreaterThan(0);
      expect(pitch?.propensity).toBeLessThanOrEqual(1);
      expect(pitch?.signals.length).toBeGreaterThan(0);
      expect(pitch?.narrativeVersion).toMatch(/^[0-9a-f]{12}$/);
      // After the pitch, an AE opens an expansion deal of their own on Acme: influenced. Where the CRM has a
      // standard expansion deal type, it carries that and no motion.
      const influenced = c.createOpportunity('acme.example', {
        ...aeDeal('Acme expansion (AE)'),
        [f.amount]: 5000,
        ...(a.expansionDealType
          ? { [a.expansionDealType.field]: a.expansionDealType.value }
          : { [f.motion]: 'seat_add' }),
      });
      // Ember's seats fill up: our evidence goes onto the AE's deal there (adopted).
      await c.writeUsage(defaultUsage());
      c.passTime();
      const second = await c.run('live', { now });
      expect(c.notesOn(adopted)).toBe(1);
      expect(second.outcomes).toMatchObject({ read: 4, new: 4, changed: 0 });
      const labels = await outcomes(c);
      expect(Object.fromEntries([...labels.values()].map((o) => [o.crmId, o.label]))).toEqual({
        [created]: 'created',
        [adopted]: 'adopted',
        [influenced]: 'influenced',
        [organic]: 'organic',
      });
      expect(labels.get(created)).toMatchObject({ status: 'open', pitchKey: pitch?.key, pitchRunId: first.runId });
      expect(labels.get(influenced)).toMatchObject({ pitchKey: pitch?.key, accountId: c.accountId('acme.example') });
      expect(labels.get(adopted)).toMatchObject({ pitchKey: `adopted:${adopted}`, motion: 'seat_add' });
      expect((await pitches(c)).map((p) => p.key)).toContain(`adopted:${adopted}`);
      expect(labels.get(organic)).not.toHaveProperty('pitchKey');
      // Nothing changed in the CRM: the rerun reads the same deals and writes none of them.
      c.passTime();
      const rerun = await c.run('live', { now });
      expect(rerun.outcomes).toMatchObject({ read: 4, new: 0, changed: 0 });
      expect(await outcomes(c)).toEqual(labels);
    });

    it('keeps won and lost deals with their amount and close date, and a reopened deal goes back to open', async () => {
      const c = await start();
      await c.run();
      const created = onlyOpportunity(c, 'acme.example').id;
      const organic = c.createOpportunity('delta.example', {
        ...aeDeal('Delta upgrade (AE)'),
        [f.motion]: 'tier_upgrade',
        [f.amount]: 20000,
      });
      // The next run reads the deal the first one created, and the AE's.
      c.passTime();
      await c.run();
      // The AEs close both deals in the CRM: ours won at an amount they set, theirs lost.
      await c.closeOpportunity(created, true, 15000);
      await c.closeOpportunity(organic, false);
      c.passTime();
      const closing = await c.run();
      expect(closing.outcomes).toMatchObject({ new: 0, changed: 2, byStatus: { won: 1, lost: 1 } });
      const closed = await outcomes(c);
      expect(closed.get(created)).toMatchObject({ label: 'created', status: 'won', amount: 15000, reopened: 0 });
      expect(closed.get(created)?.closeDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(closed.get(created)?.closedSeenAt).toBeDefined();
      expect(closed.get(organic)).toMatchObject({ label: 'organic', status: 'lost', amount: 20000 });
      expect(closed.get(organic)?.closeDate).toBe('2027-01-31');
      c.passTime();
      expect((await c.run()).outcomes).toMatchObject({ new: 0, changed: 0 });
      // The lost deal is reopened: open again, counted once, and a rerun counts it no more.
      await c.reopenOpportunity(organic);
      c.passTime();
      const reopening = await c.run();
      expect(reopening.outcomes).toMatchObject({ changed: 1, reopened: 1 });
      const reopened = (await outcomes(c)).get(organic);
      expect(reopened).toMatchObject({ status: 'open', reopened: 1 });
      expect(reopened).not.toHaveProperty('closedSeenAt');
      c.passTime();
      expect((await c.run()).outcomes).toMatchObject({ new: 0, changed: 0, reopened: 0 });
      expect((await outcomes(c)).get(organic)).toMatchObject({ status: 'open', reopened: 1 });
      // A won deal is never written to: closing is the AE's, the worker only reads it.
      expect(c.opportunity(created)?.[f.amount]).toBe(v.num(15000));
    });

    it('records every fired expansion signal per account, widening its dates run after run', async () => {
      const c = await start();
      await c.run();
      const sightings = await c.withStore((store) => store.listSignalSightings(a.name));
      const acme = sightings.filter((s) => s.accountId === c.accountId('acme.example'));
      expect(acme.length).toBeGreaterThan(0);
      expect(acme.every((s) => s.strength > 0 && s.firstAsOf === s.lastAsOf)).toBe(true);
      c.passTime();
      await c.run('live', { asOf: '2026-11-27' });
      const later = await c.withStore((store) => store.listSignalSightings(a.name));
      const widened = later.find(
        (s) => s.accountId === c.accountId('acme.example') && s.signalId === acme[0]?.signalId,
      );
      expect(widened).toMatchObject({ firstAsOf: acme[0]?.firstAsOf, lastAsOf: '2026-11-27' });
    });
  });

  describe(`the holdout (${a.label})`, () => {
    it('never gets a deal or a note, while the accounts outside it are pitched as usual', async () => {
      // Without a holdout: which accounts get a deal (grown usage, so most of them do).
      const usage = grown('acme.example', 'ember.example', 'cobalt.example', 'birch.example');
      const everyone = await start({ usage, config: { learning: { holdoutShare: 0 } } });
      await everyone.run();
      const pitched = COMPANIES.filter((company) => everyone.opportunitiesOf(company.domain).length > 0);
      const draw = (domain: string): number => holdoutDraw(a.name, everyone.accountId(domain));
      await everyone.close();
      // The smallest share that holds out one of them (the draw is a hash of the ids).
      const first = [...pitched].sort((x, y) => draw(x.domain) - draw(y.domain))[0];
      expect(first).toBeDefined();
      const share = draw(first?.domain ?? '') + 1e-9;
      expect(share).toBeLessThanOrEqual(0.5);
      const c = await start({ usage, config: { learning: { holdoutShare: share } } });
      await c.run();
      const held = COMPANIES.filter((company) => isHoldout(a.name, c.accountId(company.domain), share));
      expect(held.map((h) => h.domain)).toContain(first?.domain);
      for (const company of held) expect(c.opportunitiesOf(company.domain)).toEqual([]);
      // Everyone else pitched is pitched as before, each deal with its note.
      for (const company of pitched.filter((p) => !held.includes(p)))
        expect(c.opportunitiesOf(company.domain).length).toBeGreaterThan(0);
      expect(c.noteCount()).toBe(c.opportunityCount());
      // Stable: the same accounts are held out on the next run, which creates nothing.
      const again = await c.run();
      expect(again.writes.opportunity.created).toBe(0);
      for (const company of held) expect(c.opportunitiesOf(company.domain)).toEqual([]);
    });
  });
}
