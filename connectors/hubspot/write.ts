import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/notes/models/AssociationSpec.js';
import { z } from 'zod';
import type { AccountUpdate, NoteCreate, OpportunityUpsert, PendingNote, WriteOutcome } from '../../src/engine/crm.ts';
import type { HubspotCaller } from './provision.ts';
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
    const detail = error.errors?.map((e) => e.message).join('; ');
    const message = detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
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
  if (toAssociate.length > 0) {
    const assoc = toAssociate.map((o) => ({ _from: { id: o.crmId }, to: { id: creates.get(o.ref)?.accountId ?? '' } }));
    // https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide (batch/associate/default)
    await client.call('deals.associate', (sdk) =>
      sdk.crm.associations.v4.batchApi.createDefault('deals', 'companies', { inputs: assoc }),
    );
  }
  return outcomes.map((o) => (o.status === 'failed' || creates.has(o.ref) ? o : { ...o, status: 'updated' as const }));
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

/** Notes a crashed run may have created: read the deal's notes and look for our reference. */
export async function findNotes(client: HubspotCaller, pending: readonly PendingNote[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const byDeal = new Map<string, Set<string>>();
  for (const p of pending) byDeal.set(p.opportunityId, (byDeal.get(p.opportunityId) ?? new Set()).add(p.key));
  for (const [dealId, keys] of byDeal) {
    const assoc = await client.call('notes.find', (sdk) =>
      sdk.crm.associations.v4.basicApi.getPage('deals', dealId, 'notes', undefined, 500),
    );
    const ids = assoc.results.map((r) => ({ id: String(r.toObjectId) }));
    if (ids.length === 0) continue;
    const notes = batchResult(
      await client.call('notes.find', (sdk) =>
        sdk.crm.objects.notes.batchApi.read({ inputs: ids, properties: ['hs_note_body'], propertiesWithHistory: [] }),
      ),
    );
    for (const note of notes.results) {
      const key = noteKeyIn(note.properties['hs_note_body']);
      if (key !== undefined && keys.has(key)) found.set(key, note.id);
    }
  }
  return found;
}

/** HubSpot clears a property when it receives an empty string. */
function nullsToEmpty(fields: Readonly<Record<string, string | null>>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v ?? '']));
}
