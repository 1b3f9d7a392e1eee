import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const check = (h: SalesforceHarness) =>
  cli(['check', '--config', h.configPath], { SALESFORCE_CLIENT_SECRET: h.emulator.clientSecret });

describe('expansion-sync check: the Opportunity stage against the StageName picklist', () => {
  it('passes the default stage and says where new opportunities go', async () => {
    harness = await startSalesforceHarness();
    const result = await check(harness);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/ok +opportunity stage: new opportunities go to stage "Prospecting"/);
    expect(result.stdout).toMatch(/ok +owners: \d+ owners/);
  });

  it('fails a stage that is not a picklist value, naming the valid ones, and exits 2', async () => {
    harness = await startSalesforceHarness({ salesforce: { stage: 'prospecting' } });
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(
      /FAIL opportunity stage: crm\.salesforce\.stage "prospecting" is not an active Opportunity StageName value \(did you mean "Prospecting"\?.*\); valid: Prospecting, /,
    );
  });
});
