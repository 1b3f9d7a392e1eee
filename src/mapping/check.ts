import { closest, quote } from '../config/issue-text.ts';
import { PLAIN_TRANSFORMS, VALUE_TRANSFORMS, type Transform, type TransformName } from './schema.ts';
import { runTransforms, transformName } from './transforms.ts';
import type { TargetSpec, ValueKind } from './vocabulary.ts';

export interface PipelineProblem {
  /** The transform at fault, or undefined when the rule as a whole produces the wrong kind of value. */
  readonly index: number | undefined;
  readonly message: string;
  readonly fix: string;
}

interface Shape {
  readonly kind: ValueKind;
  readonly list: boolean;
}

/** What each plain transform reads and produces; checked at load so a mistake never reaches a run. */
const STEPS: Readonly<
  Record<
    Exclude<TransformName, 'split' | 'default'>,
    { readonly reads: readonly ValueKind[]; readonly makes: ValueKind }
  >
> = {
  trim: { reads: ['text'], makes: 'text' },
  lowercase: { reads: ['text'], makes: 'text' },
  number: { reads: ['text'], makes: 'number' },
  integer: { reads: ['text', 'number'], makes: 'integer' },
  date: { reads: ['text'], makes: 'date' },
  boolean: { reads: ['text'], makes: 'boolean' },
  hostname: { reads: ['text'], makes: 'text' },
  enum: { reads: ['text'], makes: 'text' },
};

const KIND_WORDS: Readonly<Record<ValueKind, string>> = {
  text: 'text',
  number: 'a number',
  integer: 'a whole number',
  date: 'a date',
  boolean: 'a yes/no value',
};

function words(shape: Shape): string {
  return shape.list
    ? `a list of ${shape.kind === 'text' ? 'text values' : `${shape.kind} values`}`
    : KIND_WORDS[shape.kind];
}

/** Checks that the transforms fit together and produce what the canonical field needs. */
export function checkPipeline(
  transforms: readonly Transform[],
  target: TargetSpec & { readonly name: string },
): PipelineProblem[] {
  const problems: PipelineProblem[] = [];
  let shape: Shape = { kind: 'text', list: false };
  transforms.forEach((transform, index) => {
    const name = transformName(transform);
    const problem = stepProblem({ transform, name, shape, rest: transforms.slice(index + 1), target });
    if (problem) problems.push({ index, ...problem });
    else shape = nextShape(name, shape);
  });
  if (problems.length === 0 && !fits(shape, target)) {
    problems.push({
      index: undefined,
      message: `${target.name} needs ${words({ kind: target.kind, list: target.list ?? false })}, but these transforms produce ${words(shape)}`,
      fix: fixFor(shape, target),
    });
  }
  return problems;
}

interface StepFacts {
  readonly transform: Transform;
  readonly name: TransformName;
  readonly shape: Shape;
  readonly rest: readonly Transform[];
  readonly target: TargetSpec;
}

function stepProblem(facts: StepFacts): Omit<PipelineProblem, 'index'> | undefined {
  const { transform, name, shape } = facts;
  if (name === 'split') {
    if (shape.list)
      return {
        message: 'split applies to one value, and the value is already a list here',
        fix: 'keep a single split',
      };
    if (shape.kind !== 'text')
      return {
        message: `split applies to text, but the value is ${words(shape)} here`,
        fix: 'put split before the transforms that convert the value',
      };
    return undefined;
  }
  if (typeof transform === 'object' && 'default' in transform) {
    if (shape.list || shape.kind !== 'text')
      return {
        message: `default must come while the value is still text, before ${shape.list ? 'split' : 'the transforms that convert it'}`,
        fix: 'move default up: it stands in for an empty CRM value, and the transforms after it convert it',
      };
    const trial = runTransforms(String(transform.default), facts.rest);
    if (!trial.ok)
      return {
        message: `the default ${quote(String(transform.default))} fails the transforms after it: ${trial.message}`,
        fix: 'use a default those transforms accept',
      };
    return undefined;
  }
  if (typeof transform === 'object' && 'enum' in transform && facts.target.oneOf) {
    const allowed = facts.target.oneOf;
    const wrong = [
      ...Object.values(transform.enum.map),
      ...(transform.enum.fallback === undefined ? [] : [transform.enum.fallback]),
    ].filter((v) => !allowed.includes(v));
    if (wrong.length > 0)
      return {
        message: `enum maps to ${wrong.map((v) => quote(v)).join(', ')}, which the field does not allow`,
        fix: `map to ${allowed.join(', ')}`,
      };
  }
  const step = STEPS[name as keyof typeof STEPS];
  if (!step.reads.includes(shape.kind))
    return {
      message: `${name} applies to ${step.reads.map((k) => KIND_WORDS[k]).join(' or ')}, but the value is ${words(shape)} here`,
      fix: `put ${name} earlier, or remove it`,
    };
  return undefined;
}

