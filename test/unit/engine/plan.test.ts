import { describe, expect, it } from 'vitest';
import { noteFingerprint } from '../../../src/engine/outputs.ts';
import { planWrites, type PlanInput } from '../../../src/engine/plan.ts';
import type { CrmOpportunity } from '../../../src/model/account.ts';
import type { Artifact } from '../../../src/state/store.ts';
import { account, assessment, failure, KEY, opportunity, planInput, WRITTEN_ACCOUNT } from './plan-fixtures.ts';

const one = (opp = opportunity(), extra = {}) => [{ account: account('1'), assessment: assessment('1', [opp], extra) }];
const values = (map: Record<string, string>) => new Map([['1', map]]);
const artifact = (key: string, status: Artifact['status'], crmId?: string): [string, Artifact] => [
  key,
  {
    system: 'hubspot',
    key,
    kind: key.includes('-note-') ? 'note' : 'opportunity',
    status,
    accountId: '1',
    runId: 'run-0',
    updatedAt: '2026-11-29T00:00:00Z',
    ...(crmId ? { crmId } : {}),
  },
];
const ourDeal = (extra: Partial<CrmOpportunity> = {}): CrmOpportunity => ({
  id: 'D-1',
  accountId: '1',
  motion: 'seat_add',
  expansionKey: KEY,
  closed: false,
  values: {
    dealname: 'Account 1 · Seat expansion',
    amount: '12000',
    dealstage: 'new',
    es_key: KEY,
    es_probability: '0.50',
  },
  ...extra,
});
const aeDeal = (extra: Partial<CrmOpportunity> = {}): CrmOpportunity => ({
  id: 'AE-9',
  accountId: '1',
  motion: 'seat_add',
  closed: false,
  values: {},
  ...extra,
});

