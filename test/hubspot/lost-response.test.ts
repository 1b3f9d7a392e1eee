import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultStep } from '../../connectors/emulator-kit/fault-rules.ts';
import { noteKeyIn } from '../../connectors/shared/note-ref.ts';
import { grown } from '../support/companies.ts';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

/**
 * Notes are never written twice. A note batch create is not idempotent: when HubSpot saved the notes but the
 * answer never arrived (a 502 from the edge, a connection reset), the run looks the notes up by the
 * reference each carries, counts the ones found and sends only the others. A state store deleted or
 * restored from an older copy does not make a note be written a second time either.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const NOTES_CREATE = { method: 'POST', path: '/crm/v3/objects/notes/batch/create' } as const;

/** Each deal of ours with the keys of its notes: one note per deal, none twice. */
function notesByDeal(h: Harness): { deals: number; notes: number; keysPerDeal: string[][] } {
  const deals = h.emulator.listObjects('deals').filter((d) => d.properties['expansion_key']);
  const notes = h.emulator.listObjects('notes');
  const byId = new Map(notes.map((n) => [n.id, n]));
  const keysPerDeal = deals.map((d) =>
    h.emulator
      .associationsOf('deals', d.id, 'notes')
      .map((id) => noteKeyIn(byId.get(id)?.properties['hs_note_body']) ?? '?'),
  );
  return { deals: deals.length, notes: notes.length, keysPerDeal };
}

describe('HubSpot notes after a lost answer', () => {
  it.each<[string, FaultStep]>([
    ['a 502 after HubSpot saved the batch', { status: 502, afterCommit: true }],
    ['a connection reset after HubSpot saved the batch', 'commit-then-reset'],
  ])('%s: every note once, the report counts what HubSpot holds, the run succeeds', async (_label, step) => {
    harness = await startHarness();
    const h = harness;
    const fault = h.emulator.faults.add({ ...NOTES_CREATE, sequence: [step] });
    const report = await h.run();
    expect(fault.hits).toBe(1);
    const held = notesByDeal(h);
    expect(held.deals).toBeGreaterThan(0);
    expect(held.notes).toBe(held.deals);
    for (const keys of held.keysPerDeal) expect(keys).toHaveLength(1);
    expect(report.status).toBe('succeeded');
    expect(report.writes.note).toEqual({ created: held.notes, updated: 0, failed: 0 });
    expect(report.failures).toEqual([]);
    // The batch create was sent once: the lookup found every note, so nothing was sent again.
    const creates = h.emulator.requests.log().filter((r) => r.path === NOTES_CREATE.path);
    expect(creates).toHaveLength(1);
    // Nothing is left to do: the next run writes no note.
    const again = await h.run();
    expect(again.writes.note.created).toBe(0);
    expect(notesByDeal(h).notes).toBe(held.notes);
  });

  it('a 502 before HubSpot saved anything: the lookup finds nothing and the batch is sent again, once', async () => {
    harness = await startHarness();
    const h = harness;
    h.emulator.faults.add({ ...NOTES_CREATE, sequence: [502] });
    const report = await h.run();
    const held = notesByDeal(h);
    expect(held.notes).toBe(held.deals);
    expect(report.writes.note).toEqual({ created: held.notes, updated: 0, failed: 0 });
    const creates = h.emulator.requests.log().filter((r) => r.path === NOTES_CREATE.path);
    expect(creates.map((r) => r.status)).toEqual([502, 201]);
  });
});

describe('HubSpot notes after the state store was lost', () => {
  it('the store deleted between runs: the notes already on the deals are found, none is written twice', async () => {
    harness = await startHarness();
    const h = harness;
    const first = await h.run();
    expect(first.writes.note.created).toBeGreaterThan(0);
    const before = notesByDeal(h);
    await rm(path.join(h.dir, 'state.db'), { force: true });
    const rebuilt = await h.run();
    expect(rebuilt.writes.note.created).toBe(0);
    expect(notesByDeal(h)).toEqual(before);
    // The store knows the notes again: a further run looks nothing up.
    const log = h.emulator.requests.log().length;
    await h.run();
    const lookups = h.emulator.requests
      .log()
      .slice(log)
      .filter((r) => r.path.includes('/notes'));
    expect(lookups).toEqual([]);
  });

  it('the store restored from a copy older than the last note: that note is found, not written twice', async () => {
    harness = await startHarness();
    const h = harness;
    await h.run();
    await copyFile(path.join(h.dir, 'state.db'), path.join(h.dir, 'older.db'));
    // Birch grows into seat pressure: this run creates its deal and note.
    await h.writeUsage(grown('birch.example'));
    const later = await h.run();
    expect(later.writes.note.created).toBe(1);
    const before = notesByDeal(h);
    await copyFile(path.join(h.dir, 'older.db'), path.join(h.dir, 'state.db'));
    const restored = await h.run();
    expect(restored.writes.note.created).toBe(0);
    expect(notesByDeal(h)).toEqual(before);
  });
});
