import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

let harness: Harness | undefined;
let server: Server | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const check = (h: Harness, args: readonly string[] = [], env: Readonly<Record<string, string>> = {}) =>
  cli(['check', '--config', h.configPath, ...args], { HUBSPOT_TOKEN: h.emulator.token, ...env });

/** A port nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('expansion-sync check: no false greens', () => {
  it('passes a good config and says what it checked: usage, deal stage, owners', async () => {
    harness = await startHarness();
    const result = await check(harness);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/ok +usage: .*usage\.csv: the header and the first 50 rows parse/);
    expect(result.stdout).toMatch(
      /ok +deal stage: new deals go to stage appointmentscheduled \(Appointment Scheduled\) of pipeline default/,
    );
    expect(result.stdout).toMatch(/ok +owners: 2 owners/);
  });

  it('fails a usage file that does not exist, naming the file, and exits 2', async () => {
    harness = await startHarness({ config: { usage: { source: 'file', path: 'usage-2026.csv' } } });
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/FAIL usage: usage file .*usage-2026\.csv does not exist/);
  });

  it('fails a usage file whose header lacks a required column, naming it, and exits 2', async () => {
    harness = await startHarness();
    await harness.writeFile('usage.csv', 'date,account_key,active_users\n2026-11-19,acme.io,40\n');
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/FAIL usage: .*the header lacks the required column seats_used/);
  });

  it('fails a usage file whose first rows do not parse, with file:line', async () => {
    harness = await startHarness();
    await harness.writeFile(
      'usage.csv',
      'date,account_key,active_users,seats_used\n2026-11-19,acme.io,40,50\n19/11/2026,acme.io,40,50\n',
    );
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/FAIL usage: 1 of the first 2 rows do not parse: .*usage\.csv:3: /);
  });

  it('fails a deal stage that is not in the pipeline, listing the valid stage ids, and exits 2', async () => {
    harness = await startHarness({ hubspot: { stage: 'apointmentscheduled' } });
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(
      /FAIL deal stage: crm\.hubspot\.stage "apointmentscheduled" is not a stage of pipeline "default" .*valid stage ids: appointmentscheduled \(Appointment Scheduled\), qualifiedtobuy/,
    );
  });

  it('fails a deal pipeline the portal does not have, listing the pipelines', async () => {
    harness = await startHarness({ hubspot: { pipeline: 'expansion' } });
    const result = await check(harness);
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(
      /FAIL deal stage: crm\.hubspot\.pipeline "expansion" is not a deal pipeline in this portal; valid pipeline ids: default \(Sales Pipeline\)/,
    );
  });

  it('fails an owner the config routes alerts to that the CRM does not have', async () => {
    harness = await startHarness({
      config: {
        alerts: {
          slack: {
            webhookUrl: { env: 'SLACK_CHANNEL_URL' },
            ownerWebhooks: { '2001': { env: 'SLACK_OWNER_A' }, '9999': { env: 'SLACK_OWNER_B' } },
          },
        },
      },
    });
    const url = 'https://hooks.slack.com/services/T0/B0/x';
    const result = await check(harness, [], { SLACK_CHANNEL_URL: url, SLACK_OWNER_A: url, SLACK_OWNER_B: url });
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(
      /FAIL owners: alerts\.slack\.ownerWebhooks names owner 9999, not an owner in the CRM/,
    );
  });
});

describe('expansion-sync check: an unreachable CRM fails in seconds', () => {
  it('a refused connection fails at once, naming the host, and exits 5', async () => {
    const port = await closedPort();
    harness = await startHarness({ hubspot: { basePath: `http://127.0.0.1:${port}` } });
    const started = Date.now();
    const result = await check(harness);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe(5);
    expect(result.stdout).toMatch(
      new RegExp(`FAIL reachability: .*cannot reach HubSpot: 127\\.0\\.0\\.1:${port} refused the connection`),
    );
    expect(result.stdout).not.toMatch(/gave up after/);
  });

  it('a host name that does not resolve fails at once, naming the host, and exits 5', async () => {
    harness = await startHarness({ hubspot: { basePath: 'http://no-such-portal.invalid' } });
    const started = Date.now();
    const result = await check(harness);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.status).toBe(5);
    expect(result.stdout).toMatch(/FAIL reachability: .*no-such-portal\.invalid/);
  });
});

describe('expansion-sync check --send-test-alert', () => {
  async function receiver(status: (path: string) => number): Promise<{ url: string; posts: string[] }> {
    const posts: string[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        posts.push(`${req.url ?? ''} ${body}`);
        res.writeHead(status(req.url ?? '')).end(status(req.url ?? '') === 200 ? 'ok' : 'no_service');
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts };
  }
  const alerts = {
    alerts: { slack: { webhookUrl: { env: 'SLACK_CHANNEL_URL' } }, webhook: { url: { env: 'ALERT_WEBHOOK_URL' } } },
  };

  it('posts one test alert to each webhook and reports each; a failing one exits 5 and is named', async () => {
    const hooks = await receiver((p) => (p === '/slack' ? 200 : 404));
    harness = await startHarness({ config: alerts });
    const env = { SLACK_CHANNEL_URL: `${hooks.url}/slack`, ALERT_WEBHOOK_URL: `${hooks.url}/hook` };
    const result = await check(harness, ['--send-test-alert'], env);
    expect(result.status).toBe(5);
    expect(result.stdout).toMatch(/ok +test alert: Slack channel webhook took it \(HTTP 200\)/);
    expect(result.stdout).toMatch(/FAIL test alert: alert webhook: .*404/);
    expect(hooks.posts.map((p) => p.split(' ')[0])).toEqual(['/slack', '/hook']);
    expect(hooks.posts[0]).toContain('test alert');
    expect(result.stdout).not.toContain(hooks.url);
  });

  it('sends nothing without the flag', async () => {
    const hooks = await receiver(() => 200);
    harness = await startHarness({ config: alerts });
    const env = { SLACK_CHANNEL_URL: `${hooks.url}/slack`, ALERT_WEBHOOK_URL: `${hooks.url}/hook` };
    const result = await check(harness, [], env);
    expect(result.status).toBe(0);
    expect(hooks.posts).toEqual([]);
    expect(result.stdout).not.toMatch(/test alert/);
  });
});
