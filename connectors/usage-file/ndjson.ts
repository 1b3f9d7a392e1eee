import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { invalidFile, type UsageFileItem } from './errors.ts';
import { parseUsageRow, show, type FieldLabels } from '../../src/model/usage.ts';

const LABELS: FieldLabels = {
  date: 'date',
  accountKey: 'account_key',
  activeUsers: 'active_users',
  seatsUsed: 'seats_used',
  event: (f) => `events.${f}`,
  events: 'events',
};
/** Any JSON object (not null, not a list); its fields are checked by the row schema. */
const JsonObject = z.record(z.string(), z.unknown());
const EXAMPLE =
  '{"date":"2026-11-01","account_key":"acme.example","active_users":40,"seats_used":44,"events":{"reports":120}}';

/**
 * Streams a usage NDJSON file, one object per line. Counts may be numbers or numeric strings (warehouse
 * exports write 64-bit integers as strings); a count that is null or left out was not collected that
 * day. Other keys are ignored. Blank lines are skipped but counted, so line numbers match what an
 * editor shows.
 */
export async function* readNdjson(path: string): AsyncGenerator<UsageFileItem> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let seenObject = false;
  try {
    for await (const raw of lines) {
      line += 1;
      const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
      if (text === '') continue;
      if (!seenObject && !text.startsWith('{')) {
        throw invalidFile(
          path,
          `line ${line} is not a JSON object; each line must be one object such as ${EXAMPLE}. If this is a CSV file, name it .csv or set usage.format to "csv"`,
        );
      }
      seenObject = true;
      yield lineItem(text, line);
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

function lineItem(text: string, line: number): UsageFileItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the mistake; the line number is enough to find it.
    const reason =
      error instanceof Error
        ? error.message.replace(/,? ".*" is not valid JSON$/s, '').replace(/ in JSON at position.*$/s, '')
        : 'unreadable';
    return { ok: false, line, message: `the line is not valid JSON (${reason})` };
  }
  const object = JsonObject.safeParse(value);
  if (!object.success)
    return { ok: false, line, message: `the line must be a JSON object such as ${EXAMPLE}, got ${show(value)}` };
  const record = object.data;
  const events = JsonObject.nullish().safeParse(record['events']);
  if (!events.success) {
    const got = show(record['events']);
    return {
      ok: false,
      line,
      message: `events must be an object of feature: count, such as {"reports":120}; got ${got}`,
    };
  }
  return parseUsageRow(
    {
      date: record['date'],
      accountKey: record['account_key'],
      activeUsers: record['active_users'],
      seatsUsed: record['seats_used'],
      events: Object.entries(events.data ?? {}).map(([feature, count]) => [feature.trim(), count] as const),
    },
    LABELS,
    { line },
  );
}
