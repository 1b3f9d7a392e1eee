import { afterEach, describe, expect, it } from 'vitest';
import {
  startPosthogEmulator,
  type PosthogEmulator,
  type PosthogEmulatorOptions,
  type PosthogSeedDay,
} from '../../connectors/usage-posthog/emulator/index.ts';
import { usageQueryText, type UsageQuery } from '../../connectors/usage-posthog/query.ts';

/** The PostHog query API emulator on its own: what it answers to the query the source sends, and to anything else. */

let emulator: PosthogEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const KEY = 'phx_emulator';

function days(accounts: number, perAccount: number): PosthogSeedDay[] {
  const out: PosthogSeedDay[] = [];
  for (let a = 0; a < accounts; a += 1)
    for (let d = 0; d < perAccount; d += 1)
      out.push({
        key: `acct-${String(a).padStart(3, '0')}.example`,
        date: `2026-11-${String(d + 1).padStart(2, '0')}`,
        persons: 5 + d,
        events: { reports: 10 * (d + 1), exports: d },
      });
  return out;
}

const QUERY: UsageQuery = {
  groupIndex: 0,
  events: ['reports', 'exports'],
  activeUsersFrom: 'person',
  from: '2026-11-01',
  to: '2026-11-30',
  after: undefined,
  limit: 100,
};

async function start(options: PosthogEmulatorOptions = {}): Promise<PosthogEmulator> {
  emulator = await startPosthogEmulator({ days: days(25, 10), ...options });
  return emulator;
}

async function post(
  e: PosthogEmulator,
  body: unknown,
  key: string = KEY,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${e.url}/api/projects/${e.projectId}/query/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

const hogql = (query: string) => ({ query: { kind: 'HogQLQuery', query } });

describe('PostHog query API emulator', () => {
  it('pages the usage query by keyset: LIMIT rows ordered by key and day, then the rows after the last one', async () => {
    const e = await start();
    const first = await post(e, hogql(usageQueryText(QUERY)));
    expect(first.status).toBe(200);
    expect(first.body['columns']).toEqual(['account_key', 'day', 'active_users', 'event_0', 'event_1']);
    expect(first.body['hasMore']).toBe(true);
    expect(first.body['limit']).toBe(100);
    expect(first.body['offset']).toBe(0);
    const rows = first.body['results'] as unknown[][];
    expect(rows).toHaveLength(100);
    expect(rows[0]).toEqual(['acct-000.example', '2026-11-01', 5, 10, 0]);
    const last = rows[99] as [string, string];
    expect(last.slice(0, 2)).toEqual(['acct-009.example', '2026-11-10']);

    const seen = [...rows];
    let after = { key: last[0], day: last[1] };
    for (;;) {
      const next = await post(e, hogql(usageQueryText({ ...QUERY, after })));
      const page = next.body['results'] as [string, string][];
      seen.push(...page);
      if (next.body['hasMore'] !== true) break;
      const end = page[page.length - 1] as [string, string];
      after = { key: end[0], day: end[1] };
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen.map((r) => `${String(r[0])}|${String(r[1])}`)).size).toBe(250);
    expect(e.queries().map((q) => q.after?.key)).toEqual([undefined, 'acct-009.example', 'acct-019.example']);
  });

  it('reads only the window and the events named, on the configured group index', async () => {
    const e = await start();
    const window = await post(e, hogql(usageQueryText({ ...QUERY, from: '2026-11-09', to: '2026-11-09' })));
    expect((window.body['results'] as unknown[][]).map((r) => r[1])).toEqual(Array(25).fill('2026-11-09'));
    const otherGroup = await post(e, hogql(usageQueryText({ ...QUERY, groupIndex: 2 })));
    expect(otherGroup.body['results']).toEqual([]);
    const all = await post(e, hogql(usageQueryText({ ...QUERY, events: undefined, limit: 1 })));
    expect(all.body['results']).toEqual([['acct-000.example', '2026-11-01', 5, 10]]);
  });

  it('answers 400 with PostHog’s error body to any query text but the usage query, and to other query kinds', async () => {
    const e = await start();
    for (const text of [
      'SELECT 1',
      `${usageQueryText(QUERY)} OFFSET 100`,
      usageQueryText(QUERY).replace('LIMIT 100', 'LIMIT 0'),
      usageQueryText(QUERY).replace("event IN ('reports', 'exports')", "event IN ('reports')"),
      usageQueryText(QUERY).replace('$group_0 != ', '$group_1 != '),
      `${usageQueryText(QUERY)}; DROP TABLE events`,
    ]) {
      const answer = await post(e, hogql(text));
      expect(answer.status, text).toBe(400);
      expect(answer.body).toMatchObject({ type: 'validation_error', attr: null });
      expect(answer.body['detail']).toMatch(/^Unsupported query: /);
    }
    const kind = await post(e, { query: { kind: 'EventsQuery', select: ['*'] } });
    expect(kind.status).toBe(400);
    expect(e.queries()).toEqual([]);
  });

  it('refuses a wrong personal API key with 401 and another project with 403', async () => {
    const e = await start();
    const bad = await post(e, hogql(usageQueryText(QUERY)), 'phx_wrong');
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ type: 'authentication_error', code: 'authentication_failed' });
    const other = await fetch(`${e.url}/api/projects/999/query/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
      body: JSON.stringify(hogql(usageQueryText(QUERY))),
    });
    expect(other.status).toBe(403);
  });

  it('answers 429 with Retry-After past the per-minute and per-hour limits', async () => {
    let clock = Date.parse('2026-11-20T12:00:00Z');
    const e = await start({ limits: { perMinute: 2, perHour: 3 }, now: () => clock });
    const query = hogql(usageQueryText(QUERY));
    expect((await post(e, query)).status).toBe(200);
    clock += 10_000;
    expect((await post(e, query)).status).toBe(200);
    const minute = await post(e, query);
    expect(minute.status).toBe(429);
    expect(minute.headers.get('retry-after')).toBe('50');
    expect(minute.body).toMatchObject({
      type: 'throttled_error',
      code: 'throttled',
      detail: expect.stringMatching(/Expected available in 50 seconds/),
    });
    clock += 60_000;
    expect((await post(e, query)).status).toBe(200);
    clock += 60_000;
    const hour = await post(e, query);
    expect(hour.status).toBe(429);
    expect(Number(hour.headers.get('retry-after'))).toBe(3_600 - 130);
  });

  it('answers 429 to a query past the concurrent limit while the others run', async () => {
    const e = await start({ limits: { concurrent: 2 }, latencyMs: 300 });
    const query = hogql(usageQueryText(QUERY));
    const statuses = (await Promise.all([post(e, query), post(e, query), post(e, query)])).map((a) => a.status);
    expect(statuses.sort()).toEqual([200, 200, 429]);
    expect((await post(e, query)).status).toBe(200);
  });

  it('times out with a 504 once the simulated work passes the execution limit, and a smaller page passes', async () => {
    const e = await start({ msPerRow: 200 });
    const big = await post(e, hogql(usageQueryText({ ...QUERY, limit: 51 })));
    expect(big.status).toBe(504);
    expect(big.body['detail']).toMatch(/max execution time/);
    const small = await post(e, hogql(usageQueryText({ ...QUERY, limit: 50 })));
    expect(small.status).toBe(200);
  });
});
