import type { NoteCreate, PendingNote, WriteOutcome } from '../../src/engine/crm.ts';
import { renderNoteHtml } from '../shared/note-html.ts';
import { noteKeyIn } from '../shared/note-ref.ts';
import type { SalesforceClient } from './client.ts';
import { queryPages, queryRows } from './read.ts';
import { chunkInValues, soqlInList } from './soql.ts';
import { outcomesOf, saveResults } from './write.ts';

/**
 * Talking points as an Enhanced Note: a ContentNote (Content is base64 of escaped HTML, Title at most 255
 * characters: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentnote.htm)
 * linked to the opportunity and its account with ContentDocumentLink
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentdocumentlink.htm).
 */
const TITLE_MAX = 255;
/** Keeps a note readable and well inside the API's request size. */
const CONTENT_MAX = 60_000;
const COLLECTION_MAX = 200;

export async function createContentNotes(options: {
  readonly client: SalesforceClient;
  readonly notes: readonly NoteCreate[];
}): Promise<WriteOutcome[]> {
  const { client, notes } = options;
  if (notes.length === 0) return [];
  const records = notes.map((n) => ({
    attributes: { type: 'ContentNote' },
    Title: n.title.length > TITLE_MAX ? `${n.title.slice(0, TITLE_MAX - 1)}…` : n.title,
    Content: Buffer.from(renderNoteHtml({ title: n.title, body: n.body, key: n.key, max: CONTENT_MAX })).toString(
      'base64',
    ),
  }));
  const results = saveResults(
    await client.call('notes.create', (conn) => conn.sobject('ContentNote').create(records, { allOrNone: false })),
  );
  const created = outcomesOf(
    results,
    notes.map((n) => n.key),
    () => 'created',
  );
  const linked = await linkNotes(client, notes, created);
  return created.map((o) => linked.get(o.ref) ?? o);
}

/**
 * Links each created note to its opportunity and account. A note whose opportunity link fails is reported
 * failed (retried next run); it exists unlinked, where no AE sees it, so a retry cannot show them two.
 */
async function linkNotes(
  client: SalesforceClient,
  notes: readonly NoteCreate[],
  created: readonly WriteOutcome[],
): Promise<Map<string, WriteOutcome>> {
  const byKey = new Map(notes.map((n) => [n.key, n]));
  const links: Array<{ readonly ref: string; readonly primary: boolean; readonly record: Record<string, unknown> }> =
    [];
  for (const o of created) {
    const note = byKey.get(o.ref);
    if (o.status === 'failed' || note === undefined) continue;
    for (const [entity, primary] of [
      [note.opportunityId, true],
      [note.accountId, false],
    ] as const) {
      links.push({
        ref: o.ref,
        primary,
        record: {
          attributes: { type: 'ContentDocumentLink' },
          ContentDocumentId: o.crmId,
          LinkedEntityId: entity,
          ShareType: 'V',
          Visibility: 'AllUsers',
        },
      });
    }
  }
  const failures = new Map<string, WriteOutcome>();
  for (let start = 0; start < links.length; start += COLLECTION_MAX) {
    const chunk = links.slice(start, start + COLLECTION_MAX);
    const results = saveResults(
      await client.call('notes.link', (conn) =>
        conn.sobject('ContentDocumentLink').create(
          chunk.map((l) => l.record),
          { allOrNone: false },
        ),
      ),
    );
    outcomesOf(
      results,
      chunk.map((l) => l.ref),
      () => 'created',
    ).forEach((outcome, i) => {
      if (outcome.status === 'failed' && chunk[i]?.primary) failures.set(outcome.ref, outcome);
    });
  }
  return failures;
}

/** Notes a crashed run may have created: the notes linked to the opportunities, matched on their reference. */
export async function findContentNotes(
  client: SalesforceClient,
  pending: readonly PendingNote[],
): Promise<Map<string, string>> {
  const wanted = new Set(pending.map((p) => p.key));
  const documents = new Set<string>();
  for (const ids of chunkInValues([...new Set(pending.map((p) => p.opportunityId))])) {
    for await (const rows of queryRows(
      client,
      'notes.find',
      `SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId IN ${soqlInList(ids)}`,
    )) {
      for (const row of rows) if (typeof row['ContentDocumentId'] === 'string') documents.add(row['ContentDocumentId']);
    }
  }
  const found = new Map<string, string>();
  for (const ids of chunkInValues([...documents])) {
    for await (const rows of queryPages(
      client,
      'notes.find',
      `SELECT Id, Content FROM ContentNote WHERE Id IN ${soqlInList(ids)}`,
    )) {
      for (const row of rows) {
        const key = noteKeyIn(await contentOf(client, row['Content']));
        if (key !== undefined && wanted.has(key)) found.set(key, row.Id);
      }
    }
  }
  return found;
}

/** A base64 field comes back from SOQL as the URL of its body; the emulator may inline the base64 itself. */
async function contentOf(client: SalesforceClient, value: unknown): Promise<string | undefined> {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('/services/'))
    return String(await client.call('notes.find', (conn) => conn.request<string>(value)));
  return Buffer.from(value, 'base64').toString('utf8');
}
