import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startSalesforceEmulator,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
} from '../../connectors/salesforce/emulator/index.ts';
import { rejectionOf } from '../support/rejection.ts';
import { API_VERSION, connect, connection, signJwt, type JsforceError } from '../support/salesforce-emulator.ts';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const USERNAME = 'sync@acme.example';

let emulator: SalesforceEmulator | undefined;
let clock = Date.parse('2026-11-20T12:00:00.000Z');

async function start(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  clock = Date.parse('2026-11-20T12:00:00.000Z');
  emulator = await startSalesforceEmulator({
    now: () => clock,
    clientId: 'consumer-key',
    clientSecret: 'consumer-secret',
    jwtPublicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    seed: { users: [{ Username: USERNAME, LastName: 'Sync', Email: USERNAME }], accounts: [{ Name: 'Acme' }] },
    ...options,
  });
  return emulator;
}

afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: 'consumer-key',
  sub: USERNAME,
  aud: 'https://login.salesforce.com',
  exp: Math.floor(clock / 1000) + 180,
  ...overrides,
});

interface OAuthError {
  readonly name: string;
  readonly message: string;
}

describe('client credentials', () => {
  it('issues a token jsforce establishes: instance URL, org and user ids parsed from `id`, no refresh token', async () => {
    const e = await start();
    const conn = connection(e);
    const info = await conn.authorize({ grant_type: 'client_credentials' });
    expect(conn.instanceUrl).toBe(e.url);
    expect(info.organizationId).toBe(e.orgId);
    expect(info.id).toBe(e.listRecords('User')[0]?.Id);
    expect(conn.refreshToken).toBeUndefined();
    const raw = await fetch(`${e.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=consumer-key&client_secret=consumer-secret',
    });
    expect(raw.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const body = (await raw.json()) as Record<string, string>;
    expect(body).toMatchObject({ token_type: 'Bearer', instance_url: e.url, issued_at: String(clock), scope: 'api' });
    expect(body['id']).toBe(`${e.url}/id/${e.orgId}/${info.id}`);
    expect(body['signature']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(body).not.toHaveProperty('refresh_token');
    expect((await conn.query('SELECT Id, Name FROM Account')).records.map((r) => r['Name'])).toEqual(['Acme']);
    // The identity URL answers for the token's user and is not counted against the daily allocation.
    const before = e.dailyUsage().used;
    expect(await conn.identity()).toMatchObject({ user_id: info.id, organization_id: e.orgId, username: USERNAME });
    expect(e.dailyUsage().used).toBe(before);
  });

  it('refuses a wrong secret (invalid_client), an unknown client (invalid_client_id) and an unknown grant', async () => {
    const e = await start();
    const wrong = await rejectionOf<OAuthError>(
      connection(e, { oauth2: { loginUrl: e.url, clientId: 'consumer-key', clientSecret: 'nope' } }).authorize({
        grant_type: 'client_credentials',
      }),
    );
    expect(wrong).toMatchObject({ name: 'invalid_client', message: 'invalid client credentials' });
    const unknown = await rejectionOf<OAuthError>(
      connection(e, { oauth2: { loginUrl: e.url, clientId: 'other', clientSecret: 'consumer-secret' } }).authorize({
        grant_type: 'client_credentials',
      }),
    );
    expect(unknown.name).toBe('invalid_client_id');
    const grant = await fetch(`${e.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    expect(grant.status).toBe(400);
    expect(await grant.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported',
    });
  });
});

describe('JWT bearer', () => {
  it('accepts an RS256 assertion for a known user and runs as that user', async () => {
    const e = await start();
    const conn = connection(e);
    const info = await conn.authorize({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: signJwt(privateKey, claims()),
    });
    expect(info.id).toBe(e.listRecords('User').find((u) => u['Username'] === USERNAME)?.Id);
    expect(conn.accessToken).toMatch(/^00DHs000000EmuL!/);
  });

  it('refuses a bad signature, wrong aud, expired exp and unknown sub', async () => {
    const e = await start();
    const attempt = (assertion: string) =>
      rejectionOf<OAuthError>(
        connection(e).authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      );
    expect(await attempt(signJwt(other.privateKey, claims()))).toMatchObject({
      name: 'invalid_grant',
      message: 'invalid assertion',
    });
    expect(await attempt(signJwt(privateKey, claims({ aud: 'https://test.salesforce.com' })))).toMatchObject({
      name: 'invalid_grant',
      message: 'audience is invalid',
    });
    expect(await attempt(signJwt(privateKey, claims({ exp: Math.floor(clock / 1000) - 1 })))).toMatchObject({
      name: 'invalid_grant',
      message: 'expired authorization code',
    });
    expect((await attempt(signJwt(privateKey, claims({ sub: 'nobody@acme.example' })))).name).toBe('invalid_grant');
    expect((await attempt(signJwt(privateKey, claims({ iss: 'someone-else' })))).name).toBe('invalid_client_id');
    // The same assertion passes once the emulator clock is back before exp.
    const token = signJwt(privateKey, claims({ exp: Math.floor(clock / 1000) + 10 }));
    clock += 11_000;
    expect((await attempt(token)).message).toBe('expired authorization code');
    clock -= 11_000;
    await expect(
      connection(e).authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: token }),
    ).resolves.toBeDefined();
  });

  it('checks aud against a configured login URL', async () => {
    const e = await start({ loginUrl: 'https://test.salesforce.com' });
    const ok = await connection(e).authorize({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: signJwt(privateKey, claims({ aud: 'https://test.salesforce.com' })),
    });
    expect(ok.organizationId).toBe(e.orgId);
  });
});

