import { z } from 'zod';
import type { AccountUpdate, NoteCreate, OpportunityUpsert, PendingNote, WriteOutcome } from '../../src/engine/crm.ts';
import { NOTE_REF_PREFIX, noteKeyIn } from '../shared/note-ref.ts';
import { RETRYABLE_RECORD_CODES } from './classify.ts';
import type { SalesforceClient } from './client.ts';
import { toApiValue, type FieldIndex } from './describe.ts';
import { queryPages } from './read.ts';
import { bulkWrite } from './bulk.ts';
import { chunkInValues, soqlInList } from './soql.ts';

/** sObject Collections take at most 200 records per call; more go through one Bulk API 2.0 job. */
export const COLLECTION_MAX = 200;

/**
 * sObject Collections answer 200 with one result per record, in input order, whether or not each
 * succeeded (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-update.html).
 * Per-record errors carry `statusCode`; with allOrNone false, one bad record never fails the others.
 */
const SaveResultSchema = z.object({
  id: z.string().nullish(),
  success: z.boolean(),
  created: z.boolean().optional(),
  errors: z
    .array(
      z.object({
        statusCode: z.string().optional(),
        message: z.string().optional(),
        fields: z.array(z.string()).optional(),
      }),
    )
    .default([]),
});
export type SaveResult = z.infer<typeof SaveResultSchema>;

/** jsforce's save results, parsed rather than cast: lenient, only what the outcomes need. */
export function saveResults(value: unknown): SaveResult[] {
  return z.array(SaveResultSchema).parse(value);
}

export function saveResult(value: unknown): SaveResult {
  return SaveResultSchema.parse(value);
}

export function outcomesOf(
  results: readonly SaveResult[],
  refs: readonly string[],
  status: (r: SaveResult) => 'created' | 'updated',
): WriteOutcome[] {
  return refs.map((ref, i): WriteOutcome => {
    const result = results[i];
    if (result === undefined)
      return {
        ref,
        status: 'failed',
        code: 'salesforce_unconfirmed',
        message: 'Salesforce did not return a result for this record',
        retryable: true,
      };
    if (result.success && result.id) return { ref, status: status(result), crmId: result.id };
    const first = result.errors[0];
    const code = first?.statusCode ?? 'UNKNOWN_EXCEPTION';
    const fields = first?.fields?.length ? ` (fields: ${first.fields.join(', ')})` : '';
    const message =
      `${result.errors.map((e) => `${e.statusCode ?? 'ERROR'}: ${e.message ?? ''}`.trim()).join('; ')}${fields}` ||
      'Salesforce rejected the record';
    return {
      ref,
      status: 'failed',
      code: `salesforce_${code.toLowerCase()}`,
      message,
      retryable: RETRYABLE_RECORD_CODES.has(code),
    };
  });
}

function apiRecord(fields: Readonly<Record<string, string | null>>, index: FieldIndex): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields))
    record[index.get(name.toLowerCase())?.name ?? name] = toApiValue(index.get(name.toLowerCase()), value);
  return record;
}

export async function updateAccounts(options: {
  readonly client: SalesforceClient;
  readonly index: FieldIndex;
  readonly updates: readonly AccountUpdate[];
}): Promise<WriteOutcome[]> {
  if (options.updates.length === 0) return [];
  const records = options.updates.map((u) => ({ Id: u.accountId, ...apiRecord(u.fields, options.index) }));
  if (records.length > COLLECTION_MAX)
    return bulkWrite({
      client: options.client,
      object: 'Account',
      operation: 'update',
      records,
      refs: options.updates.map((u) => u.accountId),
    });
  // PATCH /composite/sobjects: up to 200 records by Id.
  const results = saveResults(
    await options.client.call('accounts.update', (conn) =>
      conn.sobject('Account').update(records, { allOrNone: false }),
    ),
  );
  return outcomesOf(
    results,
    options.updates.map((u) => u.accountId),
    () => 'updated',
  );
}

