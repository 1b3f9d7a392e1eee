import type { CrmField, FieldCatalog, FieldKind, ObjectFields } from './fields.ts';
import { OUTPUT_SPECS, type OutputSpec } from './output-specs.ts';
import type { MappingFile, ReadRule, WriteRule } from './schema.ts';
import { transformName } from './transforms.ts';
import { READ_TARGETS, type TargetSpec } from './vocabulary.ts';

export type Severity = 'error' | 'warning' | 'info';

/** One finding about one mapping rule, located in its file. Errors disable the rule at run time. */
export interface MappingProblem {
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly object: string;
  readonly field: string;
  readonly rule: 'read' | 'write';
  readonly message: string;
  readonly fix: string;
  /** An error a run handles value by value (a picklist missing some values): the rule stays on. */
  readonly guarded?: true;
  /** An optional read rule whose field the CRM lacks: switched off without being an error or drift. */
  readonly skipped?: true;
}

export interface ValidateOptions {
  /** Written fields the worker creates when missing (provisioning): missing is expected, not an error. */
  readonly provisioned?: ReadonlySet<string>;
}

const KIND_WORDS: Readonly<Record<FieldKind, string>> = {
  text: 'a text field',
  textarea: 'a long text field',
  number: 'a number field',
  date: 'a date field',
  datetime: 'a date/time field',
  boolean: 'a checkbox',
  picklist: 'a picklist',
  multipicklist: 'a multi-select picklist',
  reference: 'a lookup',
  other: 'a field of another type',
};
const TEXTUAL: readonly FieldKind[] = ['text', 'textarea'];

/**
 * Checks a mapping against the live CRM's field definitions: the field exists, its type fits the
 * canonical field or output, it is createable or updateable where the worker writes, picklists hold
 * the values written, and lengths fit. Every problem at once, each with its file and line.
 */
export function validateMapping(
  mapping: MappingFile,
  fields: ObjectFields,
  options: ValidateOptions = {},
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const at =
    (rule: ReadRule | WriteRule, kind: 'read' | 'write') =>
    (severity: Severity, message: string, fix: string, guarded?: 'guarded'): void =>
      void problems.push({
        severity,
        file: mapping.file,
        line: rule.line,
        object: mapping.object,
        field: rule.field,
        rule: kind,
        message,
        fix,
        ...(guarded ? { guarded: true as const } : {}),
      });
  for (const rule of mapping.read) {
    const report = at(rule, 'read');
    const field = fields.get(rule.field);
    if (field === undefined) {
      if (options.provisioned?.has(rule.field.toLowerCase())) continue;
      if (rule.optional) {
        problems.push({
          severity: 'info',
          file: mapping.file,
          line: rule.line,
          object: mapping.object,
          field: rule.field,
          rule: 'read',
          message: `${rule.field} is not on ${mapping.object}; ${rule.to} stays unknown (optional rule, skipped)`,
          fix: `create the field to use ${rule.to}, or leave it`,
          skipped: true,
        });
        continue;
      }
      report(
        'error',
        `${rule.field} does not exist on ${mapping.object}`,
        `check the field's API name in the CRM, or remove this read rule (${rule.to} is then unknown)`,
      );
      continue;
    }
    readProblems(rule, field, READ_TARGETS[mapping.entity][rule.to]).forEach(([severity, message, fix, guarded]) =>
      report(severity, message, fix, guarded),
    );
  }
  for (const rule of mapping.write) {
    const report = at(rule, 'write');
    const field = fields.get(rule.field);
    if (field === undefined) {
      if (options.provisioned?.has(rule.field.toLowerCase()))
        report('info', `${rule.field} does not exist yet; the first sync creates it`, 'nothing to do');
      else
        report(
          'error',
          `${rule.field} does not exist on ${mapping.object}`,
          'create the field, or let the worker create it (run sync once), or remove this write rule',
        );
      continue;
    }
    writeProblems({
      rule,
      field,
      spec: OUTPUT_SPECS[mapping.entity][rule.from],
      creates: mapping.entity === 'opportunity',
    }).forEach(([severity, message, fix, guarded]) => report(severity, message, fix, guarded));
  }
  return problems;
}

