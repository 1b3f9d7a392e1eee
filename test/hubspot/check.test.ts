import { afterEach, describe, expect, it } from 'vitest';
import { REQUIRED_SCOPES } from '../../connectors/hubspot/scopes.ts';
import { cli } from '../support/cli.ts';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const check = (h: Harness, token = h.emulator.token) =>
  cli(['check', '--config', h.configPath], { HUBSPOT_TOKEN: token });

describe('expansion-sync check (real SDK against the emulator)', () => {
  it('passes on a fresh portal: token, scopes and mapped properties, and lists the fields the first sync creates', async () => {
    harness = await startHarness();
    const result = await check(harness);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/ok +token/);
    expect(result.stdout).toMatch(new RegExp(`ok +scopes: all ${REQUIRED_SCOPES.length} required scopes are granted`));
    expect(result.stdout).toMatch(/ok +deals properties: .*created on the first sync/);
    expect(result.stdout).toMatch(/write fields to be created on the first sync: .*deals\.expansion_key/);
    expect(harness.emulator.requests.writes()).toBe(0);
  });

  it('names the scopes a private app lacks, and exits 2', async () => {
    harness = await startHarness({
      emulator: {
        scopes: REQUIRED_SCOPES.filter((s) => s !== 'crm.schemas.deals.write' && s !== 'crm.objects.deals.write'),
      },
    });
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(
      /FAIL scopes: the private app lacks crm\.objects\.deals\.write, crm\.schemas\.deals\.write/,
    );
  });

  it('names a mapped property the portal does not have, with the mapping file to fix', async () => {
    harness = await startHarness();
    const deleted = await fetch(`${harness.emulator.url}/crm/v3/properties/companies/plan_tier`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${harness.emulator.token}` },
    });
    expect(deleted.status).toBe(204);
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(
      /FAIL companies properties: mapped but missing in the portal: plan_tier \(fix .*hubspot\.companies\.yaml\)/,
    );
  });

  it('a rejected token fails the token check and exits 3, without printing the token', async () => {
    harness = await startHarness();
    const result = await check(harness, 'pat-na1-not-the-right-one');
    expect(result.status).toBe(3);
    expect(`${result.stdout}${result.stderr}`).not.toContain('pat-na1-not-the-right-one');
    expect(`${result.stdout}${result.stderr}`).toMatch(/token|credentials|authenticat/i);
  });
});
