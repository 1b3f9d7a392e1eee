import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigError } from '../../../src/errors.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-sfconfig-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(config: unknown, env: Record<string, string> = {}) {
  const file = path.join(dir, 'config.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  return loadConfig(file, { env });
}

async function refusal(config: unknown, env: Record<string, string> = {}): Promise<ConfigError> {
  const error = await load(config, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
const usage = { source: 'file', path: 'usage.csv' };
const jwt = {
  loginUrl: 'https://acme.my.salesforce.com',
  auth: {
    flow: 'jwt',
    clientId: '3MVG9abc',
    username: 'integration@acme.example',
    privateKey: { env: 'SALESFORCE_PRIVATE_KEY' },
  },
};

describe('crm.salesforce config', () => {
  it('a JWT setup gets its defaults and resolves the private key from the environment', async () => {
    const loaded = await load({ name: 'sf', crm: { salesforce: jwt }, usage }, { SALESFORCE_PRIVATE_KEY: PEM });
    expect(loaded.config.crm.salesforce).toMatchObject({
      apiVersion: '62.0',
      stage: 'Prospecting',
      opportunityType: 'Existing Customer - Upgrade',
      notes: 'content-note',
      maxDailyShare: 0.8,
      overlapSeconds: 300,
      mappings: { accounts: 'mappings/salesforce.accounts.yaml' },
    });
    expect(loaded.secret('crm.salesforce.auth.privateKey')).toBe(PEM);
  });

  it('a consumer secret written into the file is refused without being echoed, naming the variable to use', async () => {
    const error = await refusal({
      name: 'sf',
      crm: {
        salesforce: {
          loginUrl: 'https://acme.my.salesforce.com',
          auth: { flow: 'client_credentials', clientId: 'abc', clientSecret: 'hunter2-very-secret' },
        },
      },
      usage,
    });
    expect(error.message).not.toContain('hunter2-very-secret');
    expect(error.message).toMatch(/crm\.salesforce\.auth\.clientSecret/);
    expect(error.message).toMatch(/SALESFORCE_CLIENT_SECRET/);
  });

  it('an unset private-key variable is named with the fix', async () => {
    const error = await refusal({ name: 'sf', crm: { salesforce: jwt }, usage });
    expect(error.message).toMatch(
      /crm\.salesforce\.auth\.privateKey\.env: environment variable SALESFORCE_PRIVATE_KEY is not set/,
    );
  });

  it('refuses an API version before 62.0 and a config naming both CRMs', async () => {
    const old = await refusal(
      { name: 'sf', crm: { salesforce: { ...jwt, apiVersion: '50.0' } }, usage },
      { SALESFORCE_PRIVATE_KEY: PEM },
    );
    expect(old.message).toMatch(/crm\.salesforce\.apiVersion.*62\.0 or later/s);
    const both = await refusal(
      { name: 'sf', crm: { salesforce: jwt, hubspot: { token: { env: 'HUBSPOT_TOKEN' } } }, usage },
      { SALESFORCE_PRIVATE_KEY: PEM, HUBSPOT_TOKEN: 'pat-x' },
    );
    expect(both.message).toMatch(/exactly one CRM/);
  });
});