export interface UpsertOpportunitiesOptions {
  readonly client: SalesforceClient;
  readonly index: FieldIndex;
  readonly upserts: readonly OpportunityUpsert[];
  /** The External ID + Unique field opportunities are upserted on. */
  readonly keyField: string;
  /** Set on creation only: the opportunity type (`Existing Customer - Upgrade`) and record type. */
  readonly opportunityType?: string;
  readonly recordTypeId?: string;
}

/**
 * Upsert on our External ID (`PATCH /composite/sobjects/Opportunity/{keyField}`,
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-upsert.html),
 * so a retry or a rerun after a crash updates the opportunity instead of creating a second one. jsforce
 * never retries a PATCH itself, which is why the key makes our own retry safe.
 */
export async function upsertOpportunities(options: UpsertOpportunitiesOptions): Promise<WriteOutcome[]> {
  const { upserts, index, keyField } = options;
  if (upserts.length === 0) return [];
  const key = index.get(keyField.toLowerCase())?.name ?? keyField;
  const records = upserts.map((u) => ({
    ...apiRecord(u.fields, index),
    [key]: u.key,
    ...(u.create
      ? {
          AccountId: u.accountId,
          ...(options.opportunityType ? { Type: options.opportunityType } : {}),
          ...(options.recordTypeId ? { RecordTypeId: options.recordTypeId } : {}),
        }
      : {}),
  }));
  if (records.length > COLLECTION_MAX)
    return bulkWrite({
      client: options.client,
      object: 'Opportunity',
      operation: 'upsert',
      externalIdField: key,
      records,
      refs: upserts.map((u) => u.key),
    });
  const results = saveResults(
    await options.client.call('opportunities.upsert', (conn) =>
      conn.sobject('Opportunity').upsert(records, key, { allOrNone: false }),
    ),
  );
  return outcomesOf(
    results,
    upserts.map((u) => u.key),
    (r) => (r.created === true ? 'created' : 'updated'),
  );
}

/** Task limits: Subject 255 characters, Description 32,000 (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm). */
const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;

/** The note as plain text, ending with our reference; cut to fit the field, never mid-reference. */
export function taskDescription(note: Pick<NoteCreate, 'body' | 'key'>): string {
  const footer = `\n\nGenerated by expansion-sync from this account's own usage data. ${NOTE_REF_PREFIX}${note.key}`;
  const room = DESCRIPTION_MAX - footer.length;
  const body = note.body.length > room ? `${note.body.slice(0, room - 1)}…` : note.body;
  return `${body}${footer}`;
}

/**
 * Talking points as a completed Task on the opportunity (it shows in the opportunity's and the account's
 * activity history): `POST /composite/sobjects`, up to 200 at a time.
 */
export async function createTaskNotes(options: {
  readonly client: SalesforceClient;
  readonly notes: readonly NoteCreate[];
  readonly today: string;
}): Promise<WriteOutcome[]> {
  if (options.notes.length === 0) return [];
  const records = options.notes.map((n) => ({
    attributes: { type: 'Task' },
    Subject: n.title.length > SUBJECT_MAX ? `${n.title.slice(0, SUBJECT_MAX - 1)}…` : n.title,
    Description: taskDescription(n),
    WhatId: n.opportunityId,
    Status: 'Completed',
    ActivityDate: options.today,
  }));
  const results = saveResults(
    await options.client.call('notes.create', (conn) => conn.sobject('Task').create(records, { allOrNone: false })),
  );
  return outcomesOf(
    results,
    options.notes.map((n) => n.key),
    () => 'created',
  );
}

/** Notes a crashed run may have created: the opportunities' Tasks, matched on the reference they carry. */
export async function findTaskNotes(
  client: SalesforceClient,
  pending: readonly PendingNote[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const wanted = new Set(pending.map((p) => p.key));
  for (const ids of chunkInValues([...new Set(pending.map((p) => p.opportunityId))])) {
    for await (const rows of queryPages(
      client,
      'notes.find',
      `SELECT Id, Description FROM Task WHERE WhatId IN ${soqlInList(ids)}`,
    )) {
      for (const row of rows) {
        const key = noteKeyIn(typeof row['Description'] === 'string' ? row['Description'] : undefined);
        if (key !== undefined && wanted.has(key)) found.set(key, row.Id);
      }
    }
  }
  return found;
}
