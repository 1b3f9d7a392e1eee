import { z } from 'zod';
import { CrmSystemSchema, type CrmSystem } from '../model/account.ts';
import {
  ACCOUNT_READ_TARGETS,
  ACCOUNT_WRITE_SOURCES,
  OPPORTUNITY_READ_TARGETS,
  OPPORTUNITY_WRITE_SOURCES,
  WRITE_POLICIES,
  type Entity,
  type TargetSpec,
  type WritePolicy,
} from './vocabulary.ts';

/** Transforms written as a bare name. */
export const PLAIN_TRANSFORMS = ['trim', 'lowercase', 'number', 'integer', 'date', 'boolean', 'hostname'] as const;
/** Transforms written as a one-key object carrying a value. */
export const VALUE_TRANSFORMS = ['enum', 'split', 'default'] as const;
export type TransformName = (typeof PLAIN_TRANSFORMS)[number] | (typeof VALUE_TRANSFORMS)[number];

const EnumTransformSchema = z
  .object({
    enum: z
      .object({
        map: z
          .record(z.string(), z.string())
          .describe('CRM value -> canonical value. Matching is exact: put trim or lowercase before enum to relax it.'),
        fallback: z
          .string()
          .optional()
          .describe(
            'Canonical value for a CRM value missing from map. Without it such a value is reported and left out.',
          ),
      })
      .strict(),
  })
  .strict()
  .describe('Translate CRM values to canonical ones: { enum: { map: { "Gold": gold }, fallback: other } }.');

export const TransformSchema = z.union([
  z
    .enum(PLAIN_TRANSFORMS)
    .describe(
      'trim: strip spaces; lowercase; number; integer (whole number); date (to YYYY-MM-DD); boolean (true/false, yes/no, 1/0); hostname (a website such as https://www.Acme.com/about to acme.com).',
    ),
  EnumTransformSchema,
  z
    .object({ split: z.string().min(1).describe('The separator, e.g. ";".') })
    .strict()
    .describe('Split one CRM value into a list: { split: ";" }. Empty items are dropped.'),
  z
    .object({ default: z.union([z.string(), z.number(), z.boolean()]).describe('Used as if the CRM had sent it.') })
    .strict()
    .describe(
      'Value to use when the CRM field is empty: { default: starter }. Put it before number, date, enum or split.',
    ),
]);
export type Transform = z.infer<typeof TransformSchema>;

const FieldNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.]*$/,
    "the CRM field's internal name (API name), such as plan_tier: letters, digits and _ only",
  )
  .describe('CRM field, by its internal (API) name, not its label.');

function targetList(targets: Readonly<Record<string, TargetSpec>>): string {
  return Object.entries(targets)
    .map(([name, spec]) => `${name} (${spec.about})`)
    .join(', ');
}

function entitySchema(entity: Entity, targets: Readonly<Record<string, TargetSpec>>, sources: readonly string[]) {
  const read = z
    .object({
      field: FieldNameSchema,
      to: z.enum(Object.keys(targets) as [string, ...string[]]).describe(`Canonical field: ${targetList(targets)}.`),
      transforms: z
        .array(TransformSchema)
        .default([])
        .describe('Applied in order to the CRM value. An empty CRM value stays empty unless a default supplies one.'),
      optional: z
        .boolean()
        .default(false)
        .describe(
          'A field many CRMs lack (customer since, say): when it is missing the rule is skipped with a note, not reported as an error or as schema drift, and the canonical field stays unknown.',
        ),
    })
    .strict();
  const write = z
    .object({
      from: z.enum(sources as [string, ...string[]]).describe(`Worker output: ${sources.join(', ')}.`),
      field: FieldNameSchema,
      policy: z
        .enum(WRITE_POLICIES)
        .default('unless-edited')
        .describe(
          'always: overwrite every run; if-empty: only while the field is empty; unless-edited (default): until a person changes it; create-only: only when the worker creates the record.',
        ),
    })
    .strict();
  return z
    .object({
      $schema: z.string().optional().describe('Path to the JSON Schema, for editors (JSON mapping files).'),
      version: z.literal(1).describe('Mapping file format version: 1.'),
      system: CrmSystemSchema.describe('The CRM: hubspot or salesforce.'),
      object: z
        .string()
        .min(1)
        .describe(
          'The CRM object, as its API names it: companies or deals (HubSpot), Account or Opportunity (Salesforce).',
        ),
      entity: z.literal(entity).describe('What the object is to the worker: account or opportunity.'),
      read: z.array(read).default([]).describe('CRM field -> canonical field, read every run.'),
      write: z.array(write).default([]).describe('Worker output -> CRM field, with a write policy.'),
    })
    .strict();
}

export const AccountMappingSchema = entitySchema('account', ACCOUNT_READ_TARGETS, ACCOUNT_WRITE_SOURCES);
export const OpportunityMappingSchema = entitySchema(
  'opportunity',
  OPPORTUNITY_READ_TARGETS,
  OPPORTUNITY_WRITE_SOURCES,
);

export const MappingFileSchema = z.discriminatedUnion('entity', [AccountMappingSchema, OpportunityMappingSchema]);

export const MAPPING_SCHEMA_ID = 'urn:expansion-sync:mapping:v1';

/** The mapping file's JSON Schema, generated from the zod schema; mappings/mapping.schema.json holds a copy. */
export function mappingJsonSchema(): object {
  const { $schema, ...rest } = z.toJSONSchema(MappingFileSchema, { io: 'input' });
  return { $schema, $id: MAPPING_SCHEMA_ID, title: 'expansion-sync mapping file', ...rest };
}

export interface ReadRule {
  readonly field: string;
  readonly to: string;
  readonly transforms: readonly Transform[];
  /** Skipped quietly when the CRM lacks the field. */
  readonly optional?: boolean;
  /** Line in the mapping file, for messages such as "field missing in the CRM". */
  readonly line: number;
}

export interface WriteRule {
  readonly from: string;
  readonly field: string;
  readonly policy: WritePolicy;
  readonly line: number;
}

export interface MappingFile {
  /** Absolute path of the file it was loaded from. */
  readonly file: string;
  readonly version: 1;
  readonly system: CrmSystem;
  readonly object: string;
  readonly entity: Entity;
  readonly read: readonly ReadRule[];
  readonly write: readonly WriteRule[];
}
