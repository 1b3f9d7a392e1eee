import { describe, expect, it } from 'vitest';
import type { StoredAssessment } from '../../../src/state/store.ts';
import { useTempDirs } from './temp-dirs.ts';

const { makeDir, openStore } = useTempDirs();

const row = (accountId: string, extra: Partial<StoredAssessment> = {}): StoredAssessment => ({
  system: 'hubspot',
  accountId,
  accountName: `Account ${accountId}`,
  ownerId: '1002',
  runId: 'run-1',
  asOf: '2026-11-30',
  assessment: { accountId },
  ...extra,
});

describe('stored assessments and the owner name', () => {
  it('keeps the owner name with the assessment, and reads rows saved without one as having none', async () => {
    const store = await openStore(await makeDir());
    await store.saveAssessments('run-1', [row('A1', { ownerName: 'Dana Whitfield' }), row('B2')]);
    expect(await store.getAssessment('hubspot', 'A1')).toMatchObject({ ownerId: '1002', ownerName: 'Dana Whitfield' });
    expect(await store.getAssessment('hubspot', 'B2')).not.toHaveProperty('ownerName');
    await store.saveAssessments('run-2', [row('A1', { ownerName: 'Dana Reyes' })]);
    expect((await store.listAssessments('hubspot')).map((a) => a.ownerName)).toEqual(['Dana Reyes', undefined]);
  });
});
