import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { UsageDay } from '../../src/model/usage.ts';

/** The PostgreSQL the tests use: DATABASE_URL or PG_URL, else the local server with trust auth. */
export const BASE_URL =
  process.env['DATABASE_URL'] ?? process.env['PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The shipped query files. */
export const QUERIES = fileURLToPath(new URL('../../queries/postgres/', import.meta.url));

/** A schema of its own for one test, dropped by `drop`; `url` puts it first on the search_path. */
export interface TestSchema {
  readonly name: string;
  readonly url: string;
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

export async function createSchema(prefix = 'usage_pg'): Promise<TestSchema> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: BASE_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${name}`);
  await client.query(`SET search_path = ${name}`);
  const url = new URL(BASE_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    sql: (text, values) => client.query(text, values),
    drop: async () => {
      try {
        await client.query(`DROP SCHEMA ${name} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export const DAILY_USAGE_TABLE = `CREATE TABLE daily_usage (
  day date NOT NULL, account_key text NOT NULL, feature text, events bigint, users bigint)`;

/** The rows of `daily_usage` for these days: active users (feature NULL), seats ($seats) and one feature. */
export async function insertDailyUsage(schema: TestSchema, days: readonly UsageDay[]): Promise<void> {
  const rows: unknown[][] = [];
  for (const d of days) {
    rows.push([d.date, d.accountKey, null, null, d.activeUsers ?? null]);
    if (d.seatsUsed !== undefined) rows.push([d.date, d.accountKey, '$seats', null, d.seatsUsed]);
    rows.push([d.date, d.accountKey, 'report_exported', (d.activeUsers ?? 0) * 3, d.activeUsers ?? 0]);
  }
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = chunk.map(
      (_, r) => `($${r * 5 + 1}::date, $${r * 5 + 2}, $${r * 5 + 3}, $${r * 5 + 4}::bigint, $${r * 5 + 5}::bigint)`,
    );
    await schema.sql(`INSERT INTO daily_usage VALUES ${values.join(', ')}`, chunk.flat());
  }
}
