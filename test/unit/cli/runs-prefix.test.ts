import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/exit-codes.ts';
import { runsDiffCommand, runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { runsRetryCommand } from '../../../src/cli/commands/runs-retry.ts';
import { runCommand } from './in-process.ts';
import { storeIn } from '../../support/store.ts';

// Run ids are UUIDs; like git, the runs commands take any unique prefix of one (the 8 characters people copy).
const FIRST = '3f2a9c1e-0000-4000-8000-000000000001';
const TWIN_A = '7b41d2aa-0000-4000-8000-000000000002';
const TWIN_B = '7b41d2ff-0000-4000-8000-000000000003';

let dir = '';
let config = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-runs-prefix-'));
  config = path.join(dir, 'config.json');
  await writeFile(
    config,
    JSON.stringify({
      name: 'acme',
      dataDir: 'state',
      crm: { hubspot: { token: { env: 'ES_TEST_UNSET_TOKEN' } } },
      usage: { source: 'file', path: 'usage.csv' },
    }),
  );
  await storeIn(path.join(dir, 'state'))(async (store) => {
    const runs = [
      [FIRST, '2026-11-20T06:00:00.000Z'],
      [TWIN_A, '2026-11-21T06:00:00.000Z'],
      [TWIN_B, '2026-11-22T06:00:00.000Z'],
    ] as const;
    for (const [id, startedAt] of runs) {
      await store.startRun({ id, sync: 'acme', mode: 'shadow', startedAt });
      await store.finishRun(id, { status: 'failed', finishedAt: startedAt, summary: { message: 'boom', code: 'x' } });
    }
  });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('runs commands take a unique prefix of a run id', () => {
  it('shows a run by its first 8 characters', async () => {
    const result = await runCommand(() => runsShowCommand('3f2a9c1e', { config }));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain(FIRST);
    const json = await runCommand(() => runsShowCommand('3f2a', { config, json: true }));
    expect(JSON.parse(json.stdout)).toMatchObject({ id: FIRST });
  });

  it('diffs a run by a prefix', async () => {
    const result = await runCommand(() => runsDiffCommand('3f2a9', { config }));
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain(FIRST);
  });

  it('lists the candidates of an ambiguous prefix', async () => {
    for (const command of [
      () => runsShowCommand('7b41d2', { config }),
      () => runsDiffCommand('7b41d2', { config }),
      () => runsRetryCommand('7b41d2', { config }),
    ]) {
      const result = await runCommand(command);
      expect(result.status).toBe(EXIT.failed);
      expect(result.stderr).toContain('"7b41d2" is ambiguous');
      expect(result.stderr).toContain(TWIN_A);
      expect(result.stderr).toContain(TWIN_B);
      expect(result.stderr).not.toContain(FIRST);
    }
  });

  it('says an unknown id or prefix is unknown', async () => {
    const result = await runCommand(() => runsShowCommand('deadbeef', { config }));
    expect(result.status).toBe(EXIT.failed);
    expect(result.stderr).toContain('No run "deadbeef"');
    expect(result.stderr).toContain('runs list');
  });

  it('retries a run found by its prefix (a shadow run: nothing to retry)', async () => {
    const result = await runCommand(() => runsRetryCommand('7b41d2a', { config }));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain(TWIN_A);
  });
});
