import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigError } from '../../../src/errors.ts';
import { createLogger, redactUrlUserInfo } from '../../../src/logger.ts';

const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const SECRET = 'S3cr3tT0ken';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-urlcred-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(config: unknown): Promise<unknown> {
  const file = path.join(dir, 'config.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  return loadConfig(file, { env: { HUBSPOT_TOKEN: TOKEN } }).then(
    () => undefined,
    (e: unknown) => e,
  );
}

const withBasePath = (basePath: string): unknown => ({
  name: 'acme',
  crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' }, basePath } },
  usage: { source: 'file', path: 'usage.csv' },
});

describe('credentials in config URLs', () => {
  it('refuses user:password in crm.hubspot.basePath, naming the path and never echoing the secret', async () => {
    const error = await load(withBasePath(`http://user:${SECRET}@crm.example:8080/`));
    expect(error).toBeInstanceOf(ConfigError);
    const config = error as ConfigError;
    const issue = config.issues.find((i) => i.path === 'crm.hubspot.basePath');
    expect(issue?.message).toMatch(/credential/i);
    expect(issue?.line).toBeGreaterThan(0);
    const printed = `${config.message}\n${JSON.stringify(config.issues)}`;
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain('user:');
  });

  it('refuses a user name alone too', async () => {
    const error = await load(withBasePath(`https://${SECRET}@crm.example`));
    expect(error).toBeInstanceOf(ConfigError);
    expect(JSON.stringify((error as ConfigError).issues)).not.toContain(SECRET);
  });

  it('accepts a URL without user-info', async () => {
    expect(await load(withBasePath('http://127.0.0.1:4010'))).toBeUndefined();
  });
});

describe('log lines never carry URL user-info', () => {
  it('redacts user-info in messages, fields and errors', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const logger = createLogger({ destination: out, level: 'info' });
    const url = `http://user:${SECRET}@crm.example/crm/v3`;
    logger.info({ basePath: url, nested: { list: [url] } }, `calling ${url}`);
    logger.error({ err: new Error(`request to ${url} failed`) }, 'failed');
    logger.warn(new Error(`connect ECONNREFUSED ${url}`));
    await new Promise((resolve) => setImmediate(resolve));
    const text = chunks.join('');
    expect(text).toContain('crm.example/crm/v3');
    expect(text).not.toContain(SECRET);
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('redactUrlUserInfo keeps the rest of the URL', () => {
    expect(redactUrlUserInfo(`see https://bob:${SECRET}@example.com/x?q=1 and http://ok.example`)).toBe(
      'see https://[redacted]@example.com/x?q=1 and http://ok.example',
    );
  });
});
