import { readFile } from 'node:fs/promises';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { UsageReadWindow } from '../../src/engine/usage-source.ts';
import { parseUsageRow, type FieldLabels, type RawUsageRow, type UsageItem } from '../../src/model/usage.ts';
import { classifyPgError, describeTarget, sourceError } from './errors.ts';
import { QueryTextError, translateNamedParameters, type TranslatedQuery } from './sql.ts';

/** The columns every usage query returns, in the long shape: one row per account, day and feature. */
export const QUERY_COLUMNS = ['day', 'account_key', 'feature', 'events', 'users'] as const;

export type PostgresUsageItem = UsageItem<{ readonly location: string }>;

export interface ReadPostgresOptions {
  /** How messages name the source: `postgres:<query file as configured>`. */
  readonly label: string;
  /** The connection URL, a secret: never logged or put in a message. */
  readonly url: string;
  /** The query file, absolute, and as the config names it (for messages). */
  readonly queryPath: string;
  readonly queryName: string;
  readonly features: readonly string[];
  /** The feature whose row's `users` column holds the seats in use that day. */
  readonly seatsFeature?: string | undefined;
  /** Rows fetched from the server-side cursor per round trip. */
  readonly batchRows: number;
  readonly statementTimeoutSeconds: number;
  readonly window: UsageReadWindow;
}

/** A query that leaves `:from` or `:to` out would read the whole history on every run. */
const REQUIRED: readonly ('from' | 'to')[] = ['from', 'to'];

/** Every value arrives as PostgreSQL's text: dates stay YYYY-MM-DD (no local-time Date), bigints stay exact. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/**
 * Loads and translates the query file: named parameters become positional ones, and a file that cannot be
 * read or lacks the window parameters is a config error naming it.
 */
