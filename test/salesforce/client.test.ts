import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSalesforceClient,
  guardQuota,
  type SalesforceAuth,
  type SalesforceClient,
} from '../../connectors/salesforce/client.ts';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
} from '../../connectors/salesforce/emulator/index.ts';
import { isSyncError } from '../../src/errors.ts';
import { silentLogger } from '../../src/logger.ts';

const USER = {
  Username: 'integration@acme.example',
  FirstName: 'Integration',
  LastName: 'User',
  Email: 'integration@acme.example',
  IsActive: true,
};
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

let emulator: SalesforceEmulator | undefined;
let client: SalesforceClient | undefined;
afterEach(async () => {
  await client?.stop();
  await emulator?.stop();
  client = undefined;
  emulator = undefined;
});

async function start(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  emulator = await startSalesforceEmulator({
    jwtPublicKey: keys.publicKey,
    seed: {
      users: [USER],
      accounts: [
        { Name: 'Acme Analytics', Website: 'acme.example' },
        { Name: 'Birch Logistics', Website: 'birch.example' },
      ],
    },
    ...options,
  });
  return emulator;
}

type AuthOverrides = { readonly flow: 'jwt'; readonly privateKey?: string } | { readonly flow: 'client_credentials' };

function connect(
  e: SalesforceEmulator,
  overrides: AuthOverrides,
  extra: { maxDailyShare?: number } = {},
): SalesforceClient {
  const auth: SalesforceAuth =
    overrides.flow === 'jwt'
      ? {
          flow: 'jwt',
          loginUrl: e.url,
          clientId: e.clientId,
          username: USER.Username,
          privateKey: overrides.privateKey ?? keys.privateKey,
          audience: e.loginUrl,
        }
      : { flow: 'client_credentials', loginUrl: e.url, clientId: e.clientId, clientSecret: e.clientSecret };
  client = createSalesforceClient({ auth, apiVersion: '62.0', log: silentLogger(), sleep: async () => {}, ...extra });
  return client;
}

const names = (c: SalesforceClient) =>
  c.call('accounts.read', async (conn) =>
    (await conn.query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name')).records.map((r) => r.Name),
  );

describe('Salesforce client through jsforce (against the emulator)', () => {
  it('signs in with client credentials against the My Domain URL and queries on API 62.0', async () => {
    const e = await start();
    const c = connect(e, { flow: 'client_credentials' });
    expect(await names(c)).toEqual(['Acme Analytics', 'Birch Logistics']);
    expect(c.conn.version).toBe('62.0');
    expect(e.requests.count({ path: '/services/data/v62.0/query' })).toBe(1);
    expect(c.stats().apiUsage).toEqual({ used: e.dailyUsage().used, limit: 15_000 });
  });

  it('signs in with a JWT bearer assertion signed by the configured key', async () => {
    const e = await start();
    expect(await names(connect(e, { flow: 'jwt' }))).toHaveLength(2);
  });

  it('a JWT signed by another key is refused as an auth failure, naming no secret', async () => {
    const e = await start();
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const c = connect(e, { flow: 'jwt', privateKey: other.privateKey });
    const error = await names(c).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toContain('PRIVATE KEY');
  });

  it('an expired session mid-run is renewed by running the grant again, and the call goes through', async () => {
    const e = await start();
    const c = connect(e, { flow: 'jwt' });
    await names(c);
    const tokenBefore = c.conn.accessToken;
    e.expireSessions();
    expect(await names(c)).toHaveLength(2);
    expect(c.conn.accessToken).not.toBe(tokenBefore);
    expect(e.requests.count({ path: '/services/oauth2/token' })).toBe(2);
  });

  it('REQUEST_LIMIT_EXCEEDED ends the call as a quota stop, without retrying', async () => {
    const e = await start();
    const c = connect(e, { flow: 'client_credentials' });
    await names(c);
    e.setDailyUsage(15_000);
    const error = await names(c).catch((thrown: unknown) => thrown);
    expect(isSyncError(error) && error.kind).toBe('quota');
    expect(isSyncError(error) && error.code).toBe('salesforce_daily_limit');
    expect(e.requests.count({ path: '/services/data/v62.0/query', status: 403 })).toBe(1);
  });

  it('stops before passing the configured share of the daily allocation', async () => {
    const e = await start();
    const c = connect(e, { flow: 'client_credentials' }, { maxDailyShare: 0.5 });
    await names(c);
    e.setDailyUsage(7_600);
    await names(c); // this response reports 7,601 of 15,000: past half
    const queries = e.requests.count({ path: '/services/data/v62.0/query' });
    const error = await names(c).catch((thrown: unknown) => thrown);
    expect(isSyncError(error) && error.code).toBe('salesforce_quota_share');
    expect(String((error as Error).message)).toMatch(/7,601 of 15,000 daily requests, the 50%/);
    expect(e.requests.count({ path: '/services/data/v62.0/query' })).toBe(queries);
  });
});

describe('guardQuota', () => {
  it.each([
    [{ used: 10, limit: 100 }, 0.5, false],
    [{ used: 50, limit: 100 }, 0.5, true],
    [{ used: 99, limit: 100 }, 1, false],
    [undefined, 0.1, false],
  ] as const)('%j at share %d stops: %s', (usage, share, stops) => {
    const attempt = () => guardQuota(usage, share);
    if (stops) expect(attempt).toThrow(/the run stops here/);
    else expect(attempt).not.toThrow();
  });
});
