/**
 * The PostgreSQL usage source's benchmark (`node bench/usage-postgres.ts`, or `BENCH=usage npm run bench`):
 * generates BENCH_PG_ACCOUNTS accounts (default 10,000) x 365 days x 10 features in the long shape with
 * generate_series, in a schema of its own that it drops at the end, then
 *   - the floor: a bare pg-cursor loop over the same query that only counts rows, and
 *   - the source: readPostgresUsage folding the rows into usage days, ingested into a sqlite state store
 *     through the engine's ingestUsage,
 * each in its own process so each peak RSS is its own. Prints rows/s, peak RSS, and RSS sampled at each
 * quarter of the read (flat in the row count when nothing per row is kept).
 * The server is DATABASE_URL or PG_URL, else postgres://postgres@127.0.0.1:5432/test.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { readPostgresUsage } from '../connectors/usage-postgres/read.ts';
import { translateNamedParameters } from '../connectors/usage-postgres/sql.ts';
import { ingestUsage } from '../src/engine/usage-ingest.ts';
import { openSqliteStore } from '../src/state/sqlite-store.ts';

const BASE_URL = process.env['DATABASE_URL'] ?? process.env['PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ACCOUNTS = Number(process.env['BENCH_PG_ACCOUNTS'] ?? 10_000);
const DAYS = 365;
const FEATURES = Array.from({ length: 10 }, (_, i) => `feature_${String(i + 1).padStart(2, '0')}`);
/** Each account-day: one row per feature, a seats row and the active-users row. */
const ROWS_PER_DAY = FEATURES.length + 2;
const AS_OF = '2026-11-20';
const FROM = new Date(Date.parse(`${AS_OF}T00:00:00Z`) - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
const QUERY = fileURLToPath(new URL('../queries/postgres/daily_usage.sql', import.meta.url));
const BATCH = 5_000;
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function schemaUrl(schema: string): string {
  const url = new URL(BASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

interface Measured {
  readonly rows: number;
  readonly days: number;
  readonly seconds: number;
  readonly peakRss: number;
  readonly rssAt: readonly number[];
}

/** The floor: the same query through a bare cursor, rows counted and dropped. */
async function floor(url: string): Promise<Measured> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { text } = translateNamedParameters(await readFile(QUERY, 'utf8'));
  const start = process.hrtime.bigint();
  const cursor = client.query(
    new Cursor(text, [FROM, AS_OF, [...FEATURES, 'seats']], { rowMode: 'array', types: TEXT_TYPES }),
  );
  let rows = 0;
  const rssAt: number[] = [];
  const expected = ACCOUNTS * DAYS * ROWS_PER_DAY;
  for (;;) {
    const batch = await cursor.read(BATCH);
    rows += batch.length;
    if (rssAt.length < 4 && rows >= (expected * (rssAt.length + 1)) / 4) rssAt.push(process.memoryUsage.rss());
    if (batch.length < BATCH) break;
  }
  const elapsed = seconds(start);
  await cursor.close();
  await client.end();
  return { rows, days: 0, seconds: elapsed, peakRss: process.resourceUsage().maxRSS * 1024, rssAt };
}

/** The source into a sqlite store, as a first run ingests it. */
async function source(url: string): Promise<Measured> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-usage-pg-'));
  const store = await openSqliteStore({ dataDir: dir });
  const rssAt: number[] = [];
  const expectedDays = ACCOUNTS * DAYS;
  try {
    const start = process.hrtime.bigint();
    const result = await ingestUsage({
      source: {
        label: 'postgres:daily_usage.sql',
        read: (window) =>
          readPostgresUsage({
            label: 'postgres:daily_usage.sql',
            url,
            queryPath: QUERY,
            queryName: 'daily_usage.sql',
            features: FEATURES,
            seatsFeature: 'seats',
            batchRows: BATCH,
            statementTimeoutSeconds: 3600,
            window: window ?? { from: FROM, to: AS_OF, firstRun: true },
          }),
      },
      store,
      dryRun: false,
      asOf: AS_OF,
      onRows: (done) => {
        if (rssAt.length < 4 && done >= (expectedDays * (rssAt.length + 1)) / 4) rssAt.push(process.memoryUsage.rss());
      },
    });
    const elapsed = seconds(start);
    if (result.problems > 0) throw new Error(`${result.problems} problems, first: ${JSON.stringify(result.sample[0])}`);
    const rows = result.rows * ROWS_PER_DAY;
    return { rows, days: result.rows, seconds: elapsed, peakRss: process.resourceUsage().maxRSS * 1024, rssAt };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs one measurement in a child process of this script, so its peak RSS is its own. */
function child(kind: 'floor' | 'source', url: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), kind, url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.once('error', reject);
    proc.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Measured) : reject(new Error(`${kind} exited with ${code}`)),
    );
  });
}