export async function loadQuery(
  options: Pick<ReadPostgresOptions, 'label' | 'queryPath' | 'queryName'>,
): Promise<{ readonly query: TranslatedQuery }> {
  const { label, queryPath, queryName } = options;
  let sql: string;
  try {
    sql = await readFile(queryPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw sourceError(label, `the query file ${queryName} cannot be read (${code}); check usage.query in the config`, {
      kind: 'config',
      code: 'usage_source_config',
      cause: error,
    });
  }
  let query: TranslatedQuery;
  try {
    query = translateNamedParameters(sql);
  } catch (error) {
    if (!(error instanceof QueryTextError)) throw error;
    throw sourceError(label, `${queryName}:${error.line}: ${error.message}`, {
      kind: 'config',
      code: 'usage_source_query',
    });
  }
  const missing = REQUIRED.filter((p) => !query.used.has(p));
  if (missing.length > 0)
    throw sourceError(
      label,
      `${queryName} does not use ${missing.map((p) => `:${p}`).join(' and ')}; filter the days with WHERE day BETWEEN :from AND :to so a run reads only the days it needs`,
      { kind: 'config', code: 'usage_source_query' },
    );
  return { query };
}

/**
 * One aggregate pull: runs the query once for the run's window through a server-side cursor, and folds the
 * long rows (day, account_key, feature, events, users) back into one usage day per account and day as they
 * stream. The query ends with ORDER BY account_key, day, so one day's rows are adjacent and only the day
 * being assembled is held. A bad row is a located problem (`row N`, the query's row number); a source that
 * cannot be reached, refuses the login, or cannot run the query throws a SyncError naming it, before the
 * engine writes anything to the CRM.
 */
export async function* readPostgresUsage(options: ReadPostgresOptions): AsyncGenerator<PostgresUsageItem> {
  const { label, queryName, window } = options;
  const { query } = await loadQuery(options);
  const target = describeTarget(options.url);
  const lineOf = (position: number): number => query.text.slice(0, position - 1).split('\n').length;
  const classify = (error: unknown) => classifyPgError(error, { label, target, query: queryName, lineOf });
  const parsedUrl = URL.parse(options.url);
  if (!parsedUrl || !/^postgres(ql)?:$/.test(parsedUrl.protocol))
    throw sourceError(
      label,
      "usage.url's environment variable does not hold a postgres:// URL; set it to postgres://user:password@host:5432/database",
      { kind: 'config', code: 'usage_source_config' },
    );
  const client = new pg.Client({
    connectionString: options.url,
    application_name: 'expansion-sync',
    connectionTimeoutMillis: 30_000,
  });
  // A connection lost between reads is reported by the pending read; without a listener it would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    // The query file is the user's: a read-only session keeps it from writing, whatever it says.
    await client.query(
      `SET default_transaction_read_only = on; SET TIME ZONE 'UTC'; SET statement_timeout = ${Math.round(options.statementTimeoutSeconds * 1000)}`,
    );
  } catch (error) {
    await client.end().catch(() => undefined);
    throw classify(error);
  }
  const values: unknown[] = [window.from, window.to];
  // The seats row is selected like a feature, so a query filtering on :features keeps it.
  const seats = options.seatsFeature === undefined ? [] : [options.seatsFeature];
  if (query.used.has('features')) values.push([...new Set([...options.features, ...seats])]);
  const cursor = client.query(new Cursor(query.text, values, { rowMode: 'array', types: TEXT_TYPES }));
  try {
    const first = await readBatch(cursor, options.batchRows).catch((error: unknown) => {
      throw classify(error);
    });
    const columns = columnIndexes(first.fields, { label, queryName });
    const fold = new DayFold(options, columns);
    let rows = first.rows;
    while (rows.length > 0) {
      for (const row of rows) yield* fold.add(row);
      if (rows.length < options.batchRows) break;
      rows = (
        await readBatch(cursor, options.batchRows).catch((error: unknown) => {
          throw classify(error);
        })
      ).rows;
    }
    yield* fold.finish();
  } finally {
    await cursor.close().catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

type Row = readonly (string | null)[];

function readBatch(
  cursor: Cursor<Row>,
  size: number,
): Promise<{ readonly rows: Row[]; readonly fields: readonly { readonly name: string }[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(size, (error, rows, result) => {
      if (error) reject(error);
      else resolve({ rows, fields: result.fields ?? [] });
    });
  });
}

interface Columns {
  readonly day: number;
  readonly account: number;
  readonly feature: number;
  readonly events: number;
  readonly users: number;
}

function columnIndexes(
  fields: readonly { readonly name: string }[],
  where: { readonly label: string; readonly queryName: string },
): Columns {
  const names = fields.map((f) => f.name);
  const missing = QUERY_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    throw sourceError(
      where.label,
      `${where.queryName} returns ${names.length === 0 ? 'no columns' : `columns ${names.join(', ')}`}; it must return ${QUERY_COLUMNS.join(', ')} (missing: ${missing.join(', ')})`,
      { kind: 'config', code: 'usage_source_query' },
    );
  return {
    day: names.indexOf('day'),
    account: names.indexOf('account_key'),
    feature: names.indexOf('feature'),
    events: names.indexOf('events'),
    users: names.indexOf('users'),
  };
}

/** Labels built once per source (parseUsageRow caches its schema per labels object). */
function labelsFor(seatsFeature: string | undefined): FieldLabels {
  return {
    date: 'day',
    accountKey: 'account_key',
    activeUsers: 'users (of the row whose feature is NULL)',
    seatsUsed: seatsFeature === undefined ? 'seats (no usage.seatsFeature set)' : `users (of the ${seatsFeature} row)`,
    event: (feature) => `events (of the ${feature} row)`,
    events: 'events',
  };
}

/** A midnight timestamp is a day; anything else is passed on for the row check to name. */
function dayOf(value: string | null): string | null {
  if (value === null || value.length <= 10) return value;
  return /^\d{4}-\d{2}-\d{2}[ T]00:00:00(?:\.0+)?(?:[+-]00(?::?00)?|Z)?$/.test(value) ? value.slice(0, 10) : value;
}

/**
 * The one account-day being assembled from adjacent long rows, and the account keys already finished: a key
 * that comes back after another account started means the query is not ordered, which would split a day in
 * two. The finished keys cost one string per account, never one per row.
 */
class DayFold {
  private readonly labels: FieldLabels;
  private readonly finished = new Set<string>();
  private rowNumber = 0;
  private account: string | null = null;
  private day: string | null = null;
  private firstRow = 0;
  private activeUsers: string | null | undefined;
  private seatsUsed: string | null | undefined;
  private events: [string, string | null][] = [];
  private seen = new Map<string | null, number>();
  private open = false;
  private readonly options: ReadPostgresOptions;
  private readonly columns: Columns;

  constructor(options: ReadPostgresOptions, columns: Columns) {
    this.options = options;
    this.columns = columns;
    this.labels = labelsFor(options.seatsFeature);
  }

  *add(row: Row): Generator<PostgresUsageItem> {
    this.rowNumber += 1;
    const c = this.columns;
    const account = row[c.account] ?? null;
    const day = dayOf(row[c.day] ?? null);
    if (!this.open || account !== this.account || day !== this.day) {
      if (this.open) yield this.emit();
      this.checkOrder(account, day);
      this.start(account, day);
    }
    const feature = row[c.feature] ?? null;
    const earlier = this.seen.get(feature);
    if (earlier !== undefined) {
      const what = feature === null ? 'the active-users row (feature NULL)' : `feature ${JSON.stringify(feature)}`;
      yield {
        location: `row ${this.rowNumber}`,
        ok: false,
        message: `${what} appears twice for ${account ?? '(no account_key)'} on ${day ?? '(no day)'} (first at row ${earlier}); GROUP BY day, account_key, feature in the query. This row was not used`,
        ...(account ? { accountKey: account.trim().toLowerCase() } : {}),
      };
      return;
    }
    this.seen.set(feature, this.rowNumber);
    if (feature === null) this.activeUsers = row[c.users] ?? null;
    else if (feature === this.options.seatsFeature) this.seatsUsed = row[c.users] ?? null;
    else this.events.push([feature, row[c.events] ?? null]);
  }

  *finish(): Generator<PostgresUsageItem> {
    if (this.open) yield this.emit();
    this.open = false;
  }

  private checkOrder(account: string | null, day: string | null): void {
    const key = account ?? '';
    const sameAccount = this.open && key === (this.account ?? '');
    const backwards = sameAccount && day !== null && this.day !== null && day < this.day;
    if (!sameAccount && this.open) this.finished.add(this.account ?? '');
    if (backwards || (!sameAccount && this.finished.has(key)))
      throw sourceError(
        this.options.label,
        `row ${this.rowNumber} (${key || 'no account_key'}, ${day ?? 'no day'}) comes after rows of ${backwards ? 'a later day' : 'other accounts'}; end ${this.options.queryName} with ORDER BY account_key, day so each day's rows are adjacent`,
        { kind: 'config', code: 'usage_source_query' },
      );
  }

  private start(account: string | null, day: string | null): void {
    this.open = true;
    this.account = account;
    this.day = day;
    this.firstRow = this.rowNumber;
    this.activeUsers = undefined;
    this.seatsUsed = undefined;
    this.events = [];
    this.seen = new Map();
  }

  private emit(): PostgresUsageItem {
    const raw: RawUsageRow = {
      date: this.day ?? undefined,
      accountKey: this.account ?? undefined,
      activeUsers: this.activeUsers,
      seatsUsed: this.seatsUsed,
      events: this.events,
    };
    return parseUsageRow(raw, this.labels, { location: `row ${this.firstRow}` });
  }
}
