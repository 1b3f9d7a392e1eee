import { describe, expect, it } from 'vitest';
import { locate } from '../../../src/engine/usage-source.ts';
import { parseUsageRow, UsageDaySchema, type RawUsageRow } from '../../../src/model/usage.ts';
import { MEMORY_LABELS } from './memory-source.ts';

const row = (over: Partial<RawUsageRow>): RawUsageRow => ({
  accountKey: 'acme.example',
  date: '2026-11-01',
  activeUsers: '40',
  seatsUsed: 44,
  events: [['reports', '120']],
  ...over,
});

describe('parseUsageRow: the one validation of an untrusted usage row', () => {
  it('turns a row into a canonical UsageDay, keeping the location it was given', () => {
    const item = parseUsageRow(row({ accountKey: ' Acme.Example ' }), MEMORY_LABELS, { location: 'page 2 row 7' });
    expect(item).toEqual({
      ok: true,
      location: 'page 2 row 7',
      day: { accountKey: 'acme.example', date: '2026-11-01', activeUsers: 40, seatsUsed: 44, events: { reports: 120 } },
    });
    if (item.ok) expect(UsageDaySchema.parse(item.day)).toEqual(item.day);
  });

  it("names every bad field in one message, in the source's own words, with the account when it has one", () => {
    const item = parseUsageRow(
      row({ date: '2026-02-30', activeUsers: 'many', events: [['reports', -1]] }),
      MEMORY_LABELS,
      { line: 9 },
    );
    expect(item).toEqual({
      ok: false,
      line: 9,
      accountKey: 'acme.example',
      message:
        'day "2026-02-30" is not a valid YYYY-MM-DD date; users "many" is not a number; events.reports -1 is negative',
    });
  });

  it('reports a row without any count together with its other problems, and leaves empty counts out of the day', () => {
    const empty = parseUsageRow(
      row({ accountKey: '', activeUsers: null, seatsUsed: ' ', events: [['reports', '']] }),
      MEMORY_LABELS,
      { line: 3 },
    );
    expect(empty).toMatchObject({
      ok: false,
      message:
        'account is empty; the row has no count (users, seats and events are empty); fill in what was collected that day, or leave the day out',
    });
    expect(empty).not.toHaveProperty('accountKey');
    const partial = parseUsageRow(row({ activeUsers: '', events: [] }), MEMORY_LABELS, { line: 4 });
    expect(partial).toEqual({
      ok: true,
      line: 4,
      day: { accountKey: 'acme.example', date: '2026-11-01', seatsUsed: 44, events: {} },
    });
  });

  it('reports events a source handed over in the wrong shape instead of failing the read', () => {
    const item = parseUsageRow(
      { ...row({}), events: [['reports', 1], 'exports'] as unknown as RawUsageRow['events'] },
      MEMORY_LABELS,
      { line: 5 },
    );
    expect(item).toMatchObject({ ok: false, message: 'events must hold [feature, count] pairs, got "exports"' });
  });

  it("is located as file:line for a file and in the source's words for anything else", () => {
    expect(locate('data/usage.csv', { line: 12 })).toBe('data/usage.csv:12');
    expect(locate('posthog:events', { location: 'page 3 row 40' })).toBe('posthog:events page 3 row 40');
  });
});
