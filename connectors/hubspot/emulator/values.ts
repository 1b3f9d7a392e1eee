import type { OptionDefinition, PropertyDefinition } from './standard-properties.ts';

/**
 * Property value validation and normalization, per property type
 * (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide). Every value is a string on
 * the wire; an empty string clears the property. Problems carry the `error` codes HubSpot's validation
 * results use (PROPERTY_DOESNT_EXIST, INVALID_OPTION, INVALID_LONG, INVALID_INTEGER, INVALID_OWNER_ID,
 * LEADING_TRAILING_WHITESPACE); the codes for a bad number and an over-long text are not documented, so
 * INVALID_DECIMAL and MAX_CHARACTERS stand in for them. Clients should match on category, not code.
 */
export interface ValueProblem {
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

export type Normalized =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: ValueProblem };

export interface ValueContext {
  readonly ownerExists: (id: string) => boolean;
}

/** hs_note_body and text properties hold at most 65,536 characters: https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide */
export const MAX_TEXT = 65_536;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^\d+$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DAY_MS = 86_400_000;

export function normalizeValue(definition: PropertyDefinition, raw: string, context: ValueContext): Normalized {
  if (raw === '') return { ok: true, value: '' };
  const fail = (code: string, message: string): Normalized => ({
    ok: false,
    problem: { name: definition.name, code, message },
  });
  if (definition.type !== 'string' && definition.type !== 'phone_number' && raw !== raw.trim()) {
    // https://developers.hubspot.com/changelog/breaking-change-enhanced-validations-for-non-string-properties-in-hubspots-crmobject-apis
    return fail('LEADING_TRAILING_WHITESPACE', `"${raw}" includes leading or trailing whitespace.`);
  }
  switch (definition.type) {
    case 'number':
      return NUMBER.test(raw) ? { ok: true, value: raw } : fail('INVALID_DECIMAL', `${raw} was not a valid number.`);
    case 'bool': {
      const lower = raw.toLowerCase();
      return lower === 'true' || lower === 'false'
        ? { ok: true, value: lower }
        : fail('INVALID_BOOLEAN', `${raw} was not a valid boolean.`);
    }
    case 'date':
      return normalizeDate(raw, fail);
    case 'datetime': {
      const ms = parseInstant(raw);
      return ms === undefined
        ? fail('INVALID_LONG', `${raw} was not a valid long.`)
        : { ok: true, value: new Date(ms).toISOString() };
    }
    case 'enumeration':
      return normalizeEnumeration(definition, raw, context, fail);
    default:
      return raw.length > MAX_TEXT
        ? fail('MAX_CHARACTERS', `${definition.name} is ${raw.length} characters long; the maximum is ${MAX_TEXT}.`)
        : { ok: true, value: raw };
  }
}

/** Date properties hold a day: the value must be midnight UTC, returned as `YYYY-MM-DD`. */
function normalizeDate(raw: string, fail: (code: string, message: string) => Normalized): Normalized {
  const ms = parseInstant(raw);
  if (ms === undefined) return fail('INVALID_LONG', `${raw} was not a valid long.`);
  const offset = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  if (offset !== 0) {
    const time = new Date(ms).toISOString().slice(11, 23);
    return fail('INVALID_DATE', `${raw} is at ${time} UTC, not midnight!`);
  }
  return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
}

function normalizeEnumeration(
  definition: PropertyDefinition,
  raw: string,
  context: ValueContext,
  fail: (code: string, message: string) => Normalized,
): Normalized {
  if (definition.name === 'hubspot_owner_id') {
    if (!INTEGER.test(raw)) return fail('INVALID_INTEGER', `${raw} was not a valid integer (for owner ID).`);
    return context.ownerExists(raw)
      ? { ok: true, value: raw }
      : fail('INVALID_OWNER_ID', `${raw} is not a valid owner id`);
  }
  if (definition.externalOptions) return { ok: true, value: raw };
  // Multiple checkboxes hold several options separated by ";".
  const values = definition.fieldType === 'checkbox' ? raw.split(';') : [raw];
  const allowed = new Set(definition.options.map((o) => o.value));
  const bad = values.find((v) => !allowed.has(v));
  return bad === undefined
    ? { ok: true, value: raw }
    : fail('INVALID_OPTION', invalidOptionMessage(bad, definition.options));
}

/** HubSpot lists the allowed options in its own text format after the rejected value. */
export function invalidOptionMessage(value: string, options: readonly OptionDefinition[]): string {
  const listed = options.map(
    (o) =>
      `label: "${o.label}"\nvalue: "${o.value}"\ndisplay_order: ${o.displayOrder}\nhidden: ${o.hidden}\nread_only: false\n`,
  );
  return `${value} was not one of the allowed options: [${listed.join(', ')}]`;
}

/** Epoch milliseconds or an ISO 8601 date/datetime (no offset means UTC); anything else is refused. */
export function parseInstant(raw: string): number | undefined {
  if (INTEGER.test(raw) || /^-\d+$/.test(raw)) return Number(raw);
  const match = ISO.exec(raw);
  if (!match) return undefined;
  const hasTime = match[4] !== undefined;
  const hasZone = match[7] !== undefined;
  const ms = Date.parse(hasTime && !hasZone ? `${raw}Z` : raw);
  return Number.isNaN(ms) ? undefined : ms;
}
