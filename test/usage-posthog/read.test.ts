import { afterEach, describe, expect, it } from 'vitest';
import { PosthogConfigSchema, type PosthogConfig } from '../../connectors/usage-posthog/config.ts';
import {
  startPosthogEmulator,
  type PosthogEmulator,
  type PosthogEmulatorOptions,
  type PosthogSeedDay,
} from '../../connectors/usage-posthog/emulator/index.ts';
import { usageQueryText } from '../../connectors/usage-posthog/query.ts';
import {
  createPosthogQueryClient,
  readPosthogUsage,
  type PosthogReadOptions,
} from '../../connectors/usage-posthog/read.ts';
import { SyncError } from '../../src/errors.ts';
import type { UsageItem } from '../../src/model/usage.ts';
import { rejectionOf } from '../support/rejection.ts';

/** The PostHog usage source against the emulator: paging, limits, timeouts and failures, as the engine sees them. */

let emulator: PosthogEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const KEY = 'phx_emulator';
const WINDOW = { from: '2026-11-01', to: '2026-11-30', firstRun: true };
const QUERY = {
  groupIndex: 0,
  events: undefined,
  activeUsersFrom: 'person' as const,
  from: WINDOW.from,
  to: WINDOW.to,
  after: undefined,
  limit: 10,
};

function seed(accounts: number, perAccount: number): PosthogSeedDay[] {
  const out: PosthogSeedDay[] = [];
  for (let a = 0; a < accounts; a += 1)
    for (let d = 0; d < perAccount; d += 1)
      out.push({
        key: `Acct-${String(a).padStart(3, '0')}.example`,
        date: `2026-11-${String(d + 1).padStart(2, '0')}`,
        persons: 3 + a,
        events: { reports: d + 1 },
      });
  return out;
}

async function setup(
  options: {
    emulator?: PosthogEmulatorOptions;
    config?: Record<string, unknown>;
    read?: Partial<PosthogReadOptions>;
  } = {},
) {
  emulator = await startPosthogEmulator({ days: seed(30, 10), ...options.emulator });
  const config: PosthogConfig = PosthogConfigSchema.parse({
    source: 'posthog',
    host: emulator.url,
    projectId: emulator.projectId,
    apiKey: { env: 'POSTHOG_API_KEY' },
    groupIndex: 0,
    events: ['reports'],
    pageSize: 100,
    ...options.config,
  });
  const waits: number[] = [];
  const read = async (): Promise<UsageItem[]> => {
    const items: UsageItem[] = [];
    for await (const item of readPosthogUsage(
      { config, apiKey: KEY, sleep: async (ms) => void waits.push(ms), ...options.read },
      WINDOW,
    ))
      items.push(item);
    return items;
  };
  return { emulator, read, waits };
}

