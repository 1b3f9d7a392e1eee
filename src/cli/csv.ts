/**
 * RFC 4180 CSV writing. No CSV writer is among the dependencies (csv-parse only reads), and quoting is
 * small enough to own: a field is quoted when it holds a comma, a double quote, CR or LF, and quotes
 * inside it are doubled. Records end with CRLF, as the RFC specifies.
 */
export type CsvValue = string | number | boolean | null | undefined;

export function csvField(value: CsvValue): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
