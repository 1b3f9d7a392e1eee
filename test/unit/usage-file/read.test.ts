import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkUsageFile,
  readUsageFile,
  type ReadUsageFileOptions,
  type UsageFileItem,
} from '../../../connectors/usage-file/read.ts';
import { SyncError } from '../../../src/errors.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/usage/', import.meta.url));
const HEADER = 'date,account_key,active_users,seats_used,event_reports';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-usage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(options: ReadUsageFileOptions): Promise<UsageFileItem[]> {
  const items: UsageFileItem[] = [];
  for await (const item of readUsageFile(options)) items.push(item);
  return items;
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, content);
  return target;
}

async function refusal(options: ReadUsageFileOptions): Promise<SyncError> {
  const error = await readAll(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

const NO_COUNT = (where: string) =>
  `the row has no count (active_users, seats_used and ${where} are empty); ` +
  'fill in what was collected that day, or leave the day out';

const problems = (items: readonly UsageFileItem[]) =>
  items.flatMap((i) => (i.ok ? [] : [[i.line, i.message] as const]));

describe('readUsageFile: CSV', () => {
  it('reads the sample, leaving empty event cells out rather than counting zero', async () => {
    const items = await readAll({ path: `${FIXTURES}sample.csv` });
    expect(items).toHaveLength(9);
    expect(items.every((i) => i.ok)).toBe(true);
    expect(items[0]).toEqual({
      ok: true,
      line: 2,
      day: {
        accountKey: 'acme.example',
        date: '2026-11-01',
        activeUsers: 40,
        seatsUsed: 44,
        events: { reports: 120, exports: 9 },
      },
    });
    expect(items[1]).toMatchObject({ line: 3, day: { events: { reports: 131 } } });
    expect(new Set(items.map((i) => (i.ok ? i.day.accountKey : '')))).toEqual(
      new Set(['acme.example', 'birch.example', 'cobalt.example']),
    );
  });

  it('reports each bad row by its line, naming the column and the value, and reads on', async () => {
    const items = await readAll({ path: `${FIXTURES}row-problems.csv` });
    expect(problems(items)).toEqual([
      [3, 'active_users "-4" is negative'],
      [4, 'date "2026-13-40" is not a valid YYYY-MM-DD date'],
      [5, 'account_key is empty'],
      [6, 'seats_used "3.5" is not a whole number'],
      [7, 'seats_used "20000000" is implausibly large (more than 10,000,000)'],
      [8, 'active_users "NaN" is not a number'],
      [9, expect.stringMatching(/^the row has 4 columns but the header has 5/)],
      [10, 'event_reports "lots" is not a number'],
    ]);
    expect(items.filter((i) => i.ok).map((i) => i.line)).toEqual([2, 12]);
    expect(items.find((i) => i.line === 3)).toMatchObject({ accountKey: 'acme.example' });
  });

  it('trims and lowercases account keys so they join case-insensitively', async () => {
    const [first] = await readAll({ path: `${FIXTURES}row-problems.csv` });
    expect(first).toMatchObject({ ok: true, day: { accountKey: 'acme.example' } });
  });

  it('names every bad field of a row in one message and cuts long values to 40 characters', async () => {
    const long = 'x'.repeat(60);
    const items = await readAll({ path: await file('u.csv', `${HEADER}\n2026-02-30,acme.example,${long},-1,\n`) });
    expect(problems(items)).toEqual([
      [
        2,
        `date "2026-02-30" is not a valid YYYY-MM-DD date; active_users "${'x'.repeat(40)}…" is not a number; seats_used "-1" is negative`,
      ],
    ]);
  });

  it('locates rows after a quoted value that spans lines, and handles CRLF and a byte-order mark', async () => {
    const csv = `\uFEFF${HEADER},note\r\n2026-11-01,acme.example,1,2,3,"two\r\nlines"\r\n2026-11-02,acme.example,x,2,3,ok\r\n`;
    const items = await readAll({ path: await file('u.csv', csv) });
    expect(items[0]).toMatchObject({ ok: true, line: 2 });
    expect(problems(items)).toEqual([[4, 'active_users "x" is not a number']]);
  });

  it('keeps one stray quote to its own row', async () => {
    const items = await readAll({
      path: await file('u.csv', `${HEADER}\n2026-11-01,"acme".example,1,2,3\n2026-11-02,acme.example,1,2,3\n`),
    });
    expect(problems(items)).toEqual([[2, expect.stringMatching(/^account_key .* contains a double quote/)]]);
    expect(items[1]).toMatchObject({ ok: true, line: 3 });
  });

  it('ignores columns it does not use, such as an account name in a warehouse export', async () => {
    const items = await readAll({
      path: await file('u.csv', `account_name,${HEADER}\n"Acme, Inc",2026-11-01,acme.example,1,2,3\n`),
    });
    expect(items).toEqual([
      {
        ok: true,
        line: 2,
        day: { accountKey: 'acme.example', date: '2026-11-01', activeUsers: 1, seatsUsed: 2, events: { reports: 3 } },
      },
    ]);
  });

  it('keeps the counts a row has: an empty active_users or seats_used cell is not collected, not zero', async () => {
    const rows = ['2026-11-01,40,,120', '2026-11-02,,44,', '2026-11-03, , ,7', '2026-11-04,41,45,'];
    const csv = [HEADER, ...rows.map((r) => r.replace(',', ',acme.example,'))].join('\n');
    const items = await readAll({ path: await file('u.csv', `${csv}\n`) });
    expect(problems(items)).toEqual([]);
    expect(items.map((i) => (i.ok ? i.day : undefined))).toEqual([
      { accountKey: 'acme.example', date: '2026-11-01', activeUsers: 40, events: { reports: 120 } },
      { accountKey: 'acme.example', date: '2026-11-02', seatsUsed: 44, events: {} },
      { accountKey: 'acme.example', date: '2026-11-03', events: { reports: 7 } },
      { accountKey: 'acme.example', date: '2026-11-04', activeUsers: 41, seatsUsed: 45, events: {} },
    ]);
    // Absent, not present-and-undefined: a consumer that asks `'seatsUsed' in day` gets the right answer.
    const [first] = items;
    expect(first?.ok === true && Object.hasOwn(first.day, 'seatsUsed')).toBe(false);
  });

  it('reports a row with no count at all by its line, and still refuses malformed counts', async () => {
    const rows = ['2026-11-01,,,', '2026-11-02,abc,,1', '2026-11-03,,-3,', '2026-11-04,2.5,,', '2026-11-05,,9,'];
    const csv = [HEADER, ...rows.map((r) => r.replace(',', ',acme.example,'))].join('\n');
    const items = await readAll({ path: await file('u.csv', `${csv}\n`) });
    expect(problems(items)).toEqual([
      [2, NO_COUNT('the event_ columns')],
      [3, 'active_users "abc" is not a number'],
      [4, 'seats_used "-3" is negative'],
      [5, 'active_users "2.5" is not a whole number'],
    ]);
    expect(items.find((i) => i.line === 2)).toMatchObject({ accountKey: 'acme.example' });
    expect(items.filter((i) => i.ok).map((i) => i.line)).toEqual([6]);
  });

  it('names a missing count together with the other problems of the row', async () => {
    const items = await readAll({ path: await file('u.csv', `${HEADER}\n2026-02-30,acme.example,,,\n`) });
    const message = `date "2026-02-30" is not a valid YYYY-MM-DD date; ${NO_COUNT('the event_ columns')}`;
    expect(problems(items)).toEqual([[2, message]]);
  });

  it('stops early without reading the rest when the caller stops', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `2026-11-01,a${i}.example,1,2,3`).join('\n');
    let seen = 0;
    for await (const item of readUsageFile({ path: await file('big.csv', `${HEADER}\n${rows}\n`) })) {
      seen += item.ok ? 1 : 0;
      if (seen === 3) break;
    }
    expect(seen).toBe(3);
  });
});

