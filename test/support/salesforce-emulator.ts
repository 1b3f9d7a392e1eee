import { sign, type KeyObject } from 'node:crypto';
import { Connection } from 'jsforce';
import type { SalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';

// jsforce routes through HTTP(S)_PROXY when set; the emulator is on 127.0.0.1.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[name];

export const API_VERSION = '62.0';

/** A jsforce connection to the emulator, not yet authorized. */
export function connection(
  emulator: SalesforceEmulator,
  extra: Partial<ConstructorParameters<typeof Connection>[0]> = {},
): Connection {
  return new Connection({
    loginUrl: emulator.url,
    version: API_VERSION,
    oauth2: { loginUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret },
    ...extra,
  });
}

/** A connection authorized with the client-credentials flow. */
export async function connect(emulator: SalesforceEmulator): Promise<Connection> {
  const conn = connection(emulator);
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}

/** An RS256 JWT signed by hand, as the JWT bearer flow expects. */
export function signJwt(privateKey: KeyObject, claims: Readonly<Record<string, unknown>>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** The fields of a jsforce HttpApiError. */
export interface JsforceError {
  readonly name: string;
  readonly errorCode: string;
  readonly message: string;
}
