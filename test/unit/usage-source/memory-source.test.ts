import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createUsageSource,
  registerUsageSource,
  USAGE_SOURCES,
  usageSourceIds,
} from '../../../connectors/usage-registry.ts';
import { ingestUsage } from '../../../src/engine/usage-ingest.ts';
import type { RawUsageRow } from '../../../src/model/usage.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import type { StateStore } from '../../../src/state/store.ts';
import { memoryUsageSource } from './memory-source.ts';

const row = (
  accountKey: unknown,
  date: unknown,
  users: unknown,
  events: Array<readonly [string, unknown]> = [],
): RawUsageRow => ({ accountKey, date, activeUsers: users, seatsUsed: users, events });
const ROWS: RawUsageRow[] = [
  row('Acme.Example', '2026-11-01', 40, [['reports', 120]]),
  row('acme.example', '2026-11-02', '41'),
  row('birch.example', '2026-11-31', 12),
  row('birch.example', '2026-11-02', -3),
  row('birch.example', '2026-11-03', 12),
];

const wiring = (usage: Record<string, unknown> & { readonly source: string }) => ({
  config: { usage },
  resolvePath: (p: string) => p,
  secret: () => '',
});

let dir: string;
let store: StateStore;
let unregister: () => void;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-usage-source-'));
  store = await openSqliteStore({ dataDir: dir });
  unregister = registerUsageSource(memoryUsageSource(new Map([['warehouse', ROWS]])));
});
afterEach(async () => {
  unregister();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a second usage source, registered from a test', () => {
  it('is created from the config by usage.source, next to the static file source', () => {
    expect(Object.keys(USAGE_SOURCES)).toContain('file');
    expect(usageSourceIds()).toEqual([...Object.keys(USAGE_SOURCES), 'memory']);
    expect(createUsageSource(wiring({ source: 'memory', dataset: 'warehouse', joinOn: 'domain' })).label).toBe(
      'memory:warehouse',
    );
  });

  it('ingests into the state store through the same seam as a file, with problems located by its own words', async () => {
    const source = createUsageSource(wiring({ source: 'memory', dataset: 'warehouse', joinOn: 'domain' }));
    const result = await ingestUsage({ source, store, dryRun: false });
    expect(result).toMatchObject({ rows: 3, inserted: 3, problems: 2 });
    expect(result.sample).toEqual([
      { where: 'memory:warehouse row 3', message: 'day "2026-11-31" is not a valid YYYY-MM-DD date' },
      { where: 'memory:warehouse row 4', message: 'users -3 is negative; seats -3 is negative' },
    ]);
    expect(result.firstSeen).toEqual(
      new Map([
        ['acme.example', 'memory:warehouse row 1'],
        ['birch.example', 'memory:warehouse row 5'],
      ]),
    );
    const stored = await store.usageByAccount({ accountKeys: ['acme.example'], from: '2026-10-01', to: '2026-11-30' });
    expect(stored.get('acme.example')).toEqual([
      { accountKey: 'acme.example', date: '2026-11-01', activeUsers: 40, seatsUsed: 40, events: { reports: 120 } },
      { accountKey: 'acme.example', date: '2026-11-02', activeUsers: 41, seatsUsed: 41, events: {} },
    ]);
  });

  it('reports a conflicting duplicate, a future and an ancient day by its own locations, and stores neither', async () => {
    const datasets = new Map([
      [
        'restated',
        [
          row('acme.example', '2026-11-02', 41),
          row('acme.example', '2026-11-02', 44),
          row('acme.example', '2099-01-01', 41),
          row('acme.example', '1900-01-01', 41),
        ],
      ],
    ]);
    unregister();
    unregister = registerUsageSource(memoryUsageSource(datasets));
    const source = createUsageSource(wiring({ source: 'memory', dataset: 'restated', joinOn: 'domain' }));
    const result = await ingestUsage({ source, store, dryRun: false, asOf: '2026-11-30' });
    expect(result).toMatchObject({ rows: 1, inserted: 1, problems: 3 });
    expect(result.sample).toEqual([
      {
        where: 'memory:restated row 2',
        message:
          'acme.example on 2026-11-02 has a second row whose counts differ from the first at memory:restated row 1; the first was kept, this row was not stored',
      },
      {
        where: 'memory:restated row 3',
        message: "acme.example: date 2099-01-01 is after the run's as-of date 2026-11-30; the row was not stored",
      },
      {
        where: 'memory:restated row 4',
        message: 'acme.example: date 1900-01-01 is before 2000-01-01, too old to be usage; the row was not stored',
      },
    ]);
    const stored = await store.usageByAccount({ accountKeys: ['acme.example'], from: '1800-01-01', to: '2100-01-01' });
    expect(stored.get('acme.example')?.map((d) => [d.date, d.activeUsers])).toEqual([['2026-11-02', 41]]);
  });

  it('parses its own config block, and an unknown source is refused with the known ones', () => {
    expect(() => createUsageSource(wiring({ source: 'memory', joinOn: 'domain' }))).toThrow(/dataset/);
    expect(() => createUsageSource(wiring({ source: 'no-such-source' }))).toThrow(
      `usage.source "no-such-source" is not a known usage source; known: ${[...Object.keys(USAGE_SOURCES), 'memory'].join(', ')}`,
    );
  });

  it('cannot shadow a static entry, and is gone once unregistered', () => {
    expect(() => registerUsageSource({ ...memoryUsageSource(new Map()), id: 'file' })).toThrow(
      /already in the static registry/,
    );
    unregister();
    expect(usageSourceIds()).toEqual(Object.keys(USAGE_SOURCES));
  });
});