describe('readUsageFile: NDJSON', () => {
  it('reads the same days from the NDJSON sample as from the CSV one', async () => {
    const csv = await readAll({ path: `${FIXTURES}sample.csv` });
    const ndjson = await readAll({ path: `${FIXTURES}sample.ndjson` });
    expect(ndjson.map((i) => (i.ok ? i.day : i))).toEqual(csv.map((i) => (i.ok ? i.day : i)));
    expect(ndjson.map((i) => i.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reports malformed lines by number and reads on; counts may be numeric strings', async () => {
    const lines = [
      '{"date":"2026-11-01","account_key":"Acme.example","active_users":"40","seats_used":44,"events":{"reports":null}}',
      '',
      '{"date":"2026-11-02","account_key":"acme.example"',
      '{"date":"2026-11-03","account_key":"acme.example","active_users":4.5,"seats_used":44}',
      '["not", "an", "object"]',
      '{"date":"2026-11-04","account_key":"acme.example","active_users":1,"seats_used":1,"events":{"reports":-3}}',
      '{"date":"2026-11-05","active_users":1,"seats_used":1}',
    ];
    const items = await readAll({ path: await file('u.jsonl', `${lines.join('\n')}\n`) });
    expect(items[0]).toEqual({
      ok: true,
      line: 1,
      day: { accountKey: 'acme.example', date: '2026-11-01', activeUsers: 40, seatsUsed: 44, events: {} },
    });
    expect(problems(items)).toEqual([
      [3, expect.stringMatching(/^the line is not valid JSON/)],
      [4, 'active_users 4.5 is not a whole number'],
      [5, expect.stringMatching(/^the line must be a JSON object/)],
      [6, 'events.reports -3 is negative'],
      [7, 'account_key is empty'],
    ]);
  });

  it('reads a null or left-out active_users or seats_used as not collected; bad counts are reported', async () => {
    const lines = [
      '{"date":"2026-11-01","account_key":"acme.example","active_users":40,"seats_used":null}',
      '{"date":"2026-11-02","account_key":"acme.example","seats_used":"44","events":{"reports":3}}',
      '{"date":"2026-11-03","account_key":"acme.example","events":{"reports":5}}',
      '{"date":"2026-11-04","account_key":"acme.example","active_users":null,"events":{}}',
      '{"date":"2026-11-05","account_key":"acme.example","active_users":"abc"}',
      '{"date":"2026-11-06","account_key":"acme.example","seats_used":-3}',
      '{"date":"2026-11-07","account_key":"acme.example","active_users":2.5,"seats_used":null}',
      '{"date":"2026-11-08","account_key":"acme.example","active_users":true}',
    ];
    const items = await readAll({ path: await file('u.ndjson', `${lines.join('\n')}\n`) });
    expect(items.filter((i) => i.ok).map((i) => (i.ok ? i.day : undefined))).toEqual([
      { accountKey: 'acme.example', date: '2026-11-01', activeUsers: 40, events: {} },
      { accountKey: 'acme.example', date: '2026-11-02', seatsUsed: 44, events: { reports: 3 } },
      { accountKey: 'acme.example', date: '2026-11-03', events: { reports: 5 } },
    ]);
    expect(problems(items)).toEqual([
      [4, NO_COUNT('events')],
      [5, 'active_users "abc" is not a number'],
      [6, 'seats_used -3 is negative'],
      [7, 'active_users 2.5 is not a whole number'],
      [8, 'active_users must be a number, got true'],
    ]);
  });

  it('honours an explicit format over the extension', async () => {
    const items = await readAll({
      path: await file('usage.txt', '{"date":"2026-11-01","account_key":"a","active_users":1,"seats_used":1}\n'),
      format: 'ndjson',
    });
    expect(items).toHaveLength(1);
    expect(items[0]?.ok).toBe(true);
  });
});

describe('readUsageFile: whole-file problems', () => {
  it('a missing file is a config error naming the path', async () => {
    const missing = path.join(dir, 'nope.csv');
    const error = await refusal({ path: missing });
    expect(error).toMatchObject({ code: 'usage_file_missing', kind: 'config' });
    expect(error.message).toContain(missing);
  });

  it.each([
    ['binary content', 'usage.csv', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42, 0x0a, 0x00]), /binary data/],
    ['an Excel workbook', 'usage.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), /export the sheet as CSV/],
    ['an empty file', 'usage.csv', '', /the file is empty; it needs a header row: date,account_key/],
    [
      'a header missing required columns',
      'usage.csv',
      'Date,account,active_users\n2026-11-01,a,1\n',
      /lacks the required columns date, account_key, seats_used \(found: "Date", "account", "active_users"\)/,
    ],
    ['data where the header should be', 'usage.csv', '2026-11-01,acme.example,1,2\n', /looks like data, not a header/],
    ['a duplicated column', 'usage.csv', `${HEADER},event_reports\n`, /"event_reports" appears twice/],
    ['NDJSON saved as .csv', 'usage.csv', '{"date":"2026-11-01"}\n', /JSON object, not a CSV header/],
    ['CSV saved as .ndjson', 'usage.ndjson', `${HEADER}\n`, /line 1 is not a JSON object.*name it \.csv/],
    [
      'an unknown extension',
      'usage.xlsx',
      `${HEADER}\n`,
      /cannot be told from the extension "\.xlsx"; set usage\.format/,
    ],
    [
      'a quote that is never closed',
      'usage.csv',
      `${HEADER}\n2026-11-01,a,1,2,3\n2026-11-02,"a,1,2,3\n2026-11-03,a,1,2,3\n`,
      /quoted value that starts on line 3 is never closed/,
    ],
  ])('%s is refused with what is wrong and how to fix it', async (_label, name, content, reason) => {
    const target = await file(name, content);
    const error = await refusal({ path: target });
    expect(error).toMatchObject({ code: 'usage_file_invalid', kind: 'config' });
    expect(error.message).toContain(target);
    expect(error.message).toMatch(reason);
  });
});

describe('checkUsageFile', () => {
  it('refuses a missing file up front, before any row is read', async () => {
    await expect(checkUsageFile({ path: path.join(dir, 'nope.csv') })).rejects.toMatchObject({
      code: 'usage_file_missing',
    });
  });

  it('returns the format it will read', async () => {
    expect(await checkUsageFile({ path: `${FIXTURES}sample.ndjson` })).toBe('ndjson');
    expect(await checkUsageFile({ path: `${FIXTURES}sample.ndjson`, format: 'csv' })).toBe('csv');
  });
});
