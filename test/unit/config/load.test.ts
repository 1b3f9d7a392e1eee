import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigError, type ConfigIssue } from '../../../src/errors.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/config/', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../config.example.json', import.meta.url));
const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

function issueAt(error: ConfigError, issuePath: string): ConfigIssue {
  const issue = error.issues.find((i) => i.path === issuePath);
  expect(issue, `no issue at ${issuePath}; got ${error.issues.map((i) => i.path).join(', ')}`).toBeDefined();
  return issue!;
}

const minimal = {
  name: 'acme',
  crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' } } },
  usage: { source: 'file', path: 'usage.csv' },
};

describe('loadConfig', () => {
  it('loads the shipped example with its defaults, resolving paths against the config file', async () => {
    const loaded = await loadConfig(EXAMPLE, { env: { HUBSPOT_TOKEN: TOKEN } });
    expect(loaded.file).toBe(EXAMPLE);
    expect(loaded.config.crm.hubspot?.rateLimit.perTenSeconds).toBe(190);
    expect(loaded.config.usage.joinOn).toBe('domain');
    const { usage } = loaded.config;
    expect(usage.source === 'file' && loaded.resolvePath(usage.path)).toBe(
      path.join(path.dirname(EXAMPLE), 'data', 'usage.csv'),
    );
    expect(loaded.resolvePath('/abs/usage.csv')).toBe('/abs/usage.csv');
  });

  it('resolves a relative --config path and keeps relative paths relative to the file, not the working directory', async () => {
    const loaded = await loadConfig(path.relative(process.cwd(), path.join(FIXTURES, 'valid.json')), {
      env: { HUBSPOT_TOKEN: TOKEN },
    });
    expect(loaded.baseDir).toBe(FIXTURES.replace(/\/$/, ''));
    expect(loaded.resolvePath(loaded.config.crm.hubspot?.mappings.companies ?? '')).toBe(
      path.resolve(FIXTURES, '../mappings/companies.yaml'),
    );
  });

  it('resolves the token from the environment and keeps it out of the config object', async () => {
    const loaded = await loadConfig(await write('config.json', minimal), { env: { HUBSPOT_TOKEN: TOKEN } });
    expect(loaded.secret('crm.hubspot.token')).toBe(TOKEN);
    expect(loaded.config.crm.hubspot?.token).toEqual({ env: 'HUBSPOT_TOKEN' });
    expect(JSON.stringify(loaded)).not.toContain(TOKEN);
  });

  it('names the missing file and how to fix it', async () => {
    const missing = path.join(dir, 'nope.json');
    const error = await configError(loadConfig(missing));
    expect(error.message).toContain(missing);
    expect(error.issues[0]?.message).toMatch(/does not exist/);
    expect(error.issues[0]?.fix).toMatch(/--config/);
    expect(error.kind).toBe('config');
  });

  it('points at the line and column of a JSON syntax error without quoting the file', async () => {
    const file = await write(
      'config.json',
      '{\n  "name": "acme",\n  "crm": { "hubspot": { "token": "pat-secret-123" } },,\n  "usage": {}\n}\n',
    );
    const error = await configError(loadConfig(file));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.line).toBe(3);
    expect(error.issues[0]?.message).toMatch(/line 3 column 55/);
    expect(error.message).not.toContain('pat-secret-123');
  });

  it('locates a JSON error V8 reports without a position', async () => {
    const file = await write('config.json', '{\n  "name": "acme",\n  "dataDir": tru\n}\n');
    const error = await configError(loadConfig(file));
    expect(error.issues[0]?.line).toBe(3);
  });

  it("reports every problem at once, each with its JSON path, line and a fix in the user's terms", async () => {
    const file = path.join(FIXTURES, 'many-problems.json');
    const error = await configError(loadConfig(file, { env: {} }));
    expect(error.issues.map((i) => [i.path, i.line])).toEqual([
      ['name', 2],
      ['crm.hubspot.token', 5],
      ['crm.hubspot.pipelin', 6],
      ['crm.hubspot.rateLimit.perTenSeconds', 7],
      ['usage.formt', 10],
      ['usage.joinOn', 10],
      ['writeBack.enabled', 11],
    ]);
    expect(issueAt(error, 'crm.hubspot.pipelin').fix).toMatch(
      /remove it or check its spelling \(did you mean "pipeline"\?\); known keys: token, basePath, rateLimit/,
    );
    expect(issueAt(error, 'usage.formt').fix).toMatch(/did you mean "format"/);
    expect(issueAt(error, 'usage.joinOn').fix).toBe('use one of: domain, id, usageKey');
    expect(issueAt(error, 'crm.hubspot.rateLimit.perTenSeconds').fix).toBe('use a number greater than 0');
    expect(issueAt(error, 'writeBack.enabled').fix).toMatch(/true or false/);
    expect(issueAt(error, 'name').fix).toMatch(/lowercase letters, digits/);
    expect(error.message).toContain(`${file}:6 at crm.hubspot.pipelin`);
  });

  it('refuses a literal token, says to move it to an environment variable, and never repeats it', async () => {
    const error = await configError(loadConfig(path.join(FIXTURES, 'many-problems.json'), { env: {} }));
    const issue = issueAt(error, 'crm.hubspot.token');
    expect(issue.message).toMatch(/environment variable/);
    expect(issue.fix).toMatch(/export HUBSPOT_TOKEN=.*\{"env": "HUBSPOT_TOKEN"\}/);
    expect(error.message).not.toContain('pat-na1-0000-literal-secret');
    expect(JSON.stringify(error.issues)).not.toContain('literal-secret');
  });

  it('reports an unset variable with the export to run, together with the other problems', async () => {
    const file = await write('config.json', { ...minimal, dataDir: 3 });
    const error = await configError(loadConfig(file, { env: {} }));
    const issue = issueAt(error, 'crm.hubspot.token.env');
    expect(issue.message).toBe('environment variable HUBSPOT_TOKEN is not set');
    expect(issue.fix).toBe('export HUBSPOT_TOKEN=<your private app token>');
    expect(issue.line).toBe(6);
    expect(issueAt(error, 'dataDir').message).toMatch(/expected a string, got 3/);
  });

  it('treats an empty variable as unset', async () => {
    const error = await configError(loadConfig(await write('config.json', minimal), { env: { HUBSPOT_TOKEN: '' } }));
    expect(issueAt(error, 'crm.hubspot.token.env').message).toBe('environment variable HUBSPOT_TOKEN is empty');
  });

  it('does not echo a token pasted where the variable name belongs', async () => {
    const file = await write('config.json', { ...minimal, crm: { hubspot: { token: { env: TOKEN } } } });
    const error = await configError(loadConfig(file, { env: {} }));
    expect(issueAt(error, 'crm.hubspot.token.env').message).toMatch(/not an environment variable name/);
    expect(error.message).not.toContain(TOKEN);
  });

  it('says which required key is missing and what it is for', async () => {
    const file = await write('config.json', { crm: minimal.crm });
    const error = await configError(loadConfig(file, { env: { HUBSPOT_TOKEN: TOKEN } }));
    expect(issueAt(error, 'name')).toMatchObject({ message: 'missing required key "name"', line: 1 });
    expect(issueAt(error, 'name').fix).toMatch(/^add it: Name of this sync/);
    expect(issueAt(error, 'usage').message).toBe('missing required key "usage"');
  });

  it('catches a misspelt key beside the usage source', async () => {
    const file = await write('config.json', { ...minimal, usage: { source: 'file', path: 'usage.csv', joinon: 'id' } });
    const error = await configError(loadConfig(file, { env: { HUBSPOT_TOKEN: TOKEN } }));
    expect(issueAt(error, 'usage.joinon').fix).toMatch(/did you mean "joinOn"/);
  });

  it('reports a key written twice, since only one would count', async () => {
    const file = await write('config.json', '{\n  "name": "a",\n  "name": "b"\n}\n');
    const error = await configError(loadConfig(file));
    expect(error.issues[0]).toMatchObject({ line: 3, message: 'key "name" appears twice in the same object' });
  });
});
