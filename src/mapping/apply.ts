import type { MappingFile, ReadRule } from './schema.ts';
import { runTransforms, type Value } from './transforms.ts';
import { READ_TARGETS, type TargetSpec, type WritePolicy } from './vocabulary.ts';

export interface ReadProblem {
  readonly field: string;
  readonly to: string;
  /** The CRM value as received. */
  readonly value: string;
  readonly message: string;
}

export interface ReadResult {
  /** Canonical field -> value; fields that were empty or failed are absent. */
  readonly values: Record<string, unknown>;
  readonly problems: readonly ReadProblem[];
}

export interface WriteField {
  field: string;
  from: string;
  value: string | null;
  policy: WritePolicy;
}

/** The CRM fields to request so that every read rule has its input. */
export function readFieldNames(mapping: MappingFile): string[] {
  return [...new Set(mapping.read.map((rule) => rule.field))];
}

/**
 * Maps one CRM record's properties to canonical values. A value a transform refuses, or one the
 * canonical field cannot hold (a negative seat count), is left out and reported: scoring then treats
 * it as unknown instead of acting on a guess. An empty string is missing, as the CRM APIs send it.
 */
export function applyReadMapping(
  mapping: MappingFile,
  properties: Readonly<Record<string, string | null | undefined>>,
): ReadResult {
  const values: Record<string, unknown> = {};
  const problems: ReadProblem[] = [];
  const targets = READ_TARGETS[mapping.entity];
  for (const rule of mapping.read) {
    const raw = Object.hasOwn(properties, rule.field) ? properties[rule.field] : undefined;
    const result = runTransforms(raw, rule.transforms);
    const message = result.ok
      ? result.value === undefined
        ? undefined
        : targetProblem(result.value, targets[rule.to])
      : result.message;
    if (message !== undefined) {
      problems.push(problemOf(rule, raw, message));
      continue;
    }
    if (result.ok && result.value !== undefined) values[rule.to] = result.value;
  }
  return { values, problems };
}

function problemOf(rule: ReadRule, raw: string | null | undefined, message: string): ReadProblem {
  return { field: rule.field, to: rule.to, value: raw ?? '', message };
}

/** The canonical field's own limits; the loader already checked the kind, this guards hand-built mappings. */
function targetProblem(value: Value, target: TargetSpec | undefined): string | undefined {
  if (!target) return 'not a canonical field';
  const items = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) !== (target.list ?? false))
    return target.list ? 'expected a list' : 'expected a single value, not a list';
  for (const item of items) {
    const expected =
      target.kind === 'number' || target.kind === 'integer'
        ? 'number'
        : target.kind === 'boolean'
          ? 'boolean'
          : 'string';
    if (typeof item !== expected) return `expected ${expected === 'string' ? 'text' : `a ${expected}`}`;
    if (target.kind === 'integer' && !Number.isInteger(item)) return 'not a whole number';
    if (target.min !== undefined && typeof item === 'number' && item < target.min)
      return target.min === 0 ? 'must not be negative' : `must be at least ${target.min}`;
    if (target.oneOf && !target.oneOf.includes(String(item))) return `not one of ${target.oneOf.join(', ')}`;
  }
  return undefined;
}

/**
 * The CRM fields to write for a set of canonical outputs, each with its rule's policy. Outputs the mapping
 * does not mention are not written, and a rule whose output is absent writes nothing; null clears.
 */
export function writeFieldsFor(
  mapping: MappingFile,
  outputs: Readonly<Record<string, string | null | undefined>>,
): WriteField[] {
  const fields: WriteField[] = [];
  for (const rule of mapping.write) {
    const value = Object.hasOwn(outputs, rule.from) ? outputs[rule.from] : undefined;
    if (value === undefined) continue;
    fields.push({ field: rule.field, from: rule.from, value, policy: rule.policy });
  }
  return fields;
}