type Finding = readonly [Severity, string, string] | readonly [Severity, string, string, 'guarded'];

function readProblems(rule: ReadRule, field: CrmField, target: TargetSpec | undefined): Finding[] {
  if (target === undefined) return [];
  const list = target.list ?? false;
  const fits: Readonly<Record<string, readonly FieldKind[]>> = {
    text: ['text', 'textarea', 'picklist', 'reference', 'number', 'date', 'datetime', 'boolean', 'other'],
    number: ['number', 'text', 'textarea', 'picklist'],
    integer: ['number', 'text', 'textarea', 'picklist'],
    date: ['date', 'datetime', 'text'],
    boolean: ['boolean', 'text', 'picklist'],
  };
  const allowed = list ? ['multipicklist', 'text', 'textarea', 'picklist'] : (fits[target.kind] ?? []);
  if (!allowed.includes(field.kind)) {
    return [
      [
        'error',
        `${rule.to} needs ${list ? 'a list' : kindNeed(target.kind)}, but ${field.name} is ${KIND_WORDS[field.kind]} (${field.crmType})`,
        `map ${rule.to} from a field of a fitting type, or remove this rule`,
      ],
    ];
  }
  return field.picklist && field.picklist.length > 0 ? enumFindings(rule, field) : [];
}

const kindNeed = (kind: string): string =>
  ({ number: 'a number', integer: 'a whole number', date: 'a date', boolean: 'a yes/no value' })[kind] ?? 'text';

/** An enum transform on a picklist: map keys the picklist lacks are dead, values it has but the map misses fall through. */
function enumFindings(rule: ReadRule, field: CrmField): Finding[] {
  const findings: Finding[] = [];
  for (const transform of rule.transforms) {
    if (transformName(transform) !== 'enum' || typeof transform !== 'object' || !('enum' in transform)) continue;
    const picklist = new Set(field.picklist);
    const dead = Object.keys(transform.enum.map).filter((k) => !picklist.has(k));
    if (dead.length > 0)
      findings.push([
        'warning',
        `enum maps ${dead.map((k) => `"${k}"`).join(', ')}, which ${field.name}'s picklist does not have`,
        `the picklist has: ${[...picklist].join(', ')}`,
      ]);
    const uncovered = [...picklist].filter((v) => !Object.hasOwn(transform.enum.map, v));
    if (uncovered.length > 0 && transform.enum.fallback === undefined)
      findings.push([
        'warning',
        `${field.name}'s picklist values ${uncovered.map((v) => `"${v}"`).join(', ')} are not in the enum map and there is no fallback`,
        'map them, or add a fallback',
      ]);
  }
  return findings;
}