describe('planWrites: account score fields', () => {
  it('a first run writes every field but the create-only one (we never create accounts), each diff from empty', () => {
    const plan = planWrites(planInput(one()));
    expect(plan.accountUpdates[0]?.fields).not.toHaveProperty('es_timing');
    expect(plan.accountUpdates).toEqual([
      {
        accountId: '1',
        accountName: 'Account 1',
        fields: WRITTEN_ACCOUNT,
        diffs: Object.entries(WRITTEN_ACCOUNT).map(([field, to]) => ({ field, from: null, to })),
      },
    ]);
  });

  it('a rerun on unchanged inputs writes nothing and adopts nothing', () => {
    const plan = planWrites(
      planInput(one(), { currentAccountValues: values(WRITTEN_ACCOUNT), accountLedgers: values(WRITTEN_ACCOUNT) }),
    );
    expect(plan.accountUpdates).toEqual([]);
    expect(plan.adopt).toEqual([]);
    expect(plan.skips).toEqual([]);
  });

  it('values equal after normalization are no change', () => {
    const crm = {
      ...WRITTEN_ACCOUNT,
      es_score: '70.0',
      es_potential: '12000.00',
      es_scored_at: '2026-11-30T00:00:00Z',
    };
    expect(
      planWrites(planInput(one(), { currentAccountValues: values(crm), accountLedgers: values(WRITTEN_ACCOUNT) }))
        .accountUpdates,
    ).toEqual([]);
  });

  it('a new scored-at date alone writes nothing; with a changed score it is written too', () => {
    const later = { asOf: '2026-12-01' };
    const state = { currentAccountValues: values(WRITTEN_ACCOUNT), accountLedgers: values(WRITTEN_ACCOUNT) };
    expect(planWrites(planInput(one(opportunity(), later), state)).accountUpdates).toEqual([]);
    const changed = planWrites(planInput(one(opportunity(), { ...later, score: 75 }), state)).accountUpdates[0];
    expect(changed?.fields).toEqual({ es_score: '75', es_scored_at: '2026-12-01' });
  });

  it('each field follows its policy: an AE edit of an unless-edited field is a conflict, a filled if-empty and a create-only field are kept', () => {
    const crm = { ...WRITTEN_ACCOUNT, es_health: 'yellow', es_potential: '500', es_timing: 'later' };
    const plan = planWrites(
      planInput(one(opportunity(), { score: 40, health: 'red' }), {
        currentAccountValues: values(crm),
        accountLedgers: values(WRITTEN_ACCOUNT),
      }),
    );
    expect(plan.accountUpdates[0]?.fields).toEqual({ es_score: '40' });
    expect(plan.skips).toEqual([
      expect.objectContaining({ object: 'companies', recordKey: '1', field: 'es_health', reason: 'conflict' }),
    ]);
    expect(plan.skips[0]?.detail).toBe('changed in the CRM to "yellow" (we last wrote "green"); kept, wanted "red"');
  });

  it('a cleared if-empty field is filled again; a cleared unless-edited one is kept as a conflict', () => {
    const crm = { ...WRITTEN_ACCOUNT, es_health: '', es_potential: '' };
    const plan = planWrites(
      planInput(one(), { currentAccountValues: values(crm), accountLedgers: values(WRITTEN_ACCOUNT) }),
    );
    expect(plan.accountUpdates[0]?.fields).toEqual({ es_potential: '12000' });
    expect(plan.skips).toEqual([
      expect.objectContaining({ object: 'companies', recordKey: '1', field: 'es_health', reason: 'conflict' }),
    ]);
    expect(plan.skips[0]?.detail).toBe('changed in the CRM to empty (we last wrote "green"); kept, wanted "green"');
  });

  it('an unless-edited field provisioning re-created this run is filled again, not read as a clear', () => {
    const crm = { ...WRITTEN_ACCOUNT, es_health: '' };
    const createdFields = { account: new Set(['es_health']), opportunity: new Set<string>() };
    const plan = planWrites(
      planInput(one(), { currentAccountValues: values(crm), accountLedgers: values(WRITTEN_ACCOUNT), createdFields }),
    );
    expect(plan.accountUpdates[0]?.fields).toEqual({ es_health: 'green' });
    expect(plan.skips).toEqual([]);
  });

  it('CRM values that already equal ours but are not in the ledger are adopted, not written', () => {
    const plan = planWrites(planInput(one(), { currentAccountValues: values(WRITTEN_ACCOUNT) }));
    expect(plan.accountUpdates).toEqual([]);
    expect(plan.adopt).toEqual([
      expect.objectContaining({ object: 'companies', recordKey: '1', fields: WRITTEN_ACCOUNT }),
    ]);
  });

  describe('a store behind the CRM (lost, restored from a copy, or a crash before the record)', () => {
    // What our last run wrote on 2026-11-30; the store knows an older write, or nothing.
    const ours = { ...WRITTEN_ACCOUNT, es_health: 'yellow' };
    const nextWeek = (extra: Partial<PlanInput>) =>
      planWrites(planInput(one(opportunity(), { asOf: '2026-12-07', score: 75 }), extra));

    it('with no ledger, values under our scored-at stamp are ours: adopted and updated, no conflict', () => {
      const plan = nextWeek({ currentAccountValues: values(ours) });
      expect(plan.skips).toEqual([]);
      expect(plan.adopt).toEqual([expect.objectContaining({ recordKey: '1', fields: ours })]);
      expect(plan.accountUpdates[0]?.fields).toMatchObject({ es_score: '75', es_health: 'green' });
    });

    it('with a ledger older than the CRM stamp (a restored copy), the CRM values are taken as ours', () => {
      const older = { ...WRITTEN_ACCOUNT, es_health: 'red', es_scored_at: '2026-11-23' };
      const plan = nextWeek({ currentAccountValues: values(ours), accountLedgers: values(older) });
      expect(plan.skips).toEqual([]);
      expect(plan.accountUpdates[0]?.fields).toMatchObject({ es_score: '75', es_health: 'green' });
    });

    it("with the same stamp, a changed value is still a person's edit", () => {
      const plan = nextWeek({ currentAccountValues: values(ours), accountLedgers: values(WRITTEN_ACCOUNT) });
      expect(plan.skips).toEqual([expect.objectContaining({ field: 'es_health', reason: 'conflict' })]);
    });

    it('with no stamp in the CRM (never written by us), a value there belongs to a person', () => {
      const { es_scored_at: _stamp, ...unstamped } = ours;
      const plan = nextWeek({ currentAccountValues: values(unstamped) });
      expect(plan.adopt.flatMap((a) => Object.keys(a.fields))).not.toContain('es_health');
      expect(plan.skips).toContainEqual(expect.objectContaining({ field: 'es_health', reason: 'conflict' }));
    });

    it('state rebuild takes the CRM values as ours even when the ledger has the same stamp', () => {
      const plan = nextWeek({
        currentAccountValues: values(ours),
        accountLedgers: values(WRITTEN_ACCOUNT),
        rebuild: true,
      });
      expect(plan.skips).toEqual([]);
      expect(plan.adopt).toEqual([expect.objectContaining({ recordKey: '1', fields: ours })]);
    });
  });

  it.each([
    [2, false],
    [3, true],
    [7, true],
  ])('after %i failed attempts (cap 3) the account update is skipped: %s', (attempts, skipped) => {
    const plan = planWrites(planInput(one(), { failures: new Map([failure('companies', '1', attempts)]) }));
    expect(plan.accountUpdates).toHaveLength(skipped ? 0 : 1);
    expect(plan.skips.filter((s) => s.reason === 'retry_cap')).toHaveLength(skipped ? 1 : 0);
    if (skipped) expect(plan.skips[0]?.detail).toBe(`failed ${attempts} times; last error: INVALID_OPTION`);
  });

  it('a retryable failure (an outage) never caps a record, however many runs it spanned', () => {
    const [key, write] = failure('companies', '1', 7);
    const outage = { ...write, code: 'hubspot_unavailable', message: '503 after retries', retryable: true };
    const plan = planWrites(planInput(one(), { failures: new Map([[key, outage]]) }));
    expect(plan.accountUpdates).toHaveLength(1);
    expect(plan.skips).toEqual([]);
  });
});

