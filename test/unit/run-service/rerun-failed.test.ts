import { describe, expect, it } from 'vitest';
import type { WritePlan } from '../../../src/engine/plan.ts';
import { scopeFailures, scopePlan, writeScope } from '../../../src/engine/rerun-failed.ts';
import type { FailedWrite } from '../../../src/state/store.ts';

const objects = { account: 'companies', opportunity: 'deals', note: 'notes' };
const failed = (objectType: string, recordKey: string): FailedWrite => ({
  system: 'hubspot',
  objectType,
  recordKey,
  runId: 'run-1',
  code: 'INVALID_OPTION',
  message: 'not an option',
  retryable: true,
  at: '2026-11-30T10:00:00.000Z',
  attempts: 3,
  firstFailedAt: '2026-11-28T10:00:00.000Z',
});
const update = (accountId: string) => ({ accountId, accountName: accountId, fields: { es_health: '70' }, diffs: [] });
const deal = (key: string) => ({ key, accountId: 'a', accountName: 'a', create: true, fields: {}, diffs: [] });
const note = (key: string) => ({ key, accountId: 'a', accountName: 'a', title: 't', body: 'b', pending: false });

const plan: WritePlan = {
  accountUpdates: [update('101'), update('102')],
  opportunities: [deal('a-seat-2026q4'), deal('b-seat-2026q4')],
  notes: [note('a-seat-2026q4-note-1'), note('b-seat-2026q4-note-1'), note('c-note')],
  skips: [
    {
      object: 'companies',
      recordKey: '102',
      accountName: '102',
      reason: 'conflict',
      field: 'es_health',
      detail: 'edited',
    },
  ],
  adopt: [{ object: 'companies', recordKey: '103', fields: { es_health: '60' } }],
};

describe('runs retry as a filter over the plan', () => {
  const scope = writeScope({
    retryOf: 'run-1',
    objects,
    queued: [failed('companies', '101'), failed('deals', 'a-seat-2026q4'), failed('notes', 'c-note')],
  });

  it('keeps only the failed records, and the notes of a failed deal', () => {
    const scoped = scopePlan(plan, scope);
    expect(scoped.accountUpdates.map((u) => u.accountId)).toEqual(['101']);
    expect(scoped.opportunities.map((o) => o.key)).toEqual(['a-seat-2026q4']);
    expect(scoped.notes.map((n) => n.key)).toEqual(['a-seat-2026q4-note-1', 'c-note']);
  });

  it('keeps the skips and adoptions, which write nothing to the CRM, and leaves the plan it was given alone', () => {
    const scoped = scopePlan(plan, scope);
    expect(scoped.skips).toEqual(plan.skips);
    expect(scoped.adopt).toEqual(plan.adopt);
    expect(plan.accountUpdates).toHaveLength(2);
  });

  it('lifts the retry cap for the scoped records only', () => {
    const queue = new Map([
      ['companies:101', failed('companies', '101')],
      ['companies:102', failed('companies', '102')],
    ]);
    expect([...scopeFailures(queue, scope).keys()]).toEqual(['companies:102']);
    expect(queue.size).toBe(2);
  });
});
