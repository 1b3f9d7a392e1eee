import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import { cli } from '../../support/cli.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('expansion-sync demo --simulate-quarter', () => {
  it.each(['hubspot', 'salesforce'])(
    '--crm %s: twelve weekly syncs while AEs close deals through the CRM API, then the outcomes and the recalibration',
    async (crm) => {
      dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-quarter-'));
      const result = await cli(['demo', '--crm', crm, '--companies', '80', '--simulate-quarter'], {}, { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout.match(/^Week +\d+ \(\d{4}-\d{2}-\d{2}\): AEs closed \d+ deals/gm)).toHaveLength(12);
      expect(result.stdout).toMatch(/The quarter: \d+ deals closed by AEs \(\d+ won\)/);
      expect(result.stdout).toContain('Expansion deals by label and status');
      expect(result.stdout).toMatch(/Recalibration/);
      // The closes went through the CRM: the worker read them back as outcomes, ours and the AEs' own.
      const store = await openSqliteStore({ dataDir: path.join(dir, '.data/demo') });
      try {
        const outcomes = await store.listOutcomes(crm);
        expect(outcomes.filter((o) => o.status === 'won').length).toBeGreaterThan(0);
        expect(outcomes.filter((o) => o.status === 'lost').length).toBeGreaterThan(0);
        expect(outcomes.some((o) => o.label === 'created' && o.status !== 'open')).toBe(true);
        expect(outcomes.some((o) => o.label !== 'created')).toBe(true);
        expect((await store.listLearning(crm)).length).toBeGreaterThan(1);
      } finally {
        await store.close();
      }
    },
    180_000,
  );
});
