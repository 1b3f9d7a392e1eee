import { SyncError } from '../../src/errors.ts';

/**
 * SOQL built from outside values, safely. Salesforce has no parameter binding for SOQL over REST, so:
 * identifiers (object and field names) are checked, never escaped, and every string literal is escaped
 * with the full set of reserved characters, backslash first. jsforce's `find()` builder escapes only
 * `'`, so `\' OR Id != null OR Name = '` breaks out of its literal: it is never used with outside values.
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
 */

/** `Name`, `Expansion_Key__c`, `ns__Seats__c`, `Owner`, `Parent__r`: letters, digits, single underscores, an optional namespace and suffix. */
const IDENTIFIER = /^(?:[A-Za-z][A-Za-z0-9]*__)?[A-Za-z](?:[A-Za-z0-9]|_(?!_))*(?:__(?:c|r))?$/;

export function isSoqlIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A field or a relationship path (`Owner.Name`), each segment checked. Throws a config error naming it. */
export function soqlIdentifier(name: string, where = 'a mapping file'): string {
  const segments = name.split('.');
  if (segments.length > 5 || !segments.every(isSoqlIdentifier)) {
    throw new SyncError(
      `"${name.slice(0, 80)}" in ${where} is not a Salesforce API name (letters, digits and single underscores, such as Licensed_Seats__c)`,
      { code: 'salesforce_bad_identifier', kind: 'config', details: { name: name.slice(0, 80) } },
    );
  }
  return name;
}

const ESCAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\\/g, '\\\\'], // first, so the backslashes added below are not doubled again
  [/'/g, "\\'"],
  [/"/g, '\\"'],
  [/\n/g, '\\n'],
  [/\r/g, '\\r'],
  [/\t/g, '\\t'],
  [/\f/g, '\\f'],
  [new RegExp(String.fromCharCode(8), 'g'), '\\b'], // backspace
];

/** The inside of a quoted SOQL string literal. */
export function escapeSoqlString(value: string): string {
  let out = value;
  for (const [pattern, replacement] of ESCAPES) out = out.replace(pattern, replacement);
  return out;
}

/** A complete string literal: `'O\'Brien'`. */
export function soqlString(value: string): string {
  return `'${escapeSoqlString(value)}'`;
}

/** A LIKE pattern matching `value` literally, with `%` and `_` escaped too (valid only inside LIKE). */
export function soqlLikeLiteral(value: string, options: { readonly prefix?: boolean } = {}): string {
  const escaped = escapeSoqlString(value).replace(/%/g, '\\%').replace(/_/g, '\\_');
  return `'${escaped}${options.prefix ? '%' : ''}'`;
}

/** `('a', 'b')` for IN; an empty list cannot be written in SOQL, so callers skip the query instead. */
export function soqlInList(values: readonly string[]): string {
  if (values.length === 0)
    throw new SyncError('an IN list needs at least one value', { code: 'salesforce_empty_in', kind: 'system' });
  return `(${values.map(soqlString).join(', ')})`;
}

/**
 * Splits values into IN lists whose quoted length stays under `maxChars`, so a query's URL stays well
 * under the limit Salesforce and proxies put on GET request lines (about 16 KB).
 */
export function chunkInValues(values: readonly string[], maxChars = 10_000): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const value of values) {
    const length = soqlString(value).length + 2;
    if (current.length > 0 && size + length > maxChars) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(value);
    size += length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** A dateTime literal (unquoted, `2026-11-01T10:00:00Z`) from an ISO instant; anything else is refused. */
export function soqlDateTime(iso: string): string {
  if (!DATETIME.test(iso) || Number.isNaN(Date.parse(iso)))
    throw new SyncError(`"${iso.slice(0, 40)}" is not a UTC date-time`, {
      code: 'salesforce_bad_datetime',
      kind: 'system',
    });
  return `${iso.slice(0, 19)}Z`;
}

/** A date literal (unquoted, `2026-11-01`). */
export function soqlDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
    throw new SyncError(`"${date.slice(0, 40)}" is not a date`, { code: 'salesforce_bad_date', kind: 'system' });
  return date;
}
