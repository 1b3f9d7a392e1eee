import {
  AccountSchema,
  CrmOpportunitySchema,
  MotionSchema,
  type Account,
  type CrmOpportunity,
  type CrmSystem,
} from '../model/account.ts';
import { applyReadMapping, readFieldNames } from './apply.ts';
import type { MappingFile } from './schema.ts';

/**
 * Pure mappers between the raw records a connector reads and the canonical records the engine scores.
 * One copy for every CRM: connectors hand over field values, the mapping files say what they mean.
 */

type RawValues = Readonly<Record<string, string | null | undefined>>;

/** A record that could not be mapped, or a value the mapping ignored: reported, never a failed page. */
export interface RecordIssue {
  readonly system: CrmSystem;
  readonly object: string;
  readonly recordId: string;
  readonly message: string;
}

export interface MapContext {
  readonly system: CrmSystem;
  readonly object: string;
  readonly mapping: MappingFile;
}

/** Fields to ask the CRM for: what the read rules map, and the current values of what we write. */
export function fieldsToRead(mapping: MappingFile, extra: readonly string[] = []): string[] {
  return [...new Set([...extra, ...readFieldNames(mapping), ...writeFieldNames(mapping)])];
}

export function writeFieldNames(mapping: MappingFile): string[] {
  return mapping.write.map((w) => w.field);
}

/**
 * The fields that mark an expansion opportunity: where our key is written, where a motion is read, and where
 * the CRM's own deal type is read (an AE's expansion deal carries no motion, and its outcome still counts).
 */
export function opportunityMarkers(mapping: MappingFile): string[] {
  const keys = mapping.write.filter((w) => w.from === 'expansionKey').map((w) => w.field);
  const read = mapping.read.filter((r) => r.to === 'motion' || r.to === 'dealType').map((r) => r.field);
  return [...new Set([...keys, ...read])];
}

/** The CRM's current values of the fields we write; an empty string is an empty field. */
export function currentValues(values: RawValues, fields: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const field of fields) {
    const value = values[field];
    out[field] = value === undefined || value === '' ? null : value;
  }
  return out;
}

export type AccountMapped =
  | {
      readonly ok: true;
      readonly account: Account;
      readonly current: Record<string, string | null>;
      readonly issues: RecordIssue[];
    }
  | { readonly ok: false; readonly issues: RecordIssue[] };

/** A raw account to the canonical Account, with the current values of our fields. */
export function accountFromRaw(
  ctx: MapContext,
  record: { readonly id: string; readonly values: RawValues },
): AccountMapped {
  const issue = (message: string): RecordIssue => ({
    system: ctx.system,
    object: ctx.object,
    recordId: record.id,
    message,
  });
  const mapped = applyReadMapping(ctx.mapping, record.values);
  const issues = mapped.problems.map((p) =>
    issue(`field ${p.field} (${p.to}): ${p.message}; value ${JSON.stringify(p.value)} ignored`),
  );
  const name = mapped.values['name'] ?? '';
  const parsed = AccountSchema.safeParse({
    modulesOwned: [],
    ...mapped.values,
    system: ctx.system,
    id: record.id,
    name,
  });
  if (!parsed.success) {
    issues.push(issue(`not scored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`));
    return { ok: false, issues };
  }
  return {
    ok: true,
    account: parsed.data,
    current: currentValues(record.values, writeFieldNames(ctx.mapping)),
    issues,
  };
}

export interface RawOpportunityRecord {
  readonly id: string;
  readonly accountId: string;
  readonly closed: boolean;
  readonly won: boolean;
  readonly createdAt?: string;
  readonly values: RawValues;
}

/**
 * A raw opportunity to a CrmOpportunity; undefined when it carries neither our key, nor a motion, nor the
 * CRM's expansion deal type (an opportunity the contract does not care about).
 */
export function opportunityFromRaw(
  ctx: MapContext,
  record: RawOpportunityRecord,
): { opportunity?: CrmOpportunity; issue?: RecordIssue } {
  const mapped = applyReadMapping(ctx.mapping, record.values).values;
  const motion = MotionSchema.safeParse(mapped['motion']);
  const expansionType = mapped['dealType'] === 'expansion';
  if (!motion.success && mapped['expansionKey'] === undefined && !expansionType) return {};
  const text = (key: string): string | undefined => (typeof mapped[key] === 'string' ? mapped[key] : undefined);
  const expansionKey = text('expansionKey');
  const name = text('name');
  const stage = text('stage');
  const ownerId = text('ownerId');
  const closeDate = text('closeDate');
  const amount = typeof mapped['amount'] === 'number' ? mapped['amount'] : undefined;
  const parsed = CrmOpportunitySchema.safeParse({
    id: record.id,
    accountId: record.accountId,
    ...(expansionKey === undefined ? {} : { expansionKey }),
    ...(motion.success ? { motion: motion.data } : {}),
    ...(expansionType ? { dealType: 'expansion' } : {}),
    ...(name === undefined ? {} : { name }),
    ...(stage === undefined ? {} : { stage }),
    ...(ownerId === undefined ? {} : { ownerId }),
    ...(amount === undefined ? {} : { amount }),
    ...(closeDate === undefined ? {} : { closeDate }),
    closed: record.closed,
    won: record.won,
    ...(record.createdAt === undefined ? {} : { createdAt: record.createdAt }),
    values: currentValues(record.values, writeFieldNames(ctx.mapping)),
  });
  if (parsed.success) return { opportunity: parsed.data };
  const message = parsed.error.issues.map((i) => i.message).join('; ');
  return { issue: { system: ctx.system, object: ctx.object, recordId: record.id, message } };
}
