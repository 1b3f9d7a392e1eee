import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/exit-codes.ts';
import { cli } from '../../support/cli.ts';

// Mistakes on the command line, as users make them, in a child process: commander parses before any command runs.
let dir = '';
let config = '';
let crmCalls = 0;
let server: Server | undefined;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-usage-'));
  server = createServer((req, res) => {
    crmCalls += 1;
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"status":"error","message":"not called"}');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  config = path.join(dir, 'config.json');
  await cp(fileURLToPath(new URL('../../../mappings', import.meta.url)), path.join(dir, 'mappings'), {
    recursive: true,
  });
  await writeFile(
    config,
    JSON.stringify({
      name: 'acme',
      dataDir: 'state',
      crm: { hubspot: { token: { env: 'ES_USAGE_TEST_TOKEN' }, basePath: `http://127.0.0.1:${port}` } },
      usage: { source: 'file', path: 'usage.csv' },
    }),
  );
  await writeFile(path.join(dir, 'usage.csv'), 'account_id,date,active_users,seats_used\n');
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const env = { ES_USAGE_TEST_TOKEN: 'pat-test' };

describe('usage errors', () => {
  it('refuses --as-of that is not YYYY-MM-DD before any CRM call, naming the option and the format', async () => {
    const result = await cli(['sync', '--config', config, '--as-of', '12/04/2026'], env);
    expect(result.status).toBe(EXIT.usage);
    expect(result.stderr).toContain("'--as-of <date>'");
    expect(result.stderr).toContain('YYYY-MM-DD');
    expect(result.stderr).not.toMatch(/Invalid time value/);
    expect(crmCalls).toBe(0);
  });

  it('refuses --as-of that is no real calendar day, on sync and on runs retry', async () => {
    for (const args of [
      ['sync', '--config', config, '--as-of', '2026-02-30'],
      ['runs', 'retry', 'abc', '--config', config, '--as-of', '2026-13-01'],
    ]) {
      const result = await cli(args, env);
      expect(result.status).toBe(EXIT.usage);
      expect(result.stderr).toContain("'--as-of <date>'");
    }
    expect(crmCalls).toBe(0);
  });

  it('gives a missing --config, an unknown command and an unknown option the usage exit code, not "some records failed"', async () => {
    for (const [args, message] of [
      [['sync'], /required option '-c, --config <file>' not specified/],
      [['synk'], /unknown command 'synk'/],
      [['sync', '--config', config, '--dryrun'], /unknown option '--dryrun'/],
      [['runs', 'show', '--config', config], /missing required argument 'id'/],
    ] as const) {
      const result = await cli(args, env);
      expect(result.status, args.join(' ')).toBe(EXIT.usage);
      expect(result.status).not.toBe(EXIT.partial);
      expect(result.stderr).toMatch(message);
    }
    expect(crmCalls).toBe(0);
  });

  it('still exits 0 for --help', async () => {
    const result = await cli(['sync', '--help']);
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain('--as-of <date>');
  });
});