describe('planWrites: expansion opportunities', () => {
  it('creates ours on its deterministic key with every field, and a note to follow it', () => {
    const plan = planWrites(planInput(one()));
    expect(plan.opportunities).toEqual([expect.objectContaining({ key: KEY, accountId: '1', create: true })]);
    expect(plan.opportunities[0]?.fields).toEqual({
      dealname: 'Account 1 · Seat expansion',
      amount: '12000',
      dealstage: 'new',
      es_key: KEY,
      es_probability: '0.50',
    });
    expect(plan.opportunities[0]).not.toHaveProperty('crmId');
    expect(plan.notes).toEqual([
      expect.objectContaining({
        key: `${KEY}-note-${noteFingerprint(opportunity())}`,
        opportunityKey: KEY,
        pending: false,
      }),
    ]);
    expect(plan.notes[0]).not.toHaveProperty('opportunityId');
  });

  it("an AE's open opportunity of the same motion gets our evidence as a note, never a second deal", () => {
    const plan = planWrites(planInput(one(), { opportunities: [aeDeal()] }));
    expect(plan.opportunities).toEqual([]);
    expect(plan.skips).toEqual([
      expect.objectContaining({ object: 'deals', recordKey: 'AE-9', reason: 'ae_opportunity' }),
    ]);
    expect(plan.notes).toEqual([
      expect.objectContaining({
        key: `AE-9-note-${noteFingerprint(opportunity())}`,
        opportunityId: 'AE-9',
        title: 'Add seats',
      }),
    ]);
    expect(plan.notes[0]).not.toHaveProperty('opportunityKey');
  });

  it.each([
    ['closed', aeDeal({ closed: true, won: false })],
    ['of another motion', aeDeal({ motion: 'tier_upgrade' })],
    ['on another account', aeDeal({ accountId: '2' })],
  ])('an AE opportunity %s does not stop ours', (_name, deal) => {
    const plan = planWrites(planInput(one(), { opportunities: [deal] }));
    expect(plan.opportunities.map((o) => [o.key, o.create])).toEqual([[KEY, true]]);
    expect(plan.skips).toEqual([]);
  });

  it.each([
    [false, ''],
    [true, ' (won)'],
  ])('ours closed (won: %s) is never touched: no update, no note', (won, suffix) => {
    const plan = planWrites(
      planInput(one(opportunity({ arrPotential: 30_000 })), { opportunities: [ourDeal({ closed: true, won })] }),
    );
    expect(plan.opportunities).toEqual([]);
    expect(plan.notes).toEqual([]);
    expect(plan.adopt).toEqual([]);
    expect(plan.skips).toEqual([
      expect.objectContaining({
        recordKey: KEY,
        reason: 'closed',
        detail: `opportunity D-1 is closed${suffix}; never reopened or edited`,
      }),
    ]);
  });

  it('ours open is updated under the field policies: create-only fields kept, an AE edit of the amount a conflict', () => {
    const ledger = new Map([[KEY, { ...ourDeal().values }]]);
    const edited = ourDeal({ values: { ...ourDeal().values, dealname: 'Renamed by AE', dealstage: 'negotiation' } });
    const plan = planWrites(
      planInput(one(opportunity({ probability: 0.7, arrPotential: 15_000 })), {
        opportunities: [edited],
        opportunityLedgers: ledger,
      }),
    );
    expect(plan.opportunities).toEqual([
      expect.objectContaining({
        key: KEY,
        create: false,
        crmId: 'D-1',
        fields: { amount: '15000', es_probability: '0.70' },
      }),
    ]);
    const byHand = ourDeal({ values: { ...ourDeal().values, amount: '20000' } });
    const conflicted = planWrites(
      planInput(one(opportunity({ probability: 0.7, arrPotential: 15_000 })), {
        opportunities: [byHand],
        opportunityLedgers: ledger,
      }),
    );
    expect(conflicted.opportunities[0]?.fields).toEqual({ es_probability: '0.70' });
    expect(conflicted.skips).toEqual([
      expect.objectContaining({ recordKey: KEY, field: 'amount', reason: 'conflict' }),
    ]);
  });

  it('ours in the CRM but not in the ledger (a crash after the write) is adopted as ours: no conflict, no write', () => {
    const plan = planWrites(planInput(one(), { opportunities: [ourDeal()] }));
    expect(plan.opportunities).toEqual([]);
    expect(plan.skips).toEqual([]);
    expect(plan.adopt).toEqual([{ object: 'deals', recordKey: KEY, fields: ourDeal().values }]);
  });

  it('ours deleted in the CRM after we created it is not recreated this cycle', () => {
    const plan = planWrites(planInput(one(), { artifacts: new Map([artifact(KEY, 'done', 'D-1')]) }));
    expect(plan.opportunities).toEqual([]);
    expect(plan.notes).toEqual([]);
    expect(plan.skips).toEqual([expect.objectContaining({ recordKey: KEY, reason: 'deleted_in_crm' })]);
  });

  it('a pending artifact (a crash before the write was confirmed) is created again on the same key', () => {
    const plan = planWrites(planInput(one(), { artifacts: new Map([artifact(KEY, 'pending')]) }));
    expect(plan.opportunities.map((o) => [o.key, o.create])).toEqual([[KEY, true]]);
  });

  it("a queued opportunity waits for its owner's capacity: no deal, no note; once in the CRM it is kept up to date", () => {
    const queued = opportunity({ priority: { score: 1, rank: 9, tier: 'P3', queued: true }, probability: 0.7 });
    const plan = planWrites(planInput(one(queued)));
    expect(plan.opportunities).toEqual([]);
    expect(plan.notes).toEqual([]);
    expect(plan.skips).toEqual([expect.objectContaining({ recordKey: KEY, reason: 'queued' })]);
    const existing = planWrites(
      planInput(one(queued), { opportunities: [ourDeal()], opportunityLedgers: new Map([[KEY, ourDeal().values]]) }),
    );
    expect(existing.opportunities).toEqual([expect.objectContaining({ key: KEY, fields: { es_probability: '0.70' } })]);
  });

  it('a withheld opportunity is skipped: no deal, no note', () => {
    const plan = planWrites(planInput(one(opportunity({ withheld: 'ramping' }))));
    expect(plan.opportunities).toEqual([]);
    expect(plan.notes).toEqual([]);
    expect(plan.skips).toEqual([expect.objectContaining({ recordKey: KEY, reason: 'withheld' })]);
  });

  it.each([
    [2, false],
    [3, true],
  ])('after %i failed attempts (cap 3) the opportunity and its note are skipped: %s', (attempts, skipped) => {
    const plan = planWrites(planInput(one(), { failures: new Map([failure('deals', KEY, attempts)]) }));
    expect(plan.opportunities).toHaveLength(skipped ? 0 : 1);
    expect(plan.notes).toHaveLength(skipped ? 0 : 1);
    expect(plan.skips.map((s) => s.reason)).toEqual(skipped ? ['retry_cap'] : []);
  });
});

