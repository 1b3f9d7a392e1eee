import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import { invalidFile, type UsageFileItem } from './errors.ts';
import { isIsoDate, parseUsageRow, show, type FieldLabels } from '../../src/model/usage.ts';

const REQUIRED = ['date', 'account_key', 'active_users', 'seats_used'] as const;
const EVENT_PREFIX = 'event_';
const HEADER_HELP = 'date,account_key,active_users,seats_used, then any event_<feature> columns';

interface Columns {
  readonly date: number;
  readonly accountKey: number;
  readonly activeUsers: number;
  readonly seatsUsed: number;
  readonly events: ReadonlyArray<readonly [string, number]>;
  readonly width: number;
}

interface Parsed {
  readonly record: readonly string[];
  /** First line of the record (a quoted field may span lines). */
  readonly line: number;
}

const LABELS: FieldLabels = {
  date: 'date',
  accountKey: 'account_key',
  activeUsers: 'active_users',
  seatsUsed: 'seats_used',
  event: (f) => `${EVENT_PREFIX}${f}`,
  events: `the ${EVENT_PREFIX} columns`,
};

/**
 * Streams a usage CSV through csv-parse. Quotes are relaxed so a stray quote spoils one row instead of
 * everything after it; a row with the wrong number of cells is reported, never shifted into other
 * columns. Columns other than the required and event_ ones are ignored, so warehouse exports with extra
 * columns (account names, regions) load as they are. The active_users and seats_used columns must be in
 * the header, but a cell may be empty: that count was not collected that day, which is not zero.
 */
export async function* readCsv(path: string): AsyncGenerator<UsageFileItem> {
  const lines = createLineQueue();
  const skipped: Array<{ readonly error: CsvError; readonly line: number }> = [];
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(
    parse({
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_record: (record) => {
        lines.push(record);
        return record;
      },
      on_skip: (error) => {
        if (error) skipped.push({ error, line: lines.skip() });
        return undefined;
      },
    }),
  );
  let columns: Columns | undefined;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const line = lines.shift();
      if (skipped.length > 0) for (const s of skipped.splice(0)) yield skippedItem(path, s.error, s.line);
      if (isBlank(record)) continue;
      if (!columns) {
        columns = headerColumns(path, record);
        continue;
      }
      yield rowItem({ record, line }, columns);
    }
    for (const s of skipped.splice(0)) yield skippedItem(path, s.error, s.line);
  } finally {
    parser.destroy();
  }
  if (!columns) throw invalidFile(path, `the file is empty; it needs a header row: ${HEADER_HELP}`);
}

/**
 * Rows are located by the line they start on. Lines are counted here rather than taken from csv-parse,
 * whose count treats a CRLF inside a quoted value as two lines: each record is one line plus the line
 * breaks inside its values. Start lines are queued as the parser meets records and taken in order.
 */
function createLineQueue(): { push(record: readonly string[]): void; skip(): number; shift(): number } {
  const starts: number[] = [];
  let head = 0;
  let lastEnd = 0;
  return {
    push: (record) => {
      starts.push(lastEnd + 1);
      lastEnd += 1;
      for (const value of record) if (value.includes('\n')) lastEnd += value.split('\n').length - 1;
    },
    skip: () => {
      lastEnd += 1;
      return lastEnd;
    },
    shift: () => {
      const line = starts[head] ?? lastEnd;
      head += 1;
      if (head > 4096) {
        starts.splice(0, head);
        head = 0;
      }
      return line;
    },
  };
}

function isBlank(record: readonly string[]): boolean {
  return record.length === 1 && (record[0] ?? '').trim() === '';
}

function headerColumns(path: string, header: readonly string[]): Columns {
  const names = header.map((h) => h.trim());
  if ((names[0] ?? '').startsWith('{'))
    throw invalidFile(
      path,
      'the first line is a JSON object, not a CSV header; if the file is NDJSON, name it .ndjson or .jsonl, or set usage.format to "ndjson"',
    );
  if (names.some((n) => isIsoDate(n)))
    throw invalidFile(path, `the first line looks like data, not a header; add a header row: ${HEADER_HELP}`);
  const duplicate = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
  if (duplicate !== undefined)
    throw invalidFile(path, `column ${show(duplicate)} appears twice in the header; keep one`);
  const missing = REQUIRED.filter((r) => !names.includes(r));
  if (missing.length > 0) {
    throw invalidFile(
      path,
      `the header lacks the required column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (found: ${names.map((n) => show(n)).join(', ')}); the header must be: ${HEADER_HELP}, in lowercase`,
    );
  }
  const events: Array<readonly [string, number]> = [];
  names.forEach((name, i) => {
    if (!name.startsWith(EVENT_PREFIX)) return;
    const feature = name.slice(EVENT_PREFIX.length);
    if (feature === '')
      throw invalidFile(
        path,
        `column ${i + 1} is named "${EVENT_PREFIX}" without a feature; name it ${EVENT_PREFIX}<feature>, e.g. ${EVENT_PREFIX}reports`,
      );
    events.push([feature, i]);
  });
  return {
    date: names.indexOf('date'),
    accountKey: names.indexOf('account_key'),
    activeUsers: names.indexOf('active_users'),
    seatsUsed: names.indexOf('seats_used'),
    events,
    width: names.length,
  };
}

function rowItem(parsed: Parsed, columns: Columns): UsageFileItem {
  const { record, line } = parsed;
  if (record.length !== columns.width) {
    const key = record[columns.accountKey]?.trim().toLowerCase();
    return {
      ok: false,
      line,
      message: `the row has ${record.length} column${record.length === 1 ? '' : 's'} but the header has ${columns.width}; check for a missing or extra comma, or a comma inside a value that is not quoted`,
      ...(key ? { accountKey: key } : {}),
    };
  }
  return parseUsageRow(
    {
      date: record[columns.date],
      accountKey: record[columns.accountKey],
      activeUsers: record[columns.activeUsers],
      seatsUsed: record[columns.seatsUsed],
      events: columns.events.map(([feature, index]) => [feature, record[index]] as const),
    },
    LABELS,
    { line },
  );
}

function skippedItem(path: string, error: CsvError, line: number): UsageFileItem {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    // Everything after an unclosed quote is one giant field: carrying on would score truncated history.
    throw invalidFile(
      path,
      `a quoted value that starts on line ${line} is never closed, so the rest of the file cannot be read; close or remove that quote`,
    );
  }
  return {
    ok: false,
    line,
    message: `the row cannot be read as CSV (${error.message.replace(/ at line \d+.*$/s, '')})`,
  };
}
