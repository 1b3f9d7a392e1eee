import { afterEach, describe, expect, it } from 'vitest';
import { createExportClient } from '../../connectors/usage-amplitude/client.ts';
import {
  startAmplitudeEmulator,
  type AmplitudeEmulator,
  type AmplitudeEmulatorOptions,
} from '../../connectors/usage-amplitude/emulator/index.ts';
import { readAmplitude } from '../../connectors/usage-amplitude/read.ts';
import { SyncError } from '../../src/errors.ts';
import type { UsageItem } from '../../src/engine/usage-source.ts';
import { silentLogger } from '../../src/logger.ts';
import { event } from './events.ts';

let emulator: AmplitudeEmulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const NOW = Date.parse('2026-11-20T12:30:00Z');

async function read(
  options: AmplitudeEmulatorOptions,
  window: { from: string; to: string },
  secretKey?: string,
): Promise<{ items: UsageItem[]; e: AmplitudeEmulator }> {
  const e = await startAmplitudeEmulator({ now: () => NOW, ...options });
  emulator = e;
  const client = createExportClient({
    host: e.url,
    apiKey: e.apiKey,
    secretKey: secretKey ?? e.secretKey,
    log: silentLogger(),
    sleep: async () => {},
  });
  const items: UsageItem[] = [];
  for await (const item of readAmplitude({
    client,
    groupType: 'company',
    window: { ...window, firstRun: false },
    now: () => NOW,
  }))
    items.push(item);
  return { items, e };
}

const days = (items: readonly UsageItem[]) =>
  items
    .flatMap((i) => (i.ok ? [i.day] : []))
    .sort((a, b) => `${a.accountKey}${a.date}`.localeCompare(`${b.accountKey}${b.date}`));
const sent = (e: AmplitudeEmulator) => e.requests.log().map((r) => [r.start, r.end, r.status]);

