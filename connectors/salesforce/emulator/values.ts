import { normalizeId } from './ids.ts';
import type { FieldDef } from './schema.ts';
import { secondsIso } from './http.ts';
import type { ItemError } from './types.ts';

export type Coerced =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: ItemError };

const fail = (statusCode: string, message: string, field: string): Coerced => ({
  ok: false,
  error: { statusCode, message, fields: [field] },
});
const ok = (value: unknown): Coerced => ({ ok: true, value });

const NUMERIC = new Set(['double', 'currency', 'percent', 'int']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A JSON value checked and stored as the API's canonical form. Error codes follow the Salesforce API's
 * StatusCode enum (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm#statuscode);
 * a JSON value of the wrong type is rejected like the REST deserializer does (JSON_PARSER_ERROR).
 */
export function coerceValue(def: FieldDef, raw: unknown): Coerced {
  if (raw === null || raw === undefined || raw === '') return ok(null);
  if (NUMERIC.has(def.type)) return coerceNumber(def, raw);
  switch (def.type) {
    case 'boolean':
      return typeof raw === 'boolean'
        ? ok(raw)
        : raw === 'true' || raw === 'false'
          ? ok(raw === 'true')
          : typeError(def, raw);
    case 'date':
      return typeof raw === 'string' && DATE.test(raw.slice(0, 10)) && !Number.isNaN(Date.parse(raw.slice(0, 10)))
        ? ok(raw.slice(0, 10))
        : typeError(def, raw);
    case 'datetime':
      return coerceDatetime(def, raw);
    case 'reference':
    case 'id':
      return typeof raw === 'string' && normalizeId(raw)
        ? ok(normalizeId(raw))
        : fail('MALFORMED_ID', `${def.label}: id value of incorrect type: ${String(raw)}`, def.name);
    case 'base64':
      return typeof raw === 'string' && /^[A-Za-z0-9+/=\s]*$/.test(raw)
        ? ok(raw.replace(/\s+/g, ''))
        : typeError(def, raw);
    default:
      return coerceText(def, raw);
  }
}

function typeError(def: FieldDef, raw: unknown): Coerced {
  return fail(
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${def.type} from ${JSON.stringify(raw)} for field ${def.name}`,
    def.name,
  );
}

function coerceNumber(def: FieldDef, raw: unknown): Coerced {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value)) return typeError(def, raw);
  if (def.type === 'int' && !Number.isInteger(value)) return typeError(def, raw);
  const digits = def.precision - def.scale;
  if (def.precision > 0 && Math.abs(Math.trunc(value)).toString().length > digits) {
    return fail(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${def.label}: value outside of valid range on numeric field: ${value}`,
      def.name,
    );
  }
  return ok(
    def.type === 'int' ? value : Number(value.toFixed(Math.max(def.scale, def.type === 'double' ? 10 : def.scale))),
  );
}

function coerceDatetime(def: FieldDef, raw: unknown): Coerced {
  if (typeof raw !== 'string') return typeError(def, raw);
  // Salesforce writes `+0000`; Date.parse wants `+00:00`.
  const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? typeError(def, raw) : ok(secondsIso(ms));
}

function coerceText(def: FieldDef, raw: unknown): Coerced {
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return typeError(def, raw);
  const text = String(raw);
  if (def.length > 0 && text.length > def.length) {
    return fail(
      'STRING_TOO_LONG',
      `${def.label}: data value too large: ${text.slice(0, 40)}${text.length > 40 ? '...' : ''} (max length=${def.length})`,
      def.name,
    );
  }
  if (def.restrictedPicklist && (def.type === 'picklist' || def.type === 'multipicklist')) {
    const allowed = new Set(def.picklistValues.filter((p) => p.active).map((p) => p.value));
    const chosen = def.type === 'multipicklist' ? text.split(';') : [text];
    const bad = chosen.find((v) => !allowed.has(v));
    if (bad !== undefined)
      return fail(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${def.label}: bad value for restricted picklist field: ${bad}`,
        def.name,
      );
  }
  if (def.type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text))
    return fail('INVALID_EMAIL_ADDRESS', `${def.label}: invalid email address: ${text}`, def.name);
  return ok(text);
}
