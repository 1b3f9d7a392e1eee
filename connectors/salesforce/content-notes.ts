import type { NoteCreate, PendingNote, WriteOutcome } from '../../src/engine/crm.ts';
import { renderNoteHtml } from '../shared/note-html.ts';
import { noteKeyIn } from '../shared/note-ref.ts';
import type { SalesforceClient } from './client.ts';
import { queryPages, queryRows } from './read.ts';
import { chunkInValues, soqlInList, soqlString } from './soql.ts';
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
    Title: noteTitle(n.title),
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
  const byKey = new Map(notes.map((n) => [n.key, n]));
  const toLink: NoteToLink[] = [];
  for (const o of created) {
    const note = byKey.get(o.ref);
    if (o.status !== 'failed' && note !== undefined)
      toLink.push({ key: o.ref, documentId: o.crmId, opportunityId: note.opportunityId, accountId: note.accountId });
  }
  const linked = await linkNotes(client, toLink, new Set());
  return created.map((o) => linked.get(o.ref) ?? o);
}

/** The Title we write: at most 255 characters. The search for an unlinked note compares on it. */
function noteTitle(title: string): string {
  return title.length > TITLE_MAX ? `${title.slice(0, TITLE_MAX - 1)}…` : title;
}

interface NoteToLink {
  readonly key: string;
  readonly documentId: string;
  readonly opportunityId: string;
  readonly accountId: string | undefined;
}

/** A link's identity: the document and the record it is shared with. */
const linkId = (documentId: string, entityId: string): string => `${documentId}:${entityId}`;

/**
 * Links each note to its opportunity and account, leaving out links that already exist. A note whose
 * opportunity link fails is reported failed (retried next run: found by its reference, then linked); it
 * exists unlinked, where no AE sees it, so a retry cannot show them two. A link Salesforce refuses as
 * DUPLICATE_VALUE ("Document with ID ... is already linked with the entity with ID ...") already exists,
 * which is what we wanted. ContentDocumentLink: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentdocumentlink.htm
 */
async function linkNotes(
  client: SalesforceClient,
  notes: readonly NoteToLink[],
  existing: ReadonlySet<string>,
): Promise<Map<string, WriteOutcome>> {
  const links: Array<{ readonly ref: string; readonly primary: boolean; readonly record: Record<string, unknown> }> =
    [];
  for (const note of notes) {
    for (const [entity, primary] of [
      [note.opportunityId, true],
      [note.accountId, false],
    ] as const) {
      if (entity === undefined || existing.has(linkId(note.documentId, entity))) continue;
      links.push({
        ref: note.key,
        primary,
        record: {
          attributes: { type: 'ContentDocumentLink' },
          ContentDocumentId: note.documentId,
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
    ).map((r) =>
      !r.success && r.errors.length > 0 && r.errors.every((e) => e.statusCode === 'DUPLICATE_VALUE')
        ? { ...r, success: true, id: r.id ?? 'existing' }
        : r,
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

/**
 * Notes already in Salesforce, matched on the reference each carries, then completed. First the notes linked
 * to the opportunities; then, for the keys still missing, the integration user's own notes with the same
 * title, which finds a note a crash or a lost answer left unlinked (ContentNote supports query() and its
 * owner is the user who created it: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentnote.htm).
 * A found note missing a link gets it, so it is not created a second time and the AE sees it.
 */
export async function findContentNotes(
  client: SalesforceClient,
  pending: readonly PendingNote[],
): Promise<Map<string, string>> {
  const wanted = new Map(pending.map((p) => [p.key, p]));
  const read = new Set<string>();
  const found = new Map<string, string>();
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
  for (const ids of chunkInValues([...documents]))
    await matchNotes(client, `SELECT Id, Content FROM ContentNote WHERE Id IN ${soqlInList(ids)}`, {
      wanted,
      read,
      found,
    });
  const titles = [
    ...new Set(pending.filter((p) => !found.has(p.key) && p.title !== undefined).map((p) => noteTitle(p.title ?? ''))),
  ];
  const owner = titles.length > 0 ? await integrationUserId(client) : undefined;
  if (owner !== undefined) {
    for (const chunk of chunkInValues(titles)) {
      const soql = `SELECT Id, Content FROM ContentNote WHERE OwnerId = ${soqlString(owner)} AND Title IN ${soqlInList(chunk)}`;
      await matchNotes(client, soql, { wanted, read, found });
    }
  }
  await completeLinks(client, found, wanted);
  return found;
}

/** Reads each queried note's content once and keeps the ones carrying a wanted reference. */
async function matchNotes(
  client: SalesforceClient,
  soql: string,
  into: {
    readonly wanted: ReadonlyMap<string, PendingNote>;
    readonly read: Set<string>;
    readonly found: Map<string, string>;
  },
): Promise<void> {
  for await (const rows of queryPages(client, 'notes.find', soql)) {
    for (const row of rows) {
      if (into.read.has(row.Id)) continue;
      into.read.add(row.Id);
      const key = noteKeyIn(await contentOf(client, row['Content']));
      if (key !== undefined && into.wanted.has(key) && !into.found.has(key)) into.found.set(key, row.Id);
    }
  }
}

/** The user the worker signs in as (the token response's identity URL ends with its id). */
async function integrationUserId(client: SalesforceClient): Promise<string | undefined> {
  await client.connect();
  const id = client.conn.userInfo?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Creates the links a found note lacks (to its opportunity and its account). A note whose opportunity link
 * Salesforce refuses is still reported found: it exists, and creating it again would only add a second one.
 */
async function completeLinks(
  client: SalesforceClient,
  found: ReadonlyMap<string, string>,
  wanted: ReadonlyMap<string, PendingNote>,
): Promise<void> {
  if (found.size === 0) return;
  const existing = new Set<string>();
  for (const ids of chunkInValues([...new Set(found.values())])) {
    for await (const rows of queryRows(
      client,
      'notes.find',
      `SELECT ContentDocumentId, LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId IN ${soqlInList(ids)}`,
    )) {
      for (const row of rows) {
        const doc = row['ContentDocumentId'];
        const entity = row['LinkedEntityId'];
        if (typeof doc === 'string' && typeof entity === 'string') existing.add(linkId(doc, entity));
      }
    }
  }
  const toLink: NoteToLink[] = [];
  for (const [key, documentId] of found) {
    const note = wanted.get(key);
    if (note) toLink.push({ key, documentId, opportunityId: note.opportunityId, accountId: note.accountId });
  }
  await linkNotes(client, toLink, existing);
}

/** A base64 field comes back from SOQL as the URL of its body; the emulator may inline the base64 itself. */
async function contentOf(client: SalesforceClient, value: unknown): Promise<string | undefined> {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('/services/'))
    return String(await client.call('notes.find', (conn) => conn.request<string>(value)));
  return Buffer.from(value, 'base64').toString('utf8');
}
