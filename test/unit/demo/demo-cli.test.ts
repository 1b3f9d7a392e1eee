import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/engine/report.ts';
import { cli } from '../../support/cli.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('expansion-sync demo', () => {
  it.each(['hubspot', 'salesforce'])(
    '--crm %s runs two real syncs on the emulator: the second writes nothing',
    async (crm) => {
      dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-demo-'));
      const result = await cli(['demo', '--crm', crm, '--companies', '60'], {}, { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Top \d+ opportunities/);
      const first = JSON.parse(await readFile(path.join(dir, '.data/demo/run-1.json'), 'utf8')) as RunReport;
      const second = JSON.parse(await readFile(path.join(dir, '.data/demo/run-2.json'), 'utf8')) as RunReport;
      expect(first.system).toBe(crm);
      expect(first.scored).toBe(60);
      expect(first.writes.opportunity.created).toBeGreaterThan(0);
      expect(first.writes.note.created).toBe(first.writes.opportunity.created);
      expect(
        second.writes.account.updated +
          second.writes.opportunity.created +
          second.writes.opportunity.updated +
          second.writes.note.created,
      ).toBe(0);
    },
  );
});