/** A self-signed X.509 certificate, as an admin uploads to the connected app; needs the openssl CLI. */
function certificate(): { cert: string; key: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'sf-jwt-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=expansion-sync',
        '-days',
        '1',
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('JWT bearer with a certificate', () => {
  const pair = certificate();
  it.skipIf(pair === undefined)('verifies assertions against an uploaded X.509 certificate', async () => {
    const e = await start({ jwtPublicKey: pair?.cert ?? '' });
    const assertion = signJwt(createPrivateKey(pair?.key ?? ''), claims());
    await expect(
      connection(e).authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    ).resolves.toMatchObject({ organizationId: e.orgId });
    const forged = await rejectionOf<OAuthError>(
      connection(e).authorize({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signJwt(privateKey, claims()),
      }),
    );
    expect(forged.name).toBe('invalid_grant');
  });
});

describe('sessions', () => {
  it('an expired session answers 401 INVALID_SESSION_ID; jsforce calls refreshFn and replays the request', async () => {
    const e = await start();
    const first = await connect(e);
    const refreshed: string[] = [];
    const conn = connection(e, {
      instanceUrl: e.url,
      accessToken: first.accessToken ?? '',
      refreshFn: (_c, callback) => {
        connect(e).then(
          (fresh) => {
            refreshed.push(fresh.accessToken ?? '');
            callback(null, fresh.accessToken ?? '');
          },
          (error: Error) => callback(error),
        );
      },
    });
    expect((await conn.query('SELECT Id FROM Account')).totalSize).toBe(1);
    e.expireSessions();
    const stale = await fetch(`${e.url}/services/data/v62.0/limits`, {
      headers: { authorization: `Bearer ${first.accessToken ?? ''}` },
    });
    expect(stale.status).toBe(401);
    expect(stale.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await stale.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    e.requests.reset();
    const result = await conn.query('SELECT Id, Name FROM Account');
    expect(result.records[0]?.['Name']).toBe('Acme');
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).toBe(refreshed[0]);
    expect(e.requests.log().map((r) => `${r.route} ${r.status}`)).toEqual([
      'GET /query 401',
      'POST /services/oauth2/token 200',
      'GET /query 200',
    ]);
  });

  it('without a refreshFn the 401 surfaces as INVALID_SESSION_ID', async () => {
    const e = await start();
    const first = await connect(e);
    const conn = new Connection({ instanceUrl: e.url, accessToken: first.accessToken ?? '', version: API_VERSION });
    e.expireSessions();
    const error = await rejectionOf<JsforceError>(conn.query('SELECT Id FROM Account'));
    expect(error.errorCode).toBe('INVALID_SESSION_ID');
  });
});
