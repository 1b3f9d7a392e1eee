import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUsageSource } from '../../../connectors/usage-registry.ts';
import { ingestUsage } from '../../../src/engine/usage-ingest.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import type { StateStore } from '../../../src/state/store.ts';

/** Rows a file holds that cannot all be true: two versions of one day, a day to come, a placeholder date. */

const AS_OF = '2026-11-30';
const CSV = [
  'date,account_key,active_users,seats_used,event_reports',
  '2026-11-01,acme.example,40,44,120', // line 2
  '2026-11-02,acme.example,41,44,130', // line 3
  '2026-11-02,acme.example,41,44,130', // line 4: an identical repeat, no problem
  '2026-11-02,Acme.Example,47,44,', // line 5: the same day again, other counts
  '2099-01-01,acme.example,40,44,120', // line 6: the future
  '1900-01-01,birch.example,12,12,3', // line 7: a placeholder date
  '2026-11-30,birch.example,12,12,3', // line 8: the as-of day itself is fine
  '2026-12-01,birch.example,12,12,3', // line 9: the day after as-of
].join('\n');

let dir: string;
let store: StateStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-usage-problems-'));
  store = await openSqliteStore({ dataDir: dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function ingest(content: string, name: string, dryRun = false) {
  const file = path.join(dir, name);
  await writeFile(file, content);
  const usage: Record<string, unknown> & { readonly source: string } = { source: 'file', path: file };
  const source = createUsageSource({
    config: { usage },
    resolvePath: (p) => p,
    secret: () => '',
  });
  return { file, result: await ingestUsage({ source, store, dryRun, asOf: AS_OF }) };
}

describe('usage rows that cannot be real, reported with file and line', () => {
  it('reports a conflicting duplicate (first wins), a future and an ancient day, and stores the rest', async () => {
    const { file, result } = await ingest(CSV, 'usage.csv');
    expect(result).toMatchObject({ rows: 4, problems: 4 });
    expect(result.sample).toEqual([
      {
        where: `${file}:5`,
        message: `acme.example on 2026-11-02 has a second row whose counts differ from the first at ${file}:3; the first was kept, this row was not stored`,
      },
      {
        where: `${file}:6`,
        message: "acme.example: date 2099-01-01 is after the run's as-of date 2026-11-30; the row was not stored",
      },
      {
        where: `${file}:7`,
        message: 'birch.example: date 1900-01-01 is before 2000-01-01, too old to be usage; the row was not stored',
      },
      {
        where: `${file}:9`,
        message: "birch.example: date 2026-12-01 is after the run's as-of date 2026-11-30; the row was not stored",
      },
    ]);
    const stored = await store.usageByAccount({
      accountKeys: ['acme.example', 'birch.example'],
      from: '1800-01-01',
      to: '2100-01-01',
    });
    expect(stored.get('acme.example')).toEqual([
      { accountKey: 'acme.example', date: '2026-11-01', activeUsers: 40, seatsUsed: 44, events: { reports: 120 } },
      { accountKey: 'acme.example', date: '2026-11-02', activeUsers: 41, seatsUsed: 44, events: { reports: 130 } },
    ]);
    expect(stored.get('birch.example')).toEqual([
      { accountKey: 'birch.example', date: '2026-11-30', activeUsers: 12, seatsUsed: 12, events: { reports: 3 } },
    ]);
  });

  it('does the same for NDJSON, where key order and event order are not a difference', async () => {
    const ndjson = [
      '{"date":"2026-11-02","account_key":"acme.example","active_users":41,"events":{"reports":1,"exports":2}}',
      '{"account_key":"acme.example","events":{"exports":2,"reports":1},"date":"2026-11-02","active_users":41}',
      '{"date":"2026-11-02","account_key":"acme.example","active_users":41,"events":{"reports":1,"exports":3}}',
      '{"date":"2099-12-31","account_key":"acme.example","active_users":41}',
    ].join('\n');
    const { file, result } = await ingest(ndjson, 'usage.ndjson');
    expect(result).toMatchObject({ rows: 2, problems: 2 });
    expect(result.sample.map((p) => p.where)).toEqual([`${file}:3`, `${file}:4`]);
    expect(result.sample[0]?.message).toContain(`differ from the first at ${file}:1; the first was kept`);
  });

  it('keeps the first row in a dry run too, and never lists the dropped rows as an account first seen', async () => {
    const { result } = await ingest(CSV, 'usage.csv', true);
    expect(result.problems).toBe(4);
    expect(result.memory?.get('acme.example')?.find((d) => d.date === '2026-11-02')?.activeUsers).toBe(41);
    expect(result.memory?.get('acme.example')?.some((d) => d.date === '2099-01-01')).toBe(false);
    // A key whose only rows were dropped was never stored, so it is not reported as an unknown account either.
    const { result: only } = await ingest(
      'date,account_key,active_users,seats_used\n2099-01-01,ghost.example,1,1\n',
      'ghost.csv',
    );
    expect(only.firstSeen.has('ghost.example')).toBe(false);
    expect(only.problems).toBe(1);
  });
});
