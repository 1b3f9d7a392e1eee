import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/report.ts';
import type { RunRow } from '../../src/cli/render-runs.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { cli } from '../support/cli.ts';
import { AS_OF, defaultUsage, startHarness, type Harness } from '../support/hubspot-harness.ts';
import { usageSeries } from '../support/usage.ts';

// One portal for the whole file: a shadow run, then a live run in which HubSpot refuses Birch in a 207.
let h: Harness;
let shadow: RunReport;
let live: RunReport;
let birch = '';
let removeFault = (): void => undefined;
const MESSAGE = 'Property values were not valid: es_reasons is too long';
// The read-only commands need no token: an empty one proves it.
const runs = (...args: string[]) => cli(['runs', ...args, '--config', h.configPath], { HUBSPOT_TOKEN: '' });

beforeAll(async () => {
  h = await startHarness();
  birch = h.companyId('birch.example');
  removeFault = h.emulator.faults.failRecords({
    objectType: 'companies',
    match: (input) => input.id === birch,
    category: 'VALIDATION_ERROR',
    message: MESSAGE,
  }).remove;
  shadow = await h.run('shadow');
  expect(h.emulator.requests.writes()).toBe(0);
  live = await h.run('live');
  expect(live.status).toBe('partial');
});
afterAll(async () => {
  await h?.close();
});

describe('runs list', () => {
  it('lists the runs newest first with mode, status, accounts, writes and API calls', async () => {
    const result = await runs('list', '--json');
    expect(result.status).toBe(EXIT.ok);
    const rows = JSON.parse(result.stdout) as RunRow[];
    expect(rows.map((r) => [r.id, r.mode, r.status])).toEqual([
      [live.runId, 'live', 'partial'],
      [shadow.runId, 'shadow', 'succeeded'],
    ]);
    expect(rows[0]).toMatchObject({
      accounts: 5,
      writes: { updated: live.writes.account.updated + live.writes.opportunity.updated, failed: 1 },
      apiCalls: live.apiCalls.total,
      rateLimited: 0,
    });
    expect(rows[0]?.durationMs).toBeGreaterThanOrEqual(0);
    const text = await runs('list', '--limit', '1');
    expect(text.stdout).toMatch(/ID\s+Mode\s+Status\s+Started \(UTC\)\s+Duration/);
    expect(text.stdout).toContain(live.runId);
    expect(text.stdout).not.toContain(shadow.runId);
  });
});

describe('runs show', () => {
  it("shows the summary and each failed record with HubSpot's own message and its queue state", async () => {
    const result = await runs('show', live.runId);
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain(`Run ${live.runId} (live)`);
    expect(result.stdout).toMatch(/: partial in \d+\.\d s/);
    expect(result.stdout).toMatch(/API calls\s+\d+ \(/);
    expect(result.stdout).toContain('Failed writes: 1');
    expect(result.stdout).toContain(`companies ${birch} (Birch Logistics): `);
    expect(result.stdout).toContain(MESSAGE);
    expect(result.stdout).toContain('queued: 1 failed attempt since');
    const json = JSON.parse((await runs('show', live.runId, '--json')).stdout) as {
      status: string;
      failedWrites: Array<{ recordKey: string; message: string; queued: { attempts: number } }>;
    };
    expect(json.status).toBe('partial');
    expect(json.failedWrites).toEqual([
      expect.objectContaining({
        recordKey: birch,
        message: expect.stringContaining(MESSAGE),
        queued: expect.objectContaining({ attempts: 1 }),
      }),
    ]);
  });

  it('names an unknown run id and the store, and exits 5', async () => {
    const result = await runs('show', 'no-such-run');
    expect(result.status).toBe(EXIT.failed);
    expect(result.stderr).toContain('No run "no-such-run" in ');
    expect(result.stderr).toContain('state.db');
    expect(result.stderr).toContain('[run_not_found]');
  });
});

describe('runs diff', () => {
  it("shows a shadow run's planned writes field by field, none of which reached the CRM", async () => {
    const result = await runs('diff', shadow.runId);
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain(`Shadow run ${shadow.runId}`);
    expect(result.stdout).toContain('nothing was written to the CRM');
    const acme = h.companyId('acme.example');
    expect(result.stdout).toContain(`update Acme Analytics [${acme}]`);
    expect(result.stdout).toMatch(/\n {6}es_score: \(empty\) -> "\d+"/);
    expect(result.stdout).toMatch(/opportunity creates: [1-9]/);
    const json = JSON.parse((await runs('diff', shadow.runId, '--json')).stdout) as {
      plan: { accountUpdates: Array<{ accountId: string; diffs: Array<{ field: string; from: string | null }> }> };
    };
    expect(json.plan.accountUpdates.find((u) => u.accountId === acme)?.diffs).toContainEqual(
      expect.objectContaining({ field: 'es_health', from: null }),
    );
  });

  it('says a live run was live and shows its writes', async () => {
    const result = await runs('diff', live.runId);
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain(`Run ${live.runId} was live`);
    expect(result.stdout).toContain(`accounts: ${live.writes.account.updated} updated, 1 failed`);
  });
});

describe('runs retry', () => {
  it("writes only the run's failed record once the cause is fixed, and records a retry run", async () => {
    removeFault();
    const acme = h.companyId('acme.example');
    const acmeBefore = h.emulator.getObject('companies', acme)?.properties;
    // Acme's seats keep filling: a normal sync would update it; the retry must not.
    const usage = defaultUsage().filter((d) => d.accountKey !== 'acme.example');
    usage.push(
      ...usageSeries({
        key: 'acme.example',
        asOf: AS_OF,
        days: 60,
        shape: (i) => ({ activeUsers: 40 + Math.floor(i / 6), seatsUsed: 44 + Math.floor(i / 6) }),
      }),
    );
    await h.writeUsage(usage);
    h.emulator.requests.reset();

    const result = await cli(['runs', 'retry', live.runId, '--config', h.configPath], {
      HUBSPOT_TOKEN: h.emulator.token,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain(`Retried 1 failed write of run ${live.runId}`);
    expect(result.stdout).toMatch(new RegExp(`written\\s+companies ${birch} \\(Birch Logistics\\)`));
    expect(h.emulator.getObject('companies', birch)?.properties['es_health']).toBeTruthy();
    expect(h.emulator.getObject('companies', acme)?.properties).toEqual(acmeBefore);
    expect(h.emulator.requests.log().filter((r) => r.write && r.objectType !== 'companies')).toEqual([]);
    expect(await h.withStore((s) => s.listFailures({ system: 'hubspot' }))).toEqual([]);

    const rows = JSON.parse((await runs('list', '--json')).stdout) as RunRow[];
    expect(rows[0]).toMatchObject({
      mode: 'live',
      status: 'succeeded',
      retryOf: live.runId,
      writes: { updated: 1, failed: 0 },
    });
    const again = await runs('show', live.runId);
    expect(again.stdout).toContain('no longer queued');
    // Acme's update was only left for the next run, not lost.
    const next = await h.run('shadow');
    expect(next.plan?.accountUpdates.map((u) => u.accountId)).toContain(acme);
  });
});
