/**
 * RFC 4180 CSV writing. No CSV writer is among the dependencies (csv-parse only reads), and quoting is
 * small enough to own: a field is quoted when it holds a comma, a double quote, CR or LF, and quotes
 * inside it are doubled. Records end with CRLF, as the RFC specifies.
 *
 * Cells come from the CRM (account and owner names), so a spreadsheet must never read one as a formula
 * (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`. A
 * number stays a number, negative amounts included, and so does text that is exactly a plain number.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

export function csvField(value: CsvValue): string {
  const raw = value === null || value === undefined ? '' : String(value);
  const text = typeof value === 'string' && FORMULA_START.test(raw) && !PLAIN_NUMBER.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
