import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Connection } from 'jsforce';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { API_VERSION } from '../support/salesforce-emulator.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Starts `expansion-sync emulator salesforce` and resolves with its banner once it is listening. */
function startCli(args: readonly string[]): Promise<{ banner: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'emulator', 'salesforce', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    let banner = '';
    child.on('error', reject);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      banner += chunk;
      if (banner.includes('Press Ctrl+C')) resolve({ banner, stop: () => (child.kill('SIGINT'), exited) });
    });
    void exited.then((status) => reject(new Error(`emulator exited early (${String(status)}): ${banner}`)));
  });
}

describe('expansion-sync emulator salesforce', () => {
  it('prints URL and client credentials that jsforce can log in with, serving the demo portfolio', async () => {
    const { banner, stop } = await startCli(['--port', '0', '--seed', 'demo']);
    try {
      const url = /listening on (http:\/\/\S+)/.exec(banner)?.[1] ?? '';
      const clientId = /client id: (\S+)/.exec(banner)?.[1] ?? '';
      const clientSecret = /client secret: (\S+)/.exec(banner)?.[1] ?? '';
      const conn = new Connection({
        loginUrl: url,
        version: API_VERSION,
        oauth2: { loginUrl: url, clientId, clientSecret },
      });
      await conn.authorize({ grant_type: 'client_credentials' });
      const accounts = await conn.query('SELECT Id, Name, Owner.Email FROM Account');
      expect(accounts.totalSize).toBe(300);
      expect(String((accounts.records[0]?.['Owner'] as { Email: string }).Email)).toMatch(/@vendor\.example$/);
      const fields = (await conn.sobject('Account').describe()).fields.map((f) => f.name);
      expect(fields).toEqual(
        expect.arrayContaining(['ARR__c', 'Licensed_Seats__c', 'Plan__c', 'Modules_Owned__c', 'Renewal_Date__c']),
      );
    } finally {
      expect(await stop()).toBe(0);
    }
  });

  it('names both systems when asked for an unknown one', async () => {
    const result = await cli(['emulator', 'pipedrive']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('available: hubspot, salesforce');
  });
});
