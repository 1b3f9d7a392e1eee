import { SoqlError } from './errors.ts';

/**
 * Quoted string escapes (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm):
 * `\n \N \r \R \t \T \b \B \f \F \" \' \\` and `\uXXXX`; `\_` and `\%` only inside a LIKE pattern.
 * "If you use a backslash character in any other context, an error occurs."
 */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** One decoded unit of a string literal: a character, or a LIKE wildcard (`%`, `_`) that was not escaped. */
type Piece =
  { readonly kind: 'char'; readonly value: string } | { readonly kind: 'wildcard'; readonly value: '%' | '_' };

function illegal(raw: string, sequence: string): SoqlError {
  return new SoqlError(
    'MALFORMED_QUERY',
    `Invalid string literal '${raw}'. Illegal character sequence '${sequence}' in string literal.`,
  );
}

function decodeEscape(raw: string, index: number, like: boolean): { readonly piece: Piece; readonly length: number } {
  const next = raw[index + 1] ?? '';
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) return { piece: { kind: 'char', value: simple }, length: 2 };
  if (next === 'u') {
    const hex = raw.slice(index + 2, index + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw illegal(raw, `\\u${hex}`);
    return { piece: { kind: 'char', value: String.fromCharCode(Number.parseInt(hex, 16)) }, length: 6 };
  }
  if (like && (next === '%' || next === '_')) return { piece: { kind: 'char', value: next }, length: 2 };
  throw illegal(raw, `\\${next}`);
}

function decodePieces(raw: string, like: boolean): Piece[] {
  const pieces: Piece[] = [];
  let index = 0;
  while (index < raw.length) {
    const char = raw.charAt(index);
    if (char === '\\') {
      const { piece, length } = decodeEscape(raw, index, like);
      pieces.push(piece);
      index += length;
    } else {
      pieces.push(
        like && (char === '%' || char === '_') ? { kind: 'wildcard', value: char } : { kind: 'char', value: char },
      );
      index += 1;
    }
  }
  return pieces;
}

/** Decodes the text between the quotes of a string literal used anywhere but a LIKE pattern. */
export function decodeString(raw: string): string {
  return decodePieces(raw, false)
    .map((piece) => piece.value)
    .join('');
}

/**
 * A LIKE pattern as an anchored, case-insensitive regular expression: `%` is any run of characters, `_` one
 * character, `\%` and `\_` are literal (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_comparisonoperators.htm).
 */
export function likeRegExp(raw: string): RegExp {
  const source = decodePieces(raw, true)
    .map((piece) => {
      if (piece.kind === 'wildcard') return piece.value === '%' ? '.*' : '.';
      return piece.value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`, 'is');
}

/** Milliseconds of UTC midnight for a real calendar date `YYYY-MM-DD`, else undefined. */
export function parseDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day
    ? ms
    : undefined;
}

/**
 * A dateTime literal `YYYY-MM-DDThh:mm:ss(.sss)?(Z|±hh:mm)` as epoch milliseconds; the zone offset is from UTC
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm).
 */
export function parseDateTime(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!match) return undefined;
  const day = parseDate(match[1] ?? '');
  const [hours, minutes, seconds] = [Number(match[2]), Number(match[3]), Number(match[4])];
  if (day === undefined || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const millis = Math.round(Number(match[5] ?? '0') * 1000);
  const sign = match[7] === '-' ? -1 : 1;
  const offsetMinutes = match[6] === 'Z' ? 0 : sign * (Number(match[8]) * 60 + Number(match[9]));
  if (Math.abs(offsetMinutes) > 14 * 60) return undefined;
  return day + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + millis;
}

/** Salesforce REST renders dateTime values as `2013-05-20T20:49:32.000+0000` (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html). */
export function formatDateTime(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace('Z', '+0000');
}