describe('planWrites: notes', () => {
  const noteKey = (opp = opportunity()) => `${KEY}-note-${noteFingerprint(opp)}`;

  it('one per material change of the evidence: the same recommendation keeps its key, a new size or timing gets a new one', () => {
    expect(noteKey(opportunity({ arrPotential: 12_030 }))).toBe(noteKey());
    expect(noteKey(opportunity({ arrPotential: 12_500 }))).not.toBe(noteKey());
    expect(noteKey(opportunity({ timing: '90d' }))).not.toBe(noteKey());
    expect(noteKey(opportunity({ seatsToAdd: 30 }))).not.toBe(noteKey());
  });

  it('a note already written for this evidence is not written again; a pending one is sent to be reconciled', () => {
    const done = planWrites(planInput(one(), { artifacts: new Map([artifact(noteKey(), 'done', 'N-1')]) }));
    expect(done.notes).toEqual([]);
    expect(done.opportunities).toHaveLength(1);
    const pending = planWrites(planInput(one(), { artifacts: new Map([artifact(noteKey(), 'pending')]) }));
    expect(pending.notes).toEqual([expect.objectContaining({ key: noteKey(), pending: true })]);
  });

  it('a changed recommendation on ours open gets a new note carrying the deal id', () => {
    const opp = opportunity({ arrPotential: 20_000 });
    const state = {
      opportunities: [ourDeal()],
      opportunityLedgers: new Map([[KEY, ourDeal().values]]),
      artifacts: new Map([artifact(noteKey(), 'done', 'N-1')]),
    };
    const plan = planWrites(planInput(one(opp), state));
    expect(plan.notes).toEqual([
      expect.objectContaining({ key: noteKey(opp), opportunityKey: KEY, opportunityId: 'D-1', pending: false }),
    ]);
  });

  it('none at all when notes are off', () => {
    expect(planWrites(planInput(one(), { notesEnabled: false })).notes).toEqual([]);
    expect(planWrites(planInput(one(), { notesEnabled: false, opportunities: [aeDeal()] })).notes).toEqual([]);
  });
});
