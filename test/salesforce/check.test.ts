import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';

let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const check = (h: SalesforceHarness, secret = h.emulator.clientSecret) =>
  cli(['check', '--config', h.configPath], { SALESFORCE_CLIENT_SECRET: secret });

describe('expansion-sync check against Salesforce (jsforce against the emulator)', () => {
  it('passes on a fresh org and lists the custom fields the first sync creates, writing nothing', async () => {
    harness = await startSalesforceHarness();
    const result = await check(harness);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/ok +auth: signed in; API usage today \d+ of 15000/);
    expect(result.stdout).toMatch(/ok +Account fields: every mapped Account field exists/);
    expect(result.stdout).toMatch(/write fields to be created on the first sync: .*Opportunity\.Expansion_Key__c/);
    expect(harness.emulator.requests.writes()).toBe(0);
  });

  it('reports a field the worker writes that the integration user cannot update, and exits 2', async () => {
    harness = await startSalesforceHarness();
    harness.emulator.addField('Account', {
      name: 'Expansion_Score__c',
      type: 'double',
      precision: 3,
      scale: 0,
      updateable: false,
    });
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/FAIL Account fields: written but not updateable by this user: Expansion_Score__c/);
  });

  it('a wrong client secret fails the auth check and exits 3, without printing the secret', async () => {
    harness = await startSalesforceHarness();
    const result = await check(harness, 'not-the-secret-at-all');
    expect(result.status).toBe(3);
    expect(`${result.stdout}${result.stderr}`).not.toContain('not-the-secret-at-all');
  });
});
