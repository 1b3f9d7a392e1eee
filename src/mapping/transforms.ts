import type { PLAIN_TRANSFORMS, Transform, TransformName } from './schema.ts';

export type Scalar = string | number | boolean;
export type Value = Scalar | readonly Scalar[];

/** The value after the transforms (undefined: missing), or why a transform refused it. */
export type TransformResult =
  { readonly ok: true; readonly value: Value | undefined } | { readonly ok: false; readonly message: string };

type StepResult = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly message: string };

export function transformName(transform: Transform): TransformName {
  if (typeof transform === 'string') return transform;
  if ('enum' in transform) return 'enum';
  if ('split' in transform) return 'split';
  return 'default';
}

function isMissing(value: Value | null | undefined): value is null | undefined | '' {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Runs a CRM value through a rule's transforms. An empty value is missing and stays missing (the
 * transforms skip it) until a `default` supplies one, which then goes through the remaining transforms
 * as if the CRM had sent it. A value a transform cannot read fails with a reason: it is never guessed.
 */
export function runTransforms(raw: string | null | undefined, transforms: readonly Transform[]): TransformResult {
  let value: Value | undefined = isMissing(raw) ? undefined : raw;
  for (const transform of transforms) {
    if (typeof transform === 'object' && 'default' in transform) {
      if (value === undefined) value = String(transform.default);
      continue;
    }
    if (value === undefined) continue;
    const current: Value = value;
    const result: StepResult = Array.isArray(current)
      ? applyEach(transform, current)
      : applyOne(transform, current as Scalar);
    if (!result.ok) return result;
    value = isMissing(result.value) ? undefined : result.value;
  }
  return { ok: true, value };
}

function applyEach(transform: Transform, items: readonly Scalar[]): StepResult {
  if (transformName(transform) === 'split')
    return { ok: false, message: 'split applies to one value, and this value is already a list' };
  const out: Scalar[] = [];
  for (const item of items) {
    const result = applyOne(transform, item);
    if (!result.ok) return { ok: false, message: `item ${JSON.stringify(item)}: ${result.message}` };
    // Lists drop items a transform emptied ("core; ;crm" -> core, crm): an empty item means nothing.
    if (result.value !== '') out.push(result.value as Scalar);
  }
  return { ok: true, value: out };
}

function applyOne(transform: Transform, value: Scalar): StepResult {
  if (typeof transform === 'object') {
    if (typeof value !== 'string')
      return { ok: false, message: `${transformName(transform)} applies to text, not to a ${typeof value}` };
    if ('split' in transform) return { ok: true, value: value.split(transform.split).filter((piece) => piece !== '') };
    if ('enum' in transform) return lookup(transform.enum, value);
    return { ok: true, value };
  }
  if (transform === 'integer' && typeof value === 'number')
    return Number.isInteger(value) ? { ok: true, value } : { ok: false, message: 'not a whole number' };
  if (typeof value !== 'string')
    return { ok: false, message: `${transform} applies to text, not to a ${typeof value}` };
  return PLAIN[transform](value);
}

const PLAIN: Readonly<Record<(typeof PLAIN_TRANSFORMS)[number], (value: string) => StepResult>> = {
  trim: (value) => ({ ok: true, value: value.trim() }),
  lowercase: (value) => ({ ok: true, value: value.toLowerCase() }),
  number: parseNumber,
  integer: (value) => {
    const result = parseNumber(value);
    if (!result.ok) return { ok: false, message: 'not a whole number: expected digits such as 40' };
    return Number.isInteger(result.value) ? result : { ok: false, message: 'not a whole number' };
  },
  date: parseDate,
  boolean: parseBoolean,
  hostname: parseHostname,
};

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(value: string): StepResult {
  const text = value.trim();
  // Thousands separators and currency signs are refused rather than stripped: "1,200" is 1.2 in much of Europe.
  if (!NUMBER.test(text))
    return {
      ok: false,
      message: 'not a number: expected digits such as 1200 or 1200.50, without thousands separators or currency signs',
    };
  const number = Number(text);
  return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, message: 'not a finite number' };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Epoch milliseconds from 1973 to 2286: HubSpot sends date and datetime properties this way in some APIs. */
const EPOCH_MS = /^\d{11,13}$/;
const DATE_HELP = 'not a date: expected YYYY-MM-DD, an ISO date-time or epoch milliseconds';

function parseDate(value: string): StepResult {
  const text = value.trim();
  if (EPOCH_MS.test(text)) return { ok: true, value: new Date(Number(text)).toISOString().slice(0, 10) };
  const parts = DATE.exec(text);
  if (!parts || !isCalendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3])))
    return { ok: false, message: DATE_HELP };
  if (text.length === 10) return { ok: true, value: text };
  const time = DATE_TIME.exec(text);
  if (!time) return { ok: false, message: DATE_HELP };
  // A date-time becomes its UTC date; one without an offset is read as UTC, never as the host's zone.
  const ms = Date.parse(time[1] === undefined ? `${text}Z` : text);
  return Number.isNaN(ms)
    ? { ok: false, message: DATE_HELP }
    : { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const TRUE = new Set(['true', 'yes', '1', 'on']);
const FALSE = new Set(['false', 'no', '0', 'off']);

function parseBoolean(value: string): StepResult {
  const text = value.trim().toLowerCase();
  if (TRUE.has(text)) return { ok: true, value: true };
  if (FALSE.has(text)) return { ok: true, value: false };
  return { ok: false, message: 'not a yes/no value: expected true/false, yes/no, on/off or 1/0' };
}

/**
 * A website as CRMs hold it (Salesforce's Account.Website is free text: "www.acme.com",
 * "https://Acme.com/about") to the bare, lowercase host the usage file's domains are written as.
 */
function parseHostname(value: string): StepResult {
  const text = value.trim();
  if (text === '') return { ok: true, value: '' };
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`).hostname;
  } catch {
    return { ok: false, message: 'not a website or domain: expected something like acme.com or https://www.acme.com' };
  }
  if (!host.includes('.'))
    return { ok: false, message: 'not a website or domain: expected something like acme.com or https://www.acme.com' };
  return { ok: true, value: host.replace(/^www\./, '') };
}

function lookup(
  spec: { readonly map: Readonly<Record<string, string>>; readonly fallback?: string | undefined },
  value: string,
): StepResult {
  if (Object.hasOwn(spec.map, value)) return { ok: true, value: spec.map[value] ?? '' };
  if (spec.fallback !== undefined) return { ok: true, value: spec.fallback };
  const known = Object.keys(spec.map);
  const shown = known.length > 8 ? `${known.slice(0, 8).join(', ')}, …` : known.join(', ');
  return { ok: false, message: `not in the enum map (known values: ${shown}) and the enum has no fallback` };
}