describe('reading usage from the Amplitude Export API', () => {
  it('aggregates events per account and day: distinct user_id, counts per event_type', async () => {
    const { items } = await read(
      {
        events: [
          event({ account: 'Acme.example', user: 'u1', type: 'report_viewed', at: '2026-11-18 09:00' }),
          event({ account: 'acme.example', user: 'u1', type: 'report_viewed', at: '2026-11-18 15:00' }),
          event({ account: 'acme.example', user: 'u2', type: 'export_csv', at: '2026-11-18 23:58' }),
          // Uploaded the next day, still counted on the day it happened.
          event({
            account: 'acme.example',
            user: 'u3',
            type: 'export_csv',
            at: '2026-11-18 23:59',
            uploadedAfterMinutes: 90,
          }),
          event({ account: ['acme.example', 'birch.example'], user: 'u9', type: 'login', at: '2026-11-19 08:00' }),
          // No group, or another group type: no account's usage.
          event({ account: undefined, user: 'u4', type: 'login', at: '2026-11-19 08:00' }),
          event({ account: 'x', groupType: 'org', user: 'u5', type: 'login', at: '2026-11-19 08:00' }),
          // No user_id: counted as an event, not as a user.
          event({ account: 'birch.example', user: null, type: 'login', at: '2026-11-19 09:00' }),
        ],
      },
      { from: '2026-11-18', to: '2026-11-20' },
    );
    expect(items.filter((i) => !i.ok)).toEqual([]);
    expect(days(items)).toEqual([
      { accountKey: 'acme.example', date: '2026-11-18', activeUsers: 3, events: { report_viewed: 2, export_csv: 2 } },
      { accountKey: 'acme.example', date: '2026-11-19', activeUsers: 1, events: { login: 1 } },
      { accountKey: 'birch.example', date: '2026-11-19', activeUsers: 1, events: { login: 2 } },
    ]);
  });

  it('reports a bad line with its file and line and goes on', async () => {
    const e0 = [
      event({ account: 'acme.example', user: 'u1', type: 'a', at: '2026-11-19 05:00' }),
      { ...event({ account: 'acme.example', user: 'u2', type: 'a', at: '2026-11-19 05:01' }), event_time: 'yesterday' },
      event({ account: 'acme.example', user: 'u3', type: 'a', at: '2026-11-19 05:02' }),
    ];
    const { items } = await read({ events: e0, projectId: 7 }, { from: '2026-11-19', to: '2026-11-19' });
    const problems = items.filter((i) => !i.ok);
    expect(problems).toEqual([
      expect.objectContaining({
        location: '7/7_2026-11-19_5#0.json.gz line 2',
        accountKey: 'acme.example',
        message: expect.stringContaining('event_time "yesterday"'),
      }),
    ]);
    expect(days(items)).toEqual([{ accountKey: 'acme.example', date: '2026-11-19', activeUsers: 2, events: { a: 2 } }]);
  });

  it('adds events up to 3 days late to their day; later ones are reported, not counted', async () => {
    const { items } = await read(
      {
        events: [
          event({ account: 'acme.example', user: 'u1', type: 'a', at: '2026-11-10 05:00' }),
          event({
            account: 'acme.example',
            user: 'u2',
            type: 'a',
            at: '2026-11-10 06:00',
            uploadedAfterMinutes: 2 * 1440,
          }),
          event({
            account: 'acme.example',
            user: 'u3',
            type: 'a',
            at: '2026-11-10 07:00',
            uploadedAfterMinutes: 6 * 1440,
          }),
          event({ account: 'acme.example', user: 'u1', type: 'a', at: '2026-11-18 05:00' }),
        ],
      },
      { from: '2026-11-09', to: '2026-11-19' },
    );
    expect(days(items)).toEqual([
      { accountKey: 'acme.example', date: '2026-11-10', activeUsers: 2, events: { a: 2 } },
      { accountKey: 'acme.example', date: '2026-11-18', activeUsers: 1, events: { a: 1 } },
    ]);
    expect(items.filter((i) => !i.ok)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^1 event was uploaded more than 3 days after/) }),
    ]);
  });

  it('asks for the window hour by hour up to the last exported hour, never the last two hours', async () => {
    const { e } = await read(
      { events: [event({ account: 'a', user: 'u', type: 't', at: '2026-11-19 05:00' })] },
      { from: '2026-11-17', to: '2026-11-20' },
    );
    // At 12:30 UTC the hour 09:00-10:00 is the last whose export is complete.
    expect(sent(e)).toEqual([['20261117T00', '20261120T09', 200]]);
  });

  it('a 404 (no data in the range) gives no rows and no error', async () => {
    const { items, e } = await read({ events: [] }, { from: '2026-11-17', to: '2026-11-19' });
    expect(items).toEqual([]);
    expect(sent(e)).toEqual([['20261117T00', '20261119T23', 404]]);
  });

  it('cuts a window over 365 days into calls of at most 365 days', async () => {
    const { items, e } = await read(
      {
        events: [
          event({ account: 'acme.example', user: 'u', type: 't', at: '2025-10-01 05:00' }),
          event({ account: 'acme.example', user: 'u', type: 't', at: '2026-11-19 05:00' }),
        ],
      },
      { from: '2025-09-01', to: '2026-11-19' },
    );
    expect(sent(e)).toEqual([
      ['20250901T00', '20260831T23', 200],
      ['20260901T00', '20261119T23', 200],
    ]);
    expect(days(items).map((d) => d.date)).toEqual(['2025-10-01', '2026-11-19']);
  });

  it('reads a range over the size limit (400) again in halves, with the same result', async () => {
    const events = Array.from({ length: 48 }, (_, i) =>
      event({
        account: 'acme.example',
        user: `user-${i}`,
        type: 'a',
        at: `2026-11-${i < 24 ? '18' : '19'} ${String(i % 24).padStart(2, '0')}:00`,
      }),
    );
    const whole = await read({ events }, { from: '2026-11-18', to: '2026-11-19' });
    await emulator?.stop();
    const capped = await read({ events, maxExportBytes: 900 }, { from: '2026-11-18', to: '2026-11-19' });
    expect(days(capped.items)).toEqual(days(whole.items));
    const log = capped.e.requests.log();
    expect(log[0]).toMatchObject({ start: '20261118T00', end: '20261119T23', status: 400 });
    expect(log.filter((r) => r.status === 200).length).toBeGreaterThan(1);
  });

  it('an hour over the size limit stops the read with a config error naming the S3 export', async () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      event({ account: 'acme.example', user: `user-${i}`, type: `t${i}`, at: '2026-11-19 05:00' }),
    );
    const error = await read({ events, maxExportBytes: 100 }, { from: '2026-11-19', to: '2026-11-19' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ kind: 'config', code: 'amplitude_export_too_large' });
    expect((error as Error).message).toMatch(/20261119T05.*S3 export/);
  });

  it('a wrong secret key is an auth error naming the settings to fix, without the key', async () => {
    const error = await read(
      { events: [event({ account: 'a', user: 'u', type: 't', at: '2026-11-19 05:00' })] },
      { from: '2026-11-19', to: '2026-11-19' },
      'not-the-secret',
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', code: 'amplitude_unauthorized' });
    expect((error as Error).message).toMatch(/usage\.secretKey/);
    expect((error as Error).message).not.toContain('not-the-secret');
    expect(emulator?.requests.count()).toBe(1);
  });
});
