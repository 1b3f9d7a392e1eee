import { describe, expect, it } from 'vitest';
import {
  decideField,
  defaultNormalize,
  type FieldDecision,
  type FieldInput,
  type WritePolicy,
} from '../../../src/engine/plan-fields.ts';

const POLICIES: readonly WritePolicy[] = ['always', 'if-empty', 'unless-edited', 'create-only'];

type Values = Pick<FieldInput, 'desired' | 'current' | 'ledger'>;
type Expected = FieldDecision extends infer D ? (D extends { field: string } ? Omit<D, 'field'> : never) : never;

function decide(policy: WritePolicy, values: Values, creating = false): FieldDecision {
  return decideField({ field: 'f', policy, creating, ...values }, defaultNormalize);
}

const write = (from: string | null, to: string | null): Expected => ({ action: 'write', from, to });
const conflict = (ours: string | null, theirs: string | null, wanted: string | null): Expected => ({
  action: 'conflict',
  ours,
  theirs,
  wanted,
});
const kept = (reason: 'create-only' | 'if-empty'): Expected => ({ action: 'kept', reason });
const unchanged: Expected = { action: 'unchanged' };

describe('decideField: a new record', () => {
  it.each(POLICIES)('%s: every field is written as wanted, even empty, whatever a ledger says', (policy) => {
    expect(decide(policy, { desired: '12000.0', current: undefined, ledger: undefined }, true)).toEqual({
      field: 'f',
      ...write(null, '12000.0'),
    });
    expect(decide(policy, { desired: null, current: undefined, ledger: 'stale' }, true)).toEqual({
      field: 'f',
      ...write(null, null),
    });
  });
});

describe('decideField: the CRM already holds what we want (after normalization)', () => {
  const same: ReadonlyArray<[string, Values]> = [
    ['the same text', { desired: 'green', current: 'green', ledger: 'green' }],
    ['the same number written two ways', { desired: '12000', current: '12000.0', ledger: '9000' }],
    [
      'the same date as a day and as an instant',
      { desired: '2026-11-30', current: '2026-11-30T00:00:00Z', ledger: undefined },
    ],
    ['the same text up to surrounding spaces', { desired: 'green', current: ' green ', ledger: 'red' }],
    ['empty both ways: null and the empty string', { desired: null, current: '', ledger: 'was' }],
  ];
  for (const policy of POLICIES) {
    it.each(same)(`${policy}: %s is unchanged, no write and no conflict`, (_name, values) => {
      expect(decide(policy, values)).toEqual({ field: 'f', ...unchanged });
    });
  }
});

