import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPostgresUsage, type ReadPostgresOptions } from '../../connectors/usage-postgres/read.ts';
import { createSchema, DAILY_USAGE_TABLE, QUERIES, type TestSchema } from './pg.ts';

let schema: TestSchema;
let dir: string;

beforeEach(async () => {
  schema = await createSchema();
  dir = await mkdtemp(path.join(tmpdir(), 'usage-pg-'));
});
afterEach(async () => {
  await schema.drop();
  await rm(dir, { recursive: true, force: true });
});

const WINDOW = { from: '2026-11-01', to: '2026-11-20', firstRun: true };

function options(overrides: Partial<ReadPostgresOptions> = {}): ReadPostgresOptions {
  return {
    label: 'postgres:test.sql',
    url: schema.url,
    queryPath: path.join(QUERIES, 'daily_usage.sql'),
    queryName: 'test.sql',
    features: ['search', 'export'],
    batchRows: 100,
    statementTimeoutSeconds: 60,
    window: WINDOW,
    ...overrides,
  };
}

async function collect(o: ReadPostgresOptions) {
  const items = [];
  for await (const item of readPostgresUsage(o)) items.push(item);
  return items;
}

async function query(sql: string): Promise<string> {
  const file = path.join(dir, 'q.sql');
  await writeFile(file, sql);
  return file;
}

describe('the Segment warehouse query', () => {
  it("counts tracks per account by context_group_id, else the user's latest group, within the window", async () => {
    await schema.sql(
      `CREATE TABLE tracks (id text, user_id text, event text, "timestamp" timestamptz, context_group_id text)`,
    );
    await schema.sql(`CREATE TABLE groups (id text, user_id text, group_id text, "timestamp" timestamptz)`);
    await schema.sql(`INSERT INTO groups VALUES
      ('g1', 'u1', 'old.example', '2026-01-01T00:00:00Z'),
      ('g2', 'u1', 'acme.example', '2026-06-01T00:00:00Z'),
      ('g3', 'u2', 'acme.example', '2026-06-01T00:00:00Z')`);
    await schema.sql(`INSERT INTO tracks VALUES
      ('t1', 'u1', 'search', '2026-11-02T23:59:00Z', NULL),
      ('t2', 'u1', 'search', '2026-11-02T10:00:00Z', NULL),
      ('t3', 'u2', 'export', '2026-11-02T10:00:00Z', NULL),
      ('t4', 'u2', 'search', '2026-11-02T11:00:00Z', 'birch.example'),
      ('t5', 'u1', 'page_viewed', '2026-11-02T11:00:00Z', NULL),
      ('t6', 'u1', 'search', '2026-10-31T23:59:59Z', NULL),
      ('t7', 'u1', 'search', '2026-11-21T00:00:00Z', NULL)`);
    const items = await collect(options({ queryPath: path.join(QUERIES, 'segment.sql') }));
    expect(items).toEqual([
      {
        location: 'row 1',
        ok: true,
        day: { accountKey: 'acme.example', date: '2026-11-02', activeUsers: 2, events: { export: 1, search: 2 } },
      },
      {
        location: 'row 4',
        ok: true,
        day: { accountKey: 'birch.example', date: '2026-11-02', activeUsers: 1, events: { search: 1 } },
      },
    ]);
  });
});

describe('rows and queries the source refuses', () => {
  beforeEach(async () => {
    await schema.sql(DAILY_USAGE_TABLE);
  });

  it('reports a bad count and a repeated feature with the query row, and keeps reading', async () => {
    await schema.sql(`INSERT INTO daily_usage VALUES
      ('2026-11-02', 'acme.example', NULL, NULL, 5), ('2026-11-02', 'acme.example', 'search', -3, 1),
      ('2026-11-03', 'acme.example', 'search', 4, 1), ('2026-11-03', 'acme.example', 'search', 5, 1),
      ('2026-11-02', 'birch.example', NULL, NULL, 2)`);
    const items = await collect(options());
    expect(items).toEqual([
      expect.objectContaining({
        location: 'row 1',
        ok: false,
        message: expect.stringContaining('events (of the search row) "-3" is negative'),
      }),
      expect.objectContaining({
        location: 'row 4',
        ok: false,
        message: expect.stringContaining(
          'feature "search" appears twice for acme.example on 2026-11-03 (first at row 3)',
        ),
      }),
      { location: 'row 3', ok: true, day: { accountKey: 'acme.example', date: '2026-11-03', events: { search: 4 } } },
      {
        location: 'row 5',
        ok: true,
        day: { accountKey: 'birch.example', date: '2026-11-02', activeUsers: 2, events: {} },
      },
    ]);
  });

  it('stops with a config error when the rows are not ordered by account_key, day', async () => {
    await schema.sql(`INSERT INTO daily_usage VALUES
      ('2026-11-02', 'acme.example', NULL, NULL, 5), ('2026-11-02', 'birch.example', NULL, NULL, 2),
      ('2026-11-03', 'acme.example', NULL, NULL, 5)`);
    const file = await query(
      'SELECT day, account_key, feature, events, users FROM daily_usage\nWHERE day BETWEEN :from AND :to ORDER BY day, account_key',
    );
    await expect(collect(options({ queryPath: file }))).rejects.toMatchObject({
      kind: 'config',
      code: 'usage_source_query',
      message: expect.stringMatching(
        /^usage source postgres:test.sql: row 3 \(acme.example, 2026-11-03\) comes after rows of other accounts; end test.sql with ORDER BY account_key, day/,
      ),
    });
  });

  it.each([
    [
      'a missing column',
      'SELECT day, account_key FROM daily_usage WHERE day BETWEEN :from AND :to',
      /returns columns day, account_key; it must return day, account_key, feature, events, users \(missing: feature, events, users\)/,
    ],
    [
      'a query without the window',
      'SELECT day, account_key, feature, events, users FROM daily_usage',
      /does not use :from and :to/,
    ],
    [
      'an unknown parameter',
      'SELECT * FROM daily_usage\nWHERE day BETWEEN :start AND :to',
      /test.sql:2: unknown parameter :start/,
    ],
    [
      'a column that does not exist',
      'SELECT day, account_key,\n nope, events, users FROM daily_usage WHERE day BETWEEN :from AND :to',
      /the query failed at test.sql:2: column "nope" does not exist/,
    ],
  ])('%s is a config error naming the query', async (_what, sql, message) => {
    await expect(collect(options({ queryPath: await query(sql) }))).rejects.toMatchObject({ kind: 'config', message });
  });

  it('never writes, whatever the query says', async () => {
    const file = await query(
      'DELETE FROM daily_usage WHERE day BETWEEN :from AND :to RETURNING day, account_key, feature, events, users',
    );
    await expect(collect(options({ queryPath: file }))).rejects.toMatchObject({
      kind: 'config',
      message: expect.stringContaining('read-only transaction'),
    });
  });
});
