import type { Logger } from '../logger.ts';
import { z } from 'zod';
import {
  OUTPUT_SPECS,
  snapshotOf,
  validateMappings,
  withoutDisabled,
  writeFieldsFor,
  type FieldCatalog,
  type MappingProblem,
  type ObjectFields,
} from '../mapping/index.ts';
import type { StateStore } from '../state/store.ts';
import type { ActiveMappings, CrmConnector } from './crm.ts';
import type { WriteFieldsFn } from './plan.ts';

/** What the run did about the CRM's schema, for the run report. */
export interface SchemaReport {
  /** Mapping rules switched off for this run because their field is gone or no longer fits. */
  readonly disabled: ReadonlyArray<MappingProblem & { readonly change?: string }>;
  /** Problems that do not stop the rule (a short field, a picklist the enum map does not cover). */
  readonly warnings: readonly MappingProblem[];
  /** Values cut to the field's length before sending, per field. */
  readonly truncated: ReadonlyArray<{
    readonly object: string;
    readonly field: string;
    readonly count: number;
    readonly length: number;
  }>;
  /** Values the field's picklist does not allow, not sent, per field. */
  readonly rejected: ReadonlyArray<{
    readonly object: string;
    readonly field: string;
    readonly count: number;
    readonly values: readonly string[];
  }>;
}

export const NO_SCHEMA_REPORT: SchemaReport = { disabled: [], warnings: [], truncated: [], rejected: [] };

const STREAM = 'crm-schema';
type Entity = 'account' | 'opportunity';

export interface SchemaGuard {
  /** The mappings in force this run: the files, less the rules the CRM's current schema disables. */
  readonly mappings: ActiveMappings;
  /** The write fields of an entity under the mappings in force: values cut to length, picklist misses dropped. */
  writeFields(entity: Entity): WriteFieldsFn;
  report(): SchemaReport;
}

/** Stored by the previous run: per entity, per lower-cased field name, its CRM type. */
const StoredFieldsSchema = z.record(z.string(), z.object({ crmType: z.string() }).loose());
const StoredSnapshotSchema = z
  .object({ account: StoredFieldsSchema.optional(), opportunity: StoredFieldsSchema.optional() })
  .loose();
type StoredSnapshot = z.infer<typeof StoredSnapshotSchema>;

export interface ApplySchemaOptions {
  readonly crm: Pick<CrmConnector, 'describeFields'>;
  /** The mapping files as loaded. */
  readonly mappings: ActiveMappings;
  readonly store: StateStore;
  readonly sync: string;
  readonly persist: boolean;
  readonly provisioned: readonly string[];
  readonly log: Logger;
}

/**
 * Each run: read the mapped objects' field definitions, check every mapping rule against them, and
 * switch off only the rules whose field was deleted, renamed or retyped, so the rest of the run goes on.
 * The definitions are kept in the store so the next run can say what changed. Fields the worker is about
 * to create (a dry run before the first sync) are expected to be missing.
 */
export async function applySchema(options: ApplySchemaOptions): Promise<SchemaGuard> {
  const { crm, log, mappings: files } = options;
  const catalog = await crm.describeFields();
  const previous = await previousSnapshot(options);
  const problems = validateMappings(files, catalog, options.provisioned);
  const mappings = {
    account: withoutDisabled(files.account, problems),
    opportunity: withoutDisabled(files.opportunity, problems),
  };
  const disabled = problems
    .filter((p) => p.severity === 'error' && p.guarded !== true)
    .map((p) => ({ ...p, ...changeOf(p, previous, catalog) }));
  for (const d of disabled)
    log.warn(
      { phase: 'schema', object: d.object, field: d.field, file: d.file, line: d.line },
      `mapping disabled for this run: ${d.file}:${d.line}: ${d.message}${d.change ? ` (${d.change})` : ''}`,
    );
  if (options.persist) await options.store.setCheckpoint(options.sync, STREAM, snapshotOf(catalog));
  const counters = {
    truncated: new Map<string, { object: string; field: string; count: number; length: number }>(),
    rejected: new Map<string, { object: string; field: string; count: number; values: Set<string> }>(),
  };
  return {
    mappings,
    writeFields: (entity) =>
      guarded(catalog[entity], entity, (outputs) => writeFieldsFor(mappings[entity], outputs), counters),
    report: () => ({
      disabled,
      warnings: problems.filter((p) => p.severity === 'warning' || p.guarded === true),
      truncated: [...counters.truncated.values()],
      rejected: [...counters.rejected.values()].map((r) => ({ ...r, values: [...r.values].slice(0, 5) })),
    }),
  };
}

/** The previous run's snapshot; one that does not parse (an older release's) is as good as none. */
async function previousSnapshot(options: ApplySchemaOptions): Promise<StoredSnapshot | undefined> {
  const parsed = StoredSnapshotSchema.safeParse(await options.store.getCheckpoint(options.sync, STREAM));
  return parsed.success ? parsed.data : undefined;
}

/** "deleted or renamed since the last run" / "changed from double to string since the last run". */
function changeOf(
  problem: MappingProblem,
  previous: StoredSnapshot | undefined,
  catalog: FieldCatalog,
): { change?: string } {
  const entity: Entity = catalog.account.object === problem.object ? 'account' : 'opportunity';
  const before = previous?.[entity]?.[problem.field.toLowerCase()];
  if (before === undefined) return {};
  const now = catalog[entity].get(problem.field);
  if (now === undefined) return { change: 'deleted or renamed in the CRM since the last run' };
  return now.crmType === before.crmType
    ? {}
    : { change: `changed from ${before.crmType} to ${now.crmType} since the last run` };
}

interface Counters {
  readonly truncated: Map<string, { object: string; field: string; count: number; length: number }>;
  readonly rejected: Map<string, { object: string; field: string; count: number; values: Set<string> }>;
}

function guarded(fields: ObjectFields, entity: Entity, fn: WriteFieldsFn, counters: Counters): WriteFieldsFn {
  return (outputs) =>
    fn(outputs).flatMap((target) => {
      const field = fields.get(target.field);
      if (field === undefined || target.value === null) return [target];
      const spec = OUTPUT_SPECS[entity][target.from];
      // Only values the worker chooses are checked against the picklist; stage, pipeline and owner ids
      // are the CRM's own, and it validates them.
      if (spec?.kind === 'enum' && field.picklist && !field.picklist.includes(target.value)) {
        const key = `${fields.object}.${field.name}`;
        const entry = counters.rejected.get(key) ?? {
          object: fields.object,
          field: field.name,
          count: 0,
          values: new Set<string>(),
        };
        entry.count += 1;
        entry.values.add(target.value);
        counters.rejected.set(key, entry);
        return [];
      }
      if (field.length !== undefined && target.value.length > field.length) {
        const key = `${fields.object}.${field.name}`;
        const entry = counters.truncated.get(key) ?? {
          object: fields.object,
          field: field.name,
          count: 0,
          length: field.length,
        };
        entry.count += 1;
        counters.truncated.set(key, entry);
        // A plain cut at the field's length, as the CRM cuts stored values when a field is shortened: our
        // value then equals what the CRM holds, so a shortened field never reads as a person's edit.
        return [{ ...target, value: target.value.slice(0, field.length) }];
      }
      return [target];
    });
}
