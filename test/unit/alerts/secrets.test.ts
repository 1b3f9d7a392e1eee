import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, ownerWebhookPath } from '../../../src/config/load.ts';
import { ConfigError } from '../../../src/errors.ts';

const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const CHANNEL = 'https://hooks.slack.com/services/T0001/B0001/channelsecret';
const OWNER = 'https://hooks.slack.com/services/T0001/B0002/ownersecret';
const GENERIC = 'https://alerts.example.com/hook?key=genericsecret';
const base = {
  name: 'acme',
  crm: { hubspot: { token: { env: 'HUBSPOT_TOKEN' } } },
  usage: { source: 'file', path: 'usage.csv' },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-alerts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(content: unknown): Promise<string> {
  const file = path.join(dir, 'config.json');
  await writeFile(file, JSON.stringify(content, null, 2));
  return file;
}

async function refusal(content: unknown, env: NodeJS.ProcessEnv = { HUBSPOT_TOKEN: TOKEN }): Promise<ConfigError> {
  const error = await loadConfig(await write(content), { env }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const alerts = {
  slack: { webhookUrl: { env: 'SLACK_WEBHOOK_URL' }, ownerWebhooks: { '005xx01': { env: 'SLACK_WEBHOOK_DANA' } } },
  webhook: { url: { env: 'ALERT_WEBHOOK_URL' } },
  opportunityMinTier: 'P2',
};

describe('alert secrets', () => {
  it('resolves the channel, per-owner and generic webhook URLs from the environment, keeping them out of the config', async () => {
    const loaded = await loadConfig(await write({ ...base, alerts }), {
      env: { HUBSPOT_TOKEN: TOKEN, SLACK_WEBHOOK_URL: CHANNEL, SLACK_WEBHOOK_DANA: OWNER, ALERT_WEBHOOK_URL: GENERIC },
    });
    expect(loaded.alertTargets()).toEqual({
      slack: { channelUrl: CHANNEL, ownerUrls: { '005xx01': OWNER } },
      webhookUrl: GENERIC,
    });
    expect(loaded.secret('alerts.slack.webhookUrl')).toBe(CHANNEL);
    expect(loaded.secret(ownerWebhookPath('005xx01'))).toBe(OWNER);
    expect(loaded.secret('alerts.webhook.url')).toBe(GENERIC);
    expect(loaded.config.alerts.slack?.webhookUrl).toEqual({ env: 'SLACK_WEBHOOK_URL' });
    const serialised = JSON.stringify(loaded);
    for (const secret of ['channelsecret', 'ownersecret', 'genericsecret']) expect(serialised).not.toContain(secret);
    expect(loaded.secret('crm.hubspot.token')).toBe(TOKEN);
  });

  it('has no targets when no alerts are configured', async () => {
    const loaded = await loadConfig(await write(base), { env: { HUBSPOT_TOKEN: TOKEN } });
    expect(loaded.alertTargets()).toEqual({});
    expect(loaded.config.alerts).toMatchObject({ opportunityMinTier: 'P1', failedRecordRate: 0.05 });
  });

  it("reports unset variables for each webhook, the owner's at its own path", async () => {
    const error = await refusal({ ...base, alerts }, { HUBSPOT_TOKEN: TOKEN, SLACK_WEBHOOK_URL: '' });
    const byPath = Object.fromEntries(error.issues.map((i) => [i.path, i]));
    expect(byPath['alerts.slack.webhookUrl.env']?.message).toBe('environment variable SLACK_WEBHOOK_URL is empty');
    expect(byPath['alerts.slack.ownerWebhooks.005xx01.env']).toMatchObject({
      message: 'environment variable SLACK_WEBHOOK_DANA is not set',
      fix: "export SLACK_WEBHOOK_DANA=<the owner's Slack incoming-webhook URL>",
    });
    expect(byPath['alerts.webhook.url.env']?.fix).toBe(
      'export ALERT_WEBHOOK_URL=<the URL that receives alerts as JSON>',
    );
    expect(byPath['alerts.slack.ownerWebhooks.005xx01.env']?.line).toBeGreaterThan(1);
  });

  it('refuses literal URLs in every alert position without echoing them', async () => {
    const literal = {
      ...base,
      alerts: {
        slack: { webhookUrl: CHANNEL, ownerWebhooks: { '005xx01': OWNER } },
        webhook: { url: { env: GENERIC } },
      },
    };
    const error = await refusal(literal);
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'alerts.slack.webhookUrl',
        'alerts.slack.ownerWebhooks.005xx01',
        'alerts.webhook.url.env',
      ]),
    );
    expect(error.issues.find((i) => i.path === 'alerts.slack.webhookUrl')?.fix).toMatch(
      /export SLACK_WEBHOOK_URL=.*\{"env": "SLACK_WEBHOOK_URL"\}/,
    );
    expect(error.issues.find((i) => i.path === 'alerts.slack.ownerWebhooks.005xx01')?.message).toMatch(
      /environment variables only/,
    );
    expect(error.issues.find((i) => i.path === 'alerts.webhook.url.env')?.message).toMatch(
      /not an environment variable name/,
    );
    const all = `${error.message}\n${JSON.stringify(error.issues)}`;
    for (const secret of ['hooks.slack.com', 'channelsecret', 'ownersecret', 'genericsecret'])
      expect(all).not.toContain(secret);
  });

  it('refuses a URL pasted in place of the webhook objects without echoing it', async () => {
    const error = await refusal({ ...base, alerts: { slack: CHANNEL, webhook: GENERIC } });
    expect(error.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['alerts.slack', 'alerts.webhook']));
    expect(error.issues.find((i) => i.path === 'alerts.webhook')?.fix).toMatch(
      /\{"url": \{"env": "ALERT_WEBHOOK_URL"\}\}/,
    );
    const all = `${error.message}\n${JSON.stringify(error.issues)}`;
    for (const secret of ['hooks.slack.com', 'channelsecret', 'genericsecret', 'alerts.example.com'])
      expect(all).not.toContain(secret);
  });
});
