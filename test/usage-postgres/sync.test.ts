import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeForError } from '../../src/cli/exit-codes.ts';
import { AS_OF, defaultUsage } from '../support/companies.ts';
import { startCrmHarness, type CrmHarness, type CrmHarnessSpec } from '../support/harness.ts';
import { hubspotSpec } from '../support/hubspot-harness.ts';
import { salesforceSpec } from '../support/salesforce-harness.ts';
import { usageSeries } from '../support/usage.ts';
import { createSchema, DAILY_USAGE_TABLE, insertDailyUsage, QUERIES, type TestSchema } from './pg.ts';

interface EmulatorWrites {
  writes(): number;
}

const CRMS: readonly (readonly [string, () => CrmHarnessSpec<EmulatorWrites>])[] = [
  ['HubSpot', () => hubspotSpec()],
  ['Salesforce', () => salesforceSpec()],
];

/** The usage block: the shipped rollup query, the URL from an environment variable. */
const usage = (overrides: Readonly<Record<string, unknown>> = {}) => ({
  source: 'postgres',
  url: { env: 'USAGE_DATABASE_URL' },
  query: path.join(QUERIES, 'daily_usage.sql'),
  features: ['report_exported'],
  seatsFeature: '$seats',
  joinOn: 'domain',
  ...overrides,
});

const nextDay = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe.each(CRMS)('usage from PostgreSQL, synced to %s', (_name, makeSpec) => {
  let schema: TestSchema;
  let h: CrmHarness<EmulatorWrites>;

  /** A harness whose config reads usage from the test's schema, with `url` as the variable's value. */
  async function start(block = usage(), url = schema.url): Promise<CrmHarness<EmulatorWrites>> {
    const spec = makeSpec();
    return startCrmHarness(
      { ...spec, env: (e) => ({ ...spec.env(e), USAGE_DATABASE_URL: url }) },
      { config: { usage: block } },
    );
  }

  beforeEach(async () => {
    schema = await createSchema();
    await schema.sql(DAILY_USAGE_TABLE);
    await insertDailyUsage(schema, defaultUsage());
  });
  afterEach(async () => {
    await h?.close();
    await schema.drop();
  });

  it('syncs from the query, writes nothing on a rerun, and then reads only the window of new days', async () => {
    h = await start();
    const first = await h.run('live');
    expect(first.status).toBe('succeeded');
    // 60 days x 5 accounts, each assembled from its active-users, seats and feature rows.
    expect(first.read).toMatchObject({ usageRows: 300, usageProblems: 0 });
    expect(first.writes.account.updated).toBeGreaterThan(0);
    expect(first.writes.opportunity.created).toBeGreaterThan(0);
    const stored = await h.withStore((s) =>
      s.usageByAccount({ accountKeys: ['acme.example'], from: AS_OF, to: AS_OF }),
    );
    expect(stored.get('acme.example')).toEqual([
      { accountKey: 'acme.example', date: AS_OF, activeUsers: 42, seatsUsed: 44, events: { report_exported: 126 } },
    ]);

    const writesBefore = h.emulator.writes();
    const rerun = await h.run('live');
    expect(rerun.status).toBe('succeeded');
    expect(h.emulator.writes()).toBe(writesBefore);
    // The rerun's window is the overlap: the latest stored day less 3 days, up to the as-of date.
    expect(rerun.read.usageRows).toBe(4 * 5);

    // Two new days for Acme arrive; the next run reads from AS_OF - 3 to AS_OF + 2 only.
    const later = nextDay(AS_OF, 2);
    await insertDailyUsage(
      schema,
      usageSeries({ key: 'acme.example', asOf: later, days: 2, shape: () => ({ activeUsers: 43, seatsUsed: 45 }) }),
    );
    const incremental = await h.run('live', { asOf: later });
    expect(incremental.status).toBe('succeeded');
    expect(incremental.read.usageRows).toBe(4 * 5 + 2);
    expect(incremental.usage).toMatchObject({ inserted: 2 });
    const latest = await h.withStore((s) => s.latestUsageDate());
    expect(latest).toBe(later);
  });

  it.each([
    [
      'a URL where nothing listens',
      (): string => 'postgres://postgres@127.0.0.1:1/test',
      {},
      'usage_source_unreachable',
      2,
    ],
    ['a login the server refuses', (): string => withUser(schema.url, 'no_such_role'), {}, 'usage_source_auth', 3],
    ['a query the server cannot run', (): string => schema.url, { query: 'bad.sql' }, 'usage_source_query', 2],
  ] as const)('%s stops the run before any CRM write, naming the source', async (_what, url, overrides, code, exit) => {
    h = await start(usage(overrides), url());
    await h.writeFile('bad.sql', 'SELECT day, account_key FROM no_such_table\nWHERE day BETWEEN :from AND :to');
    const error = await h.run('live').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code, message: expect.stringMatching(/^usage source postgres:/) });
    expect(exitCodeForError(error)).toBe(exit);
    expect(String((error as Error).message)).not.toContain('no_such_role@');
    expect(h.emulator.writes()).toBe(0);
  });
});

function withUser(url: string, user: string): string {
  const u = new URL(url);
  u.username = user;
  return u.toString();
}