describe('decideField: the CRM holds something else', () => {
  // [policy, case, values, expected]: `from` is the CRM value as normalized, `to` is sent as wanted.
  const table: ReadonlyArray<[WritePolicy, string, Values, Expected]> = [
    ['always', "overwrites a person's edit", { desired: 'b', current: 'edited', ledger: 'a' }, write('edited', 'b')],
    ['always', 'clears a field we no longer fill', { desired: null, current: 'a', ledger: 'a' }, write('a', null)],
    ['always', 'fills a field the CRM has empty', { desired: '5', current: null, ledger: undefined }, write(null, '5')],
    [
      'always',
      'reports the CRM value normalized and sends ours as it is',
      { desired: '13000.0', current: '12000.50', ledger: undefined },
      write('12000.5', '13000.0'),
    ],
    ['create-only', 'never touches a set field', { desired: 'b', current: 'a', ledger: 'a' }, kept('create-only')],
    [
      'create-only',
      'never fills a field a person cleared',
      { desired: 'b', current: '', ledger: 'a' },
      kept('create-only'),
    ],
    ['create-only', 'never clears a field', { desired: null, current: 'a', ledger: 'a' }, kept('create-only')],
    ['if-empty', 'fills an empty field', { desired: 'b', current: null, ledger: undefined }, write(null, 'b')],
    [
      'if-empty',
      'fills a field a person cleared (empty string reads as empty)',
      { desired: 'b', current: '', ledger: 'a' },
      write(null, 'b'),
    ],
    ['if-empty', 'fills a field of spaces only', { desired: 'b', current: '   ', ledger: undefined }, write(null, 'b')],
    [
      'if-empty',
      'keeps a field that holds a value, ours or not',
      { desired: 'b', current: 'a', ledger: 'a' },
      kept('if-empty'),
    ],
    ['if-empty', 'never clears a field', { desired: null, current: 'a', ledger: 'a' }, kept('if-empty')],
    [
      'unless-edited',
      'updates a field still holding what we last wrote',
      { desired: 'b', current: 'a', ledger: 'a' },
      write('a', 'b'),
    ],
    [
      'unless-edited',
      'matches the ledger after normalization',
      { desired: '13000', current: '12000', ledger: '12000.00' },
      write('12000', '13000'),
    ],
    [
      'unless-edited',
      'clears a field still holding what we last wrote',
      { desired: null, current: 'a', ledger: 'a' },
      write('a', null),
    ],
    [
      'unless-edited',
      'keeps a field a person cleared as a conflict (a clear is an edit): not refilled',
      { desired: 'b', current: '', ledger: 'a' },
      conflict('a', null, 'b'),
    ],
    [
      'unless-edited',
      'keeps a cleared field (null) as a conflict even when our value is unchanged',
      { desired: 'green', current: null, ledger: 'green' },
      conflict('green', null, 'green'),
    ],
    [
      'unless-edited',
      'keeps a cleared amount, compared with the ledger after normalization',
      { desired: '13000', current: '  ', ledger: '12000.00' },
      conflict('12000', null, '13000'),
    ],
    [
      'unless-edited',
      'fills an empty field where we last wrote empty',
      { desired: 'b', current: null, ledger: null },
      write(null, 'b'),
    ],
    [
      'unless-edited',
      'fills an empty field we never wrote',
      { desired: 'b', current: null, ledger: undefined },
      write(null, 'b'),
    ],
    [
      'unless-edited',
      "keeps a person's edit as a conflict",
      { desired: 'b', current: 'edited', ledger: 'a' },
      conflict('a', 'edited', 'b'),
    ],
    [
      'unless-edited',
      'keeps a value we never wrote as a conflict',
      { desired: 'b', current: 'theirs', ledger: undefined },
      conflict(null, 'theirs', 'b'),
    ],
    [
      'unless-edited',
      'keeps a value set where we last wrote empty',
      { desired: 'b', current: 'theirs', ledger: null },
      conflict(null, 'theirs', 'b'),
    ],
    [
      'unless-edited',
      "keeps a person's edit rather than clearing it",
      { desired: null, current: 'edited', ledger: 'a' },
      conflict('a', 'edited', null),
    ],
  ];
  it.each(table)('%s %s', (policy, _name, values, expected) => {
    expect(decide(policy, values)).toEqual({ field: 'f', ...expected });
  });
});

describe('decideField: a field provisioning (re)created this run', () => {
  const recreated = (policy: WritePolicy, values: Values): FieldDecision =>
    decideField({ field: 'f', policy, creating: false, createdThisRun: true, ...values }, defaultNormalize);

  it('unless-edited: a re-created field is empty because it is new, not cleared: it is filled again', () => {
    expect(recreated('unless-edited', { desired: 'green', current: null, ledger: 'green' })).toEqual({
      field: 'f',
      ...write(null, 'green'),
    });
    expect(recreated('unless-edited', { desired: 'b', current: undefined, ledger: 'a' })).toEqual({
      field: 'f',
      ...write(null, 'b'),
    });
  });

  it('unless-edited: a value in it is still judged against the ledger', () => {
    expect(recreated('unless-edited', { desired: 'b', current: 'edited', ledger: 'a' })).toEqual({
      field: 'f',
      ...conflict('a', 'edited', 'b'),
    });
  });

  it.each(['always', 'if-empty'] as const)('%s: fills it as for any empty field', (policy) => {
    expect(recreated(policy, { desired: 'b', current: null, ledger: 'a' })).toEqual({
      field: 'f',
      ...write(null, 'b'),
    });
  });
});

describe('defaultNormalize', () => {
  const table: ReadonlyArray<[string | null | undefined, string | null]> = [
    [undefined, null],
    [null, null],
    ['', null],
    ['  ', null],
    ['12000', '12000'],
    ['12000.0', '12000'],
    ['-3.50', '-3.5'],
    [' 42 ', '42'],
    ['2026-11-30', '2026-11-30T00:00:00.000Z'],
    ['2026-11-30T10:00:00+02:00', '2026-11-30T08:00:00.000Z'],
    ['2026-11-30T08:00:00.000Z', '2026-11-30T08:00:00.000Z'],
    ['v1.2', 'v1.2'],
    ['seat_add;tier', 'seat_add;tier'],
  ];
  it.each(table)('%j reads as %j', (value, expected) => {
    expect(defaultNormalize('f', value)).toBe(expected);
  });
});
