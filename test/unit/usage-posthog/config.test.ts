import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseUsageQuery } from '../../../connectors/usage-posthog/emulator/hogql.ts';
import { usageQueryText } from '../../../connectors/usage-posthog/query.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigError } from '../../../src/errors.ts';

/** The `usage` block for PostHog as the config loader takes it, and the query text it leads to. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-posthog-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ENV = { HUBSPOT_TOKEN: 'pat-na1-1', POSTHOG_API_KEY: 'phx_secret_value' };

async function load(usage: Record<string, unknown>, env: Record<string, string> = ENV) {
  const file = path.join(dir, 'config.json');
  const config = { name: 'acme', crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' } } }, usage };
  await writeFile(file, JSON.stringify(config, null, 2));
  return loadConfig(file, { env });
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const USAGE = {
  source: 'posthog',
  host: 'https://eu.posthog.com',
  projectId: 12345,
  apiKey: { env: 'POSTHOG_API_KEY' },
  groupIndex: 2,
  events: ['report_created'],
};

describe('usage.source "posthog" in the config', () => {
  it('loads with its defaults and resolves the API key from the environment', async () => {
    const loaded = await load(USAGE);
    expect(loaded.config.usage).toMatchObject({
      source: 'posthog',
      projectId: '12345',
      activeUsersFrom: 'person',
      pageSize: 10_000,
      joinOn: 'domain',
    });
    expect(loaded.secret('usage.apiKey')).toBe('phx_secret_value');
  });

  it('refuses a host with credentials in it, without quoting them', async () => {
    const error = await configError(load({ ...USAGE, host: 'https://me:phx_pasted@eu.posthog.com' }));
    expect(error.issues.map((i) => i.path)).toContain('usage.host');
    expect(error.message).not.toContain('phx_pasted');
  });

  it('refuses an API key written in the file and names an unset variable', async () => {
    const literal = await configError(load({ ...USAGE, apiKey: 'phx_in_the_file' }));
    expect(literal.issues.map((i) => i.path)).toContain('usage.apiKey');
    expect(literal.message).not.toContain('phx_in_the_file');
    const unset = await configError(load(USAGE, { HUBSPOT_TOKEN: 'pat-na1-1' }));
    expect(unset.message).toMatch(/POSTHOG_API_KEY is not set/);
  });

  it('refuses a group index PostHog does not have, a page over 50,000 rows and an unknown key', async () => {
    const error = await configError(load({ ...USAGE, groupIndex: 5, pageSize: 60_000, extra: true }));
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      ['usage.extra', 'usage.groupIndex', 'usage.pageSize'].sort(),
    );
  });
});

describe('the usage query text', () => {
  it('quotes event names and keys so that quotes and backslashes in them stay inside the strings', () => {
    const text = usageQueryText({
      groupIndex: 3,
      events: ["it's", 'back\\slash', "x') OR 1=1 --"],
      activeUsersFrom: 'distinct_id',
      from: '2026-11-01',
      to: '2026-11-30',
      after: { key: "o'hara.example", day: '2026-11-05' },
      limit: 500,
    });
    expect(parseUsageQuery(text)).toEqual({
      groupIndex: 3,
      activeUsersFrom: 'distinct_id',
      events: ["it's", 'back\\slash', "x') OR 1=1 --"],
      from: '2026-11-01',
      toExclusive: '2026-12-01',
      after: { key: "o'hara.example", day: '2026-11-05' },
      limit: 500,
    });
  });
});
