import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportRange, formatHour, splitRange } from '../../../connectors/usage-amplitude/hours.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { ConfigError } from '../../../src/errors.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-amplitude-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SECRET = 'amp-secret-0123456789';

async function load(usage: Record<string, unknown>, env: Record<string, string> = {}) {
  const file = path.join(dir, 'config.json');
  const config = {
    name: 'test',
    crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' } } },
    usage: {
      source: 'amplitude',
      apiKey: { env: 'AMPLITUDE_API_KEY' },
      secretKey: { env: 'AMPLITUDE_SECRET_KEY' },
      groupType: 'company',
      ...usage,
    },
  };
  await writeFile(file, JSON.stringify(config, null, 2));
  return loadConfig(file, {
    env: { HUBSPOT_TOKEN: 'pat-na1-x', AMPLITUDE_API_KEY: 'key', AMPLITUDE_SECRET_KEY: SECRET, ...env },
  });
}

describe('usage.source "amplitude" config', () => {
  it('resolves both keys from the environment the config names', async () => {
    const loaded = await load({});
    expect(loaded.config.usage).toMatchObject({ source: 'amplitude', groupType: 'company', joinOn: 'domain' });
    expect(loaded.secret('usage.secretKey')).toBe(SECRET);
    expect(JSON.stringify(loaded.config)).not.toContain(SECRET);
  });

  it('refuses a key written in the file without quoting it, and names the variable to set', async () => {
    const error = await load({ secretKey: SECRET }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/usage\.secretKey/);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('reports an unset variable at its path', async () => {
    const error = await load({}, { AMPLITUDE_API_KEY: '' }).catch((e: unknown) => e);
    expect((error as ConfigError).issues.map((i) => i.path)).toContain('usage.apiKey.env');
  });

  it('refuses a host with credentials in it', async () => {
    const error = await load({ host: `https://key:${SECRET}@amplitude.com` }).catch((e: unknown) => e);
    expect((error as ConfigError).issues.map((i) => i.path)).toContain('usage.host');
    expect((error as Error).message).not.toContain(SECRET);
  });
});

describe('Export API hour ranges', () => {
  it('reads from the first hour of the first day to the last exported hour, two hours behind', () => {
    const range = exportRange('2026-11-18', '2026-11-20', Date.parse('2026-11-20T12:30:00Z'));
    expect(range && [formatHour(range.start), formatHour(range.end)]).toEqual(['20261118T00', '20261120T09']);
    expect(exportRange('2026-11-20', '2026-11-20', Date.parse('2026-11-20T02:59:00Z'))).toBeUndefined();
  });

  it('cuts ranges into calls of at most 365 days', () => {
    const range = exportRange('2024-01-01', '2026-01-01', Date.parse('2027-01-01T00:00:00Z'))!;
    const parts = splitRange(range).map((p) => [formatHour(p.start), formatHour(p.end)]);
    expect(parts).toEqual([
      ['20240101T00', '20241230T23'],
      ['20241231T00', '20251230T23'],
      ['20251231T00', '20260101T23'],
    ]);
  });
});