async function generate(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: BASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path = ${schema}`);
    await client.query(
      'CREATE UNLOGGED TABLE daily_usage (day date NOT NULL, account_key text NOT NULL, feature text, events bigint, users bigint)',
    );
    // The active-users row (feature NULL), a seats row, and one row per feature, for every account and day.
    await client.query(
      `INSERT INTO daily_usage
       SELECT d::date, 'acct-' || lpad(a::text, 6, '0') || '.example', f.name,
              CASE WHEN f.name IS NULL OR f.name = 'seats' THEN NULL ELSE (a * 7 + f.i * 13 + extract(doy FROM d)::int) % 200 END,
              CASE WHEN f.name = 'seats' THEN 40 ELSE 10 + (a + extract(doy FROM d)::int) % 25 END
       FROM generate_series(1, $1::int) a
       CROSS JOIN generate_series($2::date, $3::date, interval '1 day') d
       CROSS JOIN (SELECT NULL::text AS name, 0 AS i UNION ALL SELECT 'seats', 0
                   UNION ALL SELECT name, i FROM unnest($4::text[]) WITH ORDINALITY AS t(name, i)) f`,
      [ACCOUNTS, FROM, AS_OF, FEATURES],
    );
    await client.query('CREATE INDEX ON daily_usage (account_key, day)');
    await client.query('ANALYZE daily_usage');
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const [kind, url] = process.argv.slice(2);
  if ((kind === 'floor' || kind === 'source') && url) {
    process.stdout.write(JSON.stringify(kind === 'floor' ? await floor(url) : await source(url)));
    return;
  }
  const schema = `bench_usage_${randomBytes(4).toString('hex')}`;
  const t0 = process.hrtime.bigint();
  try {
    await generate(schema);
    console.log(
      `\n== usage source postgres: ${ACCOUNTS} accounts x ${DAYS} days x (10 features + seats + active users) = ${(ACCOUNTS * DAYS * ROWS_PER_DAY).toLocaleString('en-US')} rows, generated and indexed in ${seconds(t0).toFixed(0)} s`,
    );
    const print = (label: string, m: Measured): void =>
      console.log(
        `  ${label.padEnd(34)} ${m.rows.toLocaleString('en-US').padStart(12)} rows  ${m.seconds.toFixed(1).padStart(6)} s  ${Math.round(
          m.rows / m.seconds,
        )
          .toLocaleString('en-US')
          .padStart(9)} rows/s  peak RSS ${mib(m.peakRss)}  (RSS at 25/50/75/100%: ${m.rssAt.map(mib).join(', ')})`,
      );
    print('floor: bare cursor, count only', await child('floor', schemaUrl(schema)));
    const measured = await child('source', schemaUrl(schema));
    print('source -> ingestUsage -> sqlite', measured);
    console.log(`  (${measured.days.toLocaleString('en-US')} usage days stored)`);
  } finally {
    const client = new pg.Client({ connectionString: BASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

await main();