function writeProblems(input: {
  readonly rule: WriteRule;
  readonly field: CrmField;
  readonly spec: OutputSpec | undefined;
  readonly creates: boolean;
}): Finding[] {
  const { rule, field, spec } = input;
  const findings: Finding[] = [];
  if (!field.updateable && !(input.creates && rule.policy === 'create-only'))
    findings.push([
      'error',
      `${field.name} is read-only for the integration user (not updateable)`,
      'give the user edit access to the field (field-level security), or write to another field',
    ]);
  if (input.creates && !field.createable)
    findings.push([
      'error',
      `${field.name} cannot be set when the worker creates a record (not createable)`,
      'give the user create access to the field, or remove this write rule',
    ]);
  if (!input.creates && rule.policy === 'create-only')
    findings.push([
      'warning',
      `${field.name} is create-only, but the worker never creates accounts, so it is never written`,
      'use unless-edited, if-empty or always',
    ]);
  if (spec === undefined) return findings;
  const kindProblem = outputKindProblem(spec, field, rule.from);
  if (kindProblem) findings.push(['error', kindProblem, `write ${rule.from} to a field of a fitting type`]);
  if (spec.key && !field.unique)
    findings.push([
      'error',
      `${field.name} holds the upsert key but is not unique (HubSpot: "unique value"; Salesforce: External ID)`,
      'mark the field unique / External ID, or let the worker create it',
    ]);
  if (
    !kindProblem &&
    spec.kind === 'enum' &&
    field.picklist &&
    (field.kind === 'picklist' || field.kind === 'multipicklist')
  ) {
    const missing = (spec.values ?? []).filter((v) => !field.picklist?.includes(v));
    // A run still writes the values the picklist has and refuses the others one by one.
    if (missing.length > 0)
      findings.push([
        'error',
        `${field.name}'s picklist lacks ${missing.map((v) => `"${v}"`).join(', ')}, which the worker writes`,
        `add the values to the picklist: ${(spec.values ?? []).join(', ')}`,
        'guarded',
      ]);
  }
  if (
    spec.maxLength !== undefined &&
    field.length !== undefined &&
    field.length > 0 &&
    field.length < spec.maxLength &&
    TEXTUAL.includes(field.kind)
  ) {
    findings.push([
      'warning',
      `${field.name} holds ${field.length} characters; ${rule.from} can be up to ${spec.maxLength}, so longer values are cut to fit`,
      `use a field of at least ${spec.maxLength} characters`,
    ]);
  }
  return findings;
}

function outputKindProblem(spec: OutputSpec, field: CrmField, from: string): string | undefined {
  const takes: Readonly<Record<OutputSpec['kind'], readonly FieldKind[]>> = {
    number: ['number', 'text', 'textarea'],
    date: ['date', 'datetime', 'text'],
    enum: ['picklist', 'text', 'textarea'],
    text: spec.picklistOk ? ['text', 'textarea', 'picklist', 'reference', 'other'] : ['text', 'textarea'],
    owner: ['reference', 'picklist', 'text'],
  };
  return takes[spec.kind].includes(field.kind)
    ? undefined
    : `${from} is ${spec.kind === 'enum' ? `one of ${(spec.values ?? []).join(', ')}` : spec.kind === 'owner' ? 'a user id' : `${spec.kind === 'text' ? 'text' : `a ${spec.kind}`}`}, but ${field.name} is ${KIND_WORDS[field.kind]} (${field.crmType})`;
}

/** The mapping without the rules an error disables: the run goes on without exactly those fields. */
export function withoutDisabled(mapping: MappingFile, problems: readonly MappingProblem[]): MappingFile {
  const off = (p: MappingProblem): boolean => (p.severity === 'error' && p.guarded !== true) || p.skipped === true;
  const dead = new Set(problems.filter((p) => off(p) && p.file === mapping.file).map((p) => `${p.rule}:${p.line}`));
  if (dead.size === 0) return mapping;
  return {
    ...mapping,
    read: mapping.read.filter((r) => !dead.has(`read:${r.line}`)),
    write: mapping.write.filter((w) => !dead.has(`write:${w.line}`)),
  };
}

/**
 * Both mappings in force against the catalog. `provisioning` is what provisioning reported missing
 * (`object.field` labels, e.g. companies.es_score or Account.Expansion_Score__c): those fields are about
 * to be created, so their absence is a note, not an error.
 */
export function validateMappings(
  mappings: { readonly account: MappingFile; readonly opportunity: MappingFile },
  catalog: FieldCatalog,
  provisioning: readonly string[] = [],
): MappingProblem[] {
  const provisioned = new Set(provisioning.map((label) => (label.split('.').at(-1) ?? label).toLowerCase()));
  return [
    ...validateMapping(mappings.account, catalog.account, { provisioned }),
    ...validateMapping(mappings.opportunity, catalog.opportunity, { provisioned }),
  ];
}