function nextShape(name: TransformName, shape: Shape): Shape {
  if (name === 'split') return { kind: 'text', list: true };
  if (name === 'default') return shape;
  return { kind: STEPS[name].makes, list: shape.list };
}

function fits(shape: Shape, target: TargetSpec): boolean {
  if (shape.list !== (target.list ?? false)) return false;
  if (shape.kind === target.kind) return true;
  return (target.kind === 'number' && shape.kind === 'integer') || (target.kind === 'text' && shape.kind === 'date');
}

function fixFor(shape: Shape, target: TargetSpec): string {
  if ((target.list ?? false) && !shape.list)
    return 'add { split: ";" } with the separator the CRM uses (";" for HubSpot multi-select properties)';
  if (!(target.list ?? false) && shape.list) return 'remove split: this field holds one value';
  if (target.kind === 'text') return `remove the ${shape.kind} transform: this field is text`;
  const add: Readonly<Record<ValueKind, string>> = {
    text: '',
    number: 'number',
    integer: 'integer',
    date: 'date',
    boolean: 'boolean',
  };
  return `add the ${add[target.kind]} transform`;
}

const ALL = [...PLAIN_TRANSFORMS, ...VALUE_TRANSFORMS];
const FORMS =
  'trim, lowercase, number, integer, date, boolean, { enum: { map: {...} } }, { split: ";" } or { default: value }';
const ENUM_HELP = 'write { enum: { map: { "CRM value": canonical, ... }, fallback: value } } (fallback is optional)';

/** Why a transform entry is not valid, in the file author's terms (zod only says "Invalid input"). */
export function explainTransform(raw: unknown): { readonly message: string; readonly fix: string } | undefined {
  if (typeof raw === 'string') {
    if ((PLAIN_TRANSFORMS as readonly string[]).includes(raw)) return undefined;
    if ((VALUE_TRANSFORMS as readonly string[]).includes(raw))
      return {
        message: `${raw} needs a value`,
        fix: raw === 'enum' ? ENUM_HELP : `write { ${raw}: ${raw === 'split' ? '";"' : 'value'} }`,
      };
    return unknownTransform(raw);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return {
      message: 'a transform is a name such as trim, or a one-key object such as { split: ";" }',
      fix: `use one of: ${FORMS}`,
    };
  const keys = Object.keys(raw);
  const [name] = keys;
  if (keys.length !== 1 || name === undefined)
    return {
      message: `a transform has exactly one name, found ${keys.length === 0 ? 'none' : keys.join(', ')}`,
      fix: 'write each transform as its own list item',
    };
  const value: unknown = (raw as Record<string, unknown>)[name];
  if ((PLAIN_TRANSFORMS as readonly string[]).includes(name))
    return { message: `${name} takes no value`, fix: `write it as a plain name: ${name}` };
  if (name === 'split')
    return typeof value === 'string' && value !== ''
      ? undefined
      : { message: 'split needs its separator as text', fix: 'write { split: ";" }' };
  if (name === 'default')
    return ['string', 'number', 'boolean'].includes(typeof value)
      ? undefined
      : { message: 'default needs a text, number or true/false value', fix: 'write { default: value }' };
  if (name === 'enum') return enumProblem(value);
  return unknownTransform(name);
}

function unknownTransform(name: string): { readonly message: string; readonly fix: string } {
  const guess = closest(name, ALL);
  return {
    message: `unknown transform ${quote(name)}`,
    fix: `${guess ? `did you mean ${guess}? ` : ''}use one of: ${FORMS}`,
  };
}

function enumProblem(value: unknown): { readonly message: string; readonly fix: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { message: 'enum needs a map', fix: ENUM_HELP };
  const spec = value as Record<string, unknown>;
  const extra = Object.keys(spec).filter((k) => k !== 'map' && k !== 'fallback');
  if (extra.length > 0)
    return { message: `enum has unknown key ${extra.map((k) => quote(k)).join(', ')}`, fix: ENUM_HELP };
  const map = spec['map'];
  if (map === null || typeof map !== 'object' || Array.isArray(map))
    return { message: 'enum needs a map of CRM values to canonical values', fix: ENUM_HELP };
  const bad = Object.entries(map).find(([, v]) => typeof v !== 'string');
  if (bad)
    return {
      message: `enum maps ${quote(bad[0])} to something that is not text`,
      fix: 'quote the canonical value: "value"',
    };
  if (spec['fallback'] !== undefined && typeof spec['fallback'] !== 'string')
    return { message: 'enum fallback must be text', fix: 'quote it: fallback: "value"' };
  return undefined;
}