describe('PostHog usage source', () => {
  it('reads the window in keyset pages and yields every account-day once, keys lowercased, located by page and row', async () => {
    const { emulator: e, read } = await setup();
    const items = await read();
    expect(items).toHaveLength(300);
    expect(items.every((i) => i.ok)).toBe(true);
    expect(items[0]).toMatchObject({
      ok: true,
      location: 'page 1 row 1',
      day: { accountKey: 'acct-000.example', date: '2026-11-01', activeUsers: 3, events: { reports: 1 } },
    });
    expect(items[299]).toMatchObject({ location: 'page 3 row 100' });
    const queries = e.queries();
    expect(queries.map((q) => [q.from, q.toExclusive, q.limit])).toEqual(
      Array(4).fill(['2026-11-01', '2026-12-01', 100]),
    );
    // The keyset of the next page is the last row of the one before, as PostHog returned it (not lowercased).
    expect(queries.map((q) => q.after)).toEqual([
      undefined,
      { key: 'Acct-009.example', day: '2026-11-10' },
      { key: 'Acct-019.example', day: '2026-11-10' },
      { key: 'Acct-029.example', day: '2026-11-10' },
    ]);
  });

  it('reports a bad row with its page and row and reads on', async () => {
    const days = seed(2, 2);
    days[1] = { ...days[1]!, persons: 20_000_000 };
    const { read } = await setup({ emulator: { days } });
    const items = await read();
    expect(items).toHaveLength(4);
    const bad = items.find((i) => !i.ok);
    expect(bad).toMatchObject({ ok: false, location: 'page 1 row 2', accountKey: 'acct-000.example' });
    expect(bad && !bad.ok ? bad.message : '').toMatch(/active_users "?20000000"? is implausibly large/);
  });

  it('waits out a 429 as Retry-After asks and goes on', async () => {
    let clock = Date.parse('2026-11-20T12:00:00Z');
    const {
      read,
      waits,
      emulator: e,
    } = await setup({
      emulator: { limits: { perMinute: 2 }, now: () => clock },
      read: {
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
      },
    });
    const items = await read();
    expect(items).toHaveLength(300);
    expect(e.requests.count({ status: 429 })).toBe(1);
    expect(waits).toEqual([60_000]);
  });

  it('keeps to the concurrent and per-minute limits through its limiter when queries are sent at once', async () => {
    const { emulator: e } = await setup({ emulator: { latencyMs: 100 } });
    const config = PosthogConfigSchema.parse({
      source: 'posthog',
      host: e.url,
      projectId: e.projectId,
      apiKey: { env: 'POSTHOG_API_KEY' },
      groupIndex: 0,
    });
    const query = usageQueryText({ ...QUERY, limit: 10 });
    const client = createPosthogQueryClient({ config, apiKey: KEY, retries: 0, limits: { perMinute: 5 } });
    try {
      // Six at once: three run, three wait for a place (PostHog allows 3 at once); the sixth waits for the
      // minute's reservoir, so it is still pending when the first five are answered.
      let sixth = false;
      const five = Array.from({ length: 5 }, () => client.query(query));
      void client.query(query).then(
        () => (sixth = true),
        () => (sixth = true),
      );
      await Promise.all(five);
      expect(sixth).toBe(false);
      expect(e.requests.count({ status: 200 })).toBe(5);
      expect(e.requests.count({ status: 429 })).toBe(0);
    } finally {
      await client.stop();
    }
  });

  it('halves the page after a query timeout and reads everything', async () => {
    // 200 rows cost 12 s of the 10 s a query may run; 100 rows, 6 s.
    const { read, emulator: e } = await setup({ emulator: { msPerRow: 60 }, config: { pageSize: 200 } });
    const items = await read();
    expect(items).toHaveLength(300);
    expect(e.requests.count({ status: 504 })).toBe(1);
    expect(e.queries().map((q) => q.limit)).toEqual([100, 100, 100, 100]);
  });

  it('fails as auth on a wrong key and as config on a query PostHog rejects, after one request each', async () => {
    const auth = await setup({ read: { apiKey: 'phx_wrong' } });
    const denied = await rejectionOf<SyncError>(auth.read());
    expect(denied).toBeInstanceOf(SyncError);
    expect(denied).toMatchObject({ kind: 'auth', code: 'posthog_unauthorized' });
    expect(denied.message).toMatch(/usage\.apiKey\.env/);
    expect(denied.message).not.toContain('phx_wrong');
    // The cause chain is stored and logged with the error: it must not carry the request and its key.
    expect(JSON.stringify(denied, Object.getOwnPropertyNames(denied))).not.toContain('phx_wrong');
    expect(String((denied.cause as Error).message)).not.toContain('phx_wrong');
    expect(JSON.stringify(denied.cause)).not.toContain('phx_wrong');
    expect(auth.emulator.requests.count()).toBe(1);
    await auth.emulator.stop();

    const bad = await setup();
    bad.emulator.faults.add({ sequence: [400] });
    const rejected = await rejectionOf<SyncError>(bad.read());
    expect(rejected).toMatchObject({ kind: 'config', code: 'posthog_bad_query' });
    expect(rejected.message).toMatch(/usage\.groupIndex/);
    expect(bad.emulator.requests.count()).toBe(1);
  });

  it('stops on a malformed answer instead of reading it as no usage', async () => {
    const { read, emulator: e } = await setup();
    e.faults.add({ sequence: [{ status: 200, body: { results: 'nope', columns: [] } }] });
    const error = await rejectionOf<SyncError>(read());
    expect(error).toMatchObject({ code: 'posthog_malformed_response' });
  });
});
