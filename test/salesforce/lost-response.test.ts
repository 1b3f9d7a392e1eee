import { afterEach, describe, expect, it } from 'vitest';
import type { FaultStep } from '../../connectors/emulator-kit/fault-rules.ts';
import { noteKeyIn } from '../../connectors/shared/note-ref.ts';
import { grown } from '../support/companies.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';

/**
 * Enhanced Notes are never written twice. A ContentNote create and a ContentDocumentLink create are not
 * idempotent: when Salesforce saved them and the answer was lost (a 502, a reset connection), the run looks
 * the notes up by the reference each carries, linked or not, links what lacks a link, and sends only what
 * is missing. A note a crash left unlinked is found and linked by the next run, not created again.
 */

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Both the ContentNote create and the ContentDocumentLink create are collection creates. */
const CREATE = { method: 'POST', path: /\/composite\/sobjects$/ } as const;

/**
 * A first run (provisioning, two opportunities and their notes), then Birch grows into seat pressure: the
 * next run creates one opportunity and its note, and its only collection creates are the ContentNote
 * create, then the ContentDocumentLink create.
 */
async function birchGrows(): Promise<SalesforceHarness> {
  harness = await startSalesforceHarness();
  await harness.run();
  await harness.writeUsage(grown('birch.example'));
  return harness;
}

/** Each Opportunity of ours with the notes linked to it, and each note with the records it is linked to. */
function held(h: SalesforceHarness) {
  const opportunities = h.emulator.listRecords('Opportunity').filter((o) => o['Expansion_Key__c']);
  const notes = h.emulator.listRecords('ContentNote');
  const links = h.emulator.listRecords('ContentDocumentLink');
  const key = (id: unknown) =>
    noteKeyIn(Buffer.from(String(notes.find((n) => n.Id === id)?.['Content'] ?? ''), 'base64').toString('utf8'));
  return {
    opportunities: opportunities.length,
    notes: notes.length,
    keys: new Set(notes.map((n) => key(n.Id))).size,
    /** Per opportunity, the keys of the notes linked to it. */
    perOpportunity: opportunities.map((o) =>
      links.filter((l) => l['LinkedEntityId'] === o.Id).map((l) => key(l['ContentDocumentId'])),
    ),
    /** Per note, the records it is linked to, sorted: its opportunity and its account, once each. */
    linksPerNote: notes.map((n) =>
      links
        .filter((l) => l['ContentDocumentId'] === n.Id)
        .map((l) => String(l['LinkedEntityId']))
        .sort(),
    ),
  };
}

function expectEachNoteOnceAndLinked(h: SalesforceHarness): ReturnType<typeof held> {
  const state = held(h);
  expect(state.opportunities).toBe(3);
  expect(state.notes).toBe(state.opportunities);
  expect(state.keys).toBe(state.notes);
  for (const keys of state.perOpportunity) expect(keys).toHaveLength(1);
  for (const linked of state.linksPerNote) {
    expect(linked).toHaveLength(2);
    expect(new Set(linked).size).toBe(2);
  }
  return state;
}

describe('Salesforce Enhanced Notes after a lost answer', () => {
  it.each<[string, FaultStep]>([
    ['a 502 after Salesforce saved the ContentNotes', { status: 502, afterCommit: true }],
    ['a connection reset after Salesforce saved the ContentNotes', 'commit-then-reset'],
  ])('%s: the notes are found unlinked, linked, counted once', async (_label, step) => {
    const h = await birchGrows();
    // The ContentNote create is saved, and its answer lost.
    const fault = h.emulator.faults.add({ ...CREATE, sequence: [step] });
    const report = await h.run();
    expect(fault.hits).toBe(1);
    const state = expectEachNoteOnceAndLinked(h);
    expect(report.status).toBe('succeeded');
    expect(report.writes.note).toEqual({ created: 1, updated: 0, failed: 0 });
    expect(report.failures).toEqual([]);
    const again = await h.run();
    expect(again.writes.note.created).toBe(0);
    expect(held(h)).toEqual(state);
  });

  it.each<[string, FaultStep]>([
    ['a 502 after Salesforce saved the links', { status: 502, afterCommit: true }],
    ['a connection reset after Salesforce saved the links', 'commit-then-reset'],
  ])('%s: no link twice, no note twice', async (_label, step) => {
    const h = await birchGrows();
    const fault = h.emulator.faults.add({ ...CREATE, sequence: ['pass', step] });
    const report = await h.run();
    expect(fault.hits).toBe(2);
    expectEachNoteOnceAndLinked(h);
    expect(report.status).toBe('succeeded');
    expect(report.writes.note).toEqual({ created: 1, updated: 0, failed: 0 });
  });
});

describe('Salesforce Enhanced Notes a crash left unlinked', () => {
  it('the run that created the notes could not link them: the next run finds them by reference and links them', async () => {
    const h = await birchGrows();
    // The ContentNote is saved; the link call is refused outright, as if the run had died in between.
    h.emulator.faults.add({ ...CREATE, sequence: ['pass', 400] });
    const first = await h.run();
    expect(first.writes.note.failed).toBe(1);
    expect(h.emulator.listRecords('ContentNote')).toHaveLength(3);
    expect(h.emulator.listRecords('ContentDocumentLink')).toHaveLength(4);
    const second = await h.run();
    expectEachNoteOnceAndLinked(h);
    expect(second.writes.note.created).toBe(0);
    expect(second.failures).toEqual([]);
    const done = await h.withStore((store) => store.listArtifacts('salesforce', { kind: 'note', status: 'done' }));
    expect(done).toHaveLength(3);
  });
});
