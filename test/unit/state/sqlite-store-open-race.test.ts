import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs.ts';

const { makeDir } = useTempDirs();
const CHILD = fileURLToPath(new URL('./open-store-child.ts', import.meta.url));
const run = promisify(execFile);

describe('opening a fresh store from two processes at once', () => {
  it('both open it (two workers starting together): the busy WAL switch and migrations are retried', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 8; round += 1) {
      const dir = await makeDir();
      const at = String(Date.now() + 700);
      const results = await Promise.all([
        run(process.execPath, [CHILD, dir, at]),
        run(process.execPath, [CHILD, dir, at]),
      ]);
      outcomes.push(...results.map((r) => r.stdout));
    }
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
  }, 60_000);
});
