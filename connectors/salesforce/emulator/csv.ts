import { parse } from 'csv-parse/sync';

/** Bulk API 2.0 line endings and column delimiters (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/create_job.htm). */
export type LineEnding = 'LF' | 'CRLF';
export const COLUMN_DELIMITERS: Readonly<Record<string, string>> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};

export const CSV_CONTENT_TYPE = 'text/csv';

/** Every value quoted, quotes doubled, as Salesforce writes result files (`"sf__Id","sf__Created",…`). */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  options: { readonly lineEnding?: LineEnding; readonly delimiter?: string } = {},
): string {
  const eol = options.lineEnding === 'CRLF' ? '\r\n' : '\n';
  const delimiter = options.delimiter ?? ',';
  const line = (cells: readonly string[]): string => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(delimiter);
  return [header, ...rows].map(line).join(eol) + eol;
}

/** Job data: a header row of field names, then one row per record, every cell as text. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

export function parseCsv(text: string, delimiter: string): CsvTable {
  const records = parse(text, {
    delimiter,
    relax_column_count: false,
    skip_empty_lines: true,
    bom: true,
  }) as string[][];
  const [header = [], ...rows] = records;
  return { header, rows };
}
