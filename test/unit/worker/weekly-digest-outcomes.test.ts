import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { silentLogger } from '../../../src/logger.ts';
import { sendWeeklyDigest } from '../../../src/worker/run-alerts.ts';
import { assessment, stored } from '../alerts/fixtures.ts';
import { startReceiver, type Receiver } from '../alerts/receiver.ts';
import { scenario } from '../outcomes/stats-fixtures.ts';
import { storeIn } from '../../support/store.ts';

let dir = '';
let receiver: Receiver | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-digest-'));
  receiver = await startReceiver();
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      name: 'acme',
      dataDir: 'state',
      crm: { hubspot: { token: { env: 'ES_TEST_TOKEN' } } },
      usage: { source: 'file', path: 'usage.csv' },
      alerts: { webhook: { url: { env: 'ES_TEST_WEBHOOK' } } },
    }),
  );
  const { outcomes, pitches, sightings } = scenario();
  await storeIn(path.join(dir, 'state'))(async (store) => {
    await store.saveAssessments('run-1', [
      stored({ accountId: 'A', accountName: 'Acme', ownerId: '77', ownerName: 'Dana Reyes', assessment: assessment() }),
      stored({
        accountId: 'H',
        accountName: 'Hooli',
        ownerId: '88',
        ownerName: 'Lee Park',
        assessment: assessment({ accountId: 'H' }),
      }),
    ]);
    await store.savePitches(pitches);
    await store.upsertOutcomes(outcomes);
    await store.recordSignalSightings(sightings);
  });
});
afterAll(async () => {
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the worker sends the weekly digest with the stored outcomes', () => {
  it("seed 004's outcome figures, signal conversion with intervals and the CSM leaderboard reach the webhook", async () => {
    const loaded = await loadConfig(path.join(dir, 'config.json'), {
      env: { ES_TEST_TOKEN: 'pat-test', ES_TEST_WEBHOOK: `${receiver?.base}/generic` },
    });
    await storeIn(path.join(dir, 'state'))((store) =>
      sendWeeklyDigest({ loaded, store, log: silentLogger(), now: new Date('2026-03-04T08:00:00.000Z') }),
    );
    const [body] = (receiver?.json('/generic') ?? []) as { kind: string; text: string }[];
    expect(body?.kind).toBe('weekly_digest');
    expect(body?.text).toContain('🆕 New signals this week: 2 accounts');
    expect(body?.text).toContain('✅ Closed this week: 1 | $0 won (0 won)');
    expect(body?.text).toContain('📈 Expansion rate: 50% (3 won of 6 closed, last 90 days)');
    expect(body?.text).toContain('Seat utilization | 2 | 73% (90% CI 52–90%), n=3');
    expect(body?.text).toContain('CSM | Opportunities | Pipeline | Closed');
    expect(body?.text).toContain('Lee Park | 1 | $7,000 | $2,000');
  });
});
