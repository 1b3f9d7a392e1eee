import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The text HubSpot's INVALID_OPTION body repeats for every option of the property. */
const RAW_OPTION = 'display_order: 0';

describe('a CRM error is stored and shown once, cut to a readable length', () => {
  it('a deal stage typo: each failed deal has a short message naming the stage, in the store and in runs show', async () => {
    harness = await startHarness({ hubspot: { stage: 'apointmentscheduled' } });
    const report = await harness.run('live');
    const failed = report.failures.filter((f) => f.object === 'deals');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(f.message.length).toBeLessThanOrEqual(300);
      expect(f.message).toMatch(
        /dealstage: apointmentscheduled was not one of the allowed options: appointmentscheduled/,
      );
      expect(f.message.split('was not one of the allowed options').length - 1).toBe(1);
      expect(f.message).not.toContain(RAW_OPTION);
    }
    const shown = await cli(['runs', 'show', report.runId, '--config', harness.configPath], {
      HUBSPOT_TOKEN: harness.emulator.token,
    });
    expect(shown.status).toBe(0);
    const lines = shown.stdout.split('\n').filter((l) => l.includes('apointmentscheduled'));
    expect(lines).toHaveLength(failed.length);
    for (const line of lines) {
      expect(line.split('was not one of the allowed options').length - 1).toBe(1);
      expect(line.length).toBeLessThan(450);
    }
    expect(shown.stdout).not.toContain(RAW_OPTION);
    expect(shown.stdout.length).toBeLessThan(3_000);
  });
});

describe('a run against a host that never answered fails fast', () => {
  it('sync with a refused connection on its first call exits 5 within seconds, naming the host', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    harness = await startHarness({ hubspot: { basePath: `http://127.0.0.1:${port}` } });
    const started = Date.now();
    const result = await cli(['sync', '--config', harness.configPath], { HUBSPOT_TOKEN: harness.emulator.token });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe(5);
    expect(result.stderr).toMatch(new RegExp(`cannot reach HubSpot: 127\\.0\\.0\\.1:${port} refused the connection`));
    expect(result.stderr).not.toContain(harness.emulator.token);
  });
});
