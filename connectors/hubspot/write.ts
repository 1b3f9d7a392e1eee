import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/notes/models/AssociationSpec.js';
import { z } from 'zod';
import { errorMessage, isSyncError } from '../../src/errors.ts';
import type { AccountUpdate, NoteCreate, OpportunityUpsert, PendingNote, WriteOutcome } from '../../src/engine/crm.ts';
import type { HubspotCaller } from './provision.ts';
import { batchErrorMessage } from './classify.ts';
import { noteKeyIn } from '../shared/note-ref.ts';
import { renderHubspotNote } from './note-body.ts';

/**
 * Batch responses: 200/201 when every input succeeded, 207 with `errors[]` when some failed
 * (https://developers.hubspot.com/docs/api-reference/latest/error-handling, "Multi-status errors").
 * Each input carries `objectWriteTraceId` = our reference, so every result and error maps back to it.
 */
const BatchResultSchema = z.object({
  results: z.array(
    z.object({
      id: z.coerce.string(),
      objectWriteTraceId: z.string().nullish(),
      properties: z.record(z.string(), z.string().nullish()).default({}),
    }),
  ),
  errors: z
    .array(
      z.object({
        category: z.string(),
        message: z.string(),
        context: z.record(z.string(), z.array(z.string())).optional(),
        errors: z.array(z.object({ message: z.string(), code: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});
type BatchResult = z.infer<typeof BatchResultSchema>;

/** A batch response, parsed rather than cast: lenient, only what the outcomes need. */
const batchResult = (value: unknown): BatchResult => BatchResultSchema.parse(value);

/** Categories worth retrying on a later run; validation problems are reported instead. */
const RETRYABLE = new Set(['RATE_LIMITS', 'INTERNAL_ERROR', 'TIMEOUT', 'SERVICE_UNAVAILABLE']);

function outcomesOf(
  result: BatchResult,
  refs: readonly string[],
  status: 'created' | 'updated',
  refOfResult: (r: BatchResult['results'][number]) => string | undefined,
): WriteOutcome[] {
  const outcomes: WriteOutcome[] = [];
  const answered = new Set<string>();
  for (const r of result.results) {
    const ref = refOfResult(r);
    if (ref === undefined) continue;
    answered.add(ref);
    outcomes.push({ ref, status, crmId: r.id });
  }
  for (const error of result.errors ?? []) {
    const ids = [...(error.context?.['objectWriteTraceId'] ?? []), ...(error.context?.['ids'] ?? [])];
    const message = batchErrorMessage(error);
    for (const ref of ids.filter((id) => refs.includes(id) && !answered.has(id))) {
      answered.add(ref);
      outcomes.push({
        ref,
        status: 'failed',
        code: `hubspot_${error.category.toLowerCase()}`,
        message,
        retryable: RETRYABLE.has(error.category),
      });
    }
  }
  // An input HubSpot neither confirmed nor rejected by id is reported, never assumed written.
  for (const ref of refs) {
    if (!answered.has(ref))
      outcomes.push({
        ref,
        status: 'failed',
        code: 'hubspot_unconfirmed',
        message: 'HubSpot did not confirm this record in the batch response',
        retryable: true,
      });
  }
  return outcomes;
}

export async function updateCompanies(
  client: HubspotCaller,
  updates: readonly AccountUpdate[],
): Promise<WriteOutcome[]> {
  if (updates.length === 0) return [];
  const inputs = updates.map((u) => ({
    id: u.accountId,
    objectWriteTraceId: u.accountId,
    properties: nullsToEmpty(u.fields),
  }));
  // https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide (POST /crm/v3/objects/companies/batch/update)
  const result = batchResult(
    await client.call('companies.update', (sdk) => sdk.crm.companies.batchApi.update({ inputs })),
  );
  return outcomesOf(
    result,
    updates.map((u) => u.accountId),
    'updated',
    (r) => r.objectWriteTraceId ?? r.id,
  );
}

export interface UpsertDealsOptions {
  readonly client: HubspotCaller;
  readonly upserts: readonly OpportunityUpsert[];
  /** The unique property deals are upserted on (the mapping's target for expansionKey). */
  readonly keyProperty: string;
}

/**
 * Upsert by our unique key, so a retry or a rerun after a crash updates the deal instead of creating a
 * second one: https://developers.hubspot.com/docs/api-reference/crm-deals-v3/guide (batch/upsert with
 * idProperty; the property must have hasUniqueValue). Upsert takes no inline associations, so new deals
 * are then associated to their company with the v4 default association.
 */
export async function upsertDeals(options: UpsertDealsOptions): Promise<WriteOutcome[]> {
  const { upserts, keyProperty, client } = options;
  if (upserts.length === 0) return [];
  const inputs = upserts.map((u) => ({
    id: u.key,
    idProperty: keyProperty,
    objectWriteTraceId: u.key,
    properties: nullsToEmpty(u.fields),
  }));
  const result = batchResult(await client.call('deals.upsert', (sdk) => sdk.crm.deals.batchApi.upsert({ inputs })));
  const outcomes = outcomesOf(
    result,
    upserts.map((u) => u.key),
    'created',
    (r) => r.objectWriteTraceId ?? r.properties[keyProperty] ?? undefined,
  );
  const creates = new Map(upserts.filter((u) => u.create).map((u) => [u.key, u]));
  const toAssociate = outcomes.filter(
    (o): o is WriteOutcome & { crmId: string } => o.status !== 'failed' && creates.has(o.ref),
  );
  const unlinked = toAssociate.length > 0 ? await associateDeals(client, toAssociate, creates) : new Map();
  return outcomes.map((o) => {
    if (o.status === 'failed') return o;
    const problem = unlinked.get(o.ref);
    if (problem) return { ...o, unlinked: problem };
    return creates.has(o.ref) ? o : { ...o, status: 'updated' as const };
  });
}

/** The SDK names the wire's `from` `_from` in its models. */
const AssociateResultSchema = z.object({
  results: z.array(z.object({ _from: z.object({ id: z.coerce.string() }) })).default([]),
  errors: z.array(z.object({ category: z.string().optional(), message: z.string() })).optional(),
});

/**
 * Associates new deals to their companies with the v4 default association
 * (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide, batch/associate/default: a 200
 * whose body lists the links made and, per input, the errors). A deal the answer does not list as linked, or
 * a call that failed, exists without its company: reported as such by reference, never as a failed create.
 * A spent quota or rejected credentials still stop the run.
 */
async function associateDeals(
  client: HubspotCaller,
  created: ReadonlyArray<{ readonly ref: string; readonly crmId: string }>,
  creates: ReadonlyMap<string, OpportunityUpsert>,
): Promise<Map<string, { code: string; message: string }>> {
  const inputs = created.map((o) => ({ _from: { id: o.crmId }, to: { id: creates.get(o.ref)?.accountId ?? '' } }));
  const unlinked = new Map<string, { code: string; message: string }>();
  let linked: Set<string>;
  let message = 'HubSpot did not confirm the association to the company';
  try {
    const answer = AssociateResultSchema.parse(
      await client.call('deals.associate', (sdk) =>
        sdk.crm.associations.v4.batchApi.createDefault('deals', 'companies', { inputs }),
      ),
    );
    linked = new Set(answer.results.map((r) => r._from.id));
    const first = answer.errors?.[0];
    if (first) message = `HubSpot did not associate the deal to its company: ${first.message}`;
  } catch (error) {
    if (isSyncError(error) && (error.kind === 'quota' || error.kind === 'auth')) throw error;
    linked = new Set();
    message = `the deal was created but associating it to its company failed: ${errorMessage(error)}`;
  }
  for (const o of created)
    if (!linked.has(o.crmId)) unlinked.set(o.ref, { code: 'hubspot_association_failed', message });
  return unlinked;
}

/** HubSpot default association type ids: note→deal 214, note→company 190 (crm-associations-v4 guide). */
const NOTE_TO_DEAL = 214;
const NOTE_TO_COMPANY = 190;

export async function createNotes(options: {
  readonly client: HubspotCaller;
  readonly notes: readonly NoteCreate[];
  readonly now: () => Date;
}): Promise<WriteOutcome[]> {
  if (options.notes.length === 0) return [];
  const inputs = options.notes.map((n) => ({
    objectWriteTraceId: n.key,
    // hs_timestamp is required; hs_note_body takes HTML up to 65,536 characters:
    // https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide
    properties: {
      hs_timestamp: options.now().toISOString(),
      hs_note_body: renderHubspotNote({ title: n.title, body: n.body, key: n.key }),
    },
    associations: [
      {
        to: { id: n.opportunityId },
        types: [
          {
            associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
            associationTypeId: NOTE_TO_DEAL,
          },
        ],
      },
      {
        to: { id: n.accountId },
        types: [
          {
            associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined,
            associationTypeId: NOTE_TO_COMPANY,
          },
        ],
      },
    ],
  }));
  const result = batchResult(
    await options.client.call('notes.create', (sdk) => sdk.crm.objects.notes.batchApi.create({ inputs })),
  );
  return outcomesOf(
    result,
    options.notes.map((n) => n.key),
    'created',
    (r) => r.objectWriteTraceId ?? noteKeyIn(r.properties['hs_note_body']),
  );
}

/** Association batch reads take up to 1,000 ids, object batch reads up to 100 (crm-associations-v4 guide, usage guidelines). */
const ASSOCIATION_READ_MAX = 1_000;
const NOTE_READ_MAX = 100;

/**
 * Notes that may already exist (a crash, a lost answer, a lost store): the deals' notes, matched on the
 * reference each carries. One association batch read per 1,000 deals
 * (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide, POST
 * /crm/v4/associations/deals/notes/batch/read; a deal with no note is a 207 error entry, not a failure),
 * then one notes batch read per 100 notes.
 */
export async function findNotes(client: HubspotCaller, pending: readonly PendingNote[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const wanted = new Set(pending.map((p) => p.key));
  const noteIds = new Set<string>();
  for (const deals of chunked([...new Set(pending.map((p) => p.opportunityId))], ASSOCIATION_READ_MAX)) {
    const response = await client.call('notes.find', (sdk) =>
      sdk.crm.associations.v4.batchApi.getPage('deals', 'notes', { inputs: deals.map((id) => ({ id })) }),
    );
    for (const result of response.results) {
      for (const to of result.to) noteIds.add(String(to.toObjectId));
      // More notes on this deal than one answer holds: page through the rest.
      let after = result.paging?.next?.after;
      while (after) {
        const page = await client.call('notes.find', (sdk) =>
          sdk.crm.associations.v4.basicApi.getPage('deals', result._from.id, 'notes', after, 500),
        );
        for (const to of page.results) noteIds.add(String(to.toObjectId));
        after = page.paging?.next?.after;
      }
    }
  }
  for (const ids of chunked([...noteIds], NOTE_READ_MAX)) {
    const notes = batchResult(
      await client.call('notes.find', (sdk) =>
        sdk.crm.objects.notes.batchApi.read({
          inputs: ids.map((id) => ({ id })),
          properties: ['hs_note_body'],
          propertiesWithHistory: [],
        }),
      ),
    );
    for (const note of notes.results) {
      const key = noteKeyIn(note.properties['hs_note_body']);
      if (key !== undefined && wanted.has(key)) found.set(key, note.id);
    }
  }
  return found;
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** HubSpot clears a property when it receives an empty string. */
function nullsToEmpty(fields: Readonly<Record<string, string | null>>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ?? '']));
}
