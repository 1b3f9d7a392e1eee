import { afterEach, describe, expect, it } from 'vitest';
import { opportunityAlert, runFailedAlert, sendAlerts, type Alert } from '../../../src/alerts/index.ts';
import { assessment, report } from './fixtures.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

function opp(ownerId: string | undefined, name = 'Acme'): Alert {
  const a = assessment();
  return opportunityAlert({
    account: { id: name, name, ...(ownerId ? { ownerId } : {}) },
    assessment: a,
    opportunity: a.opportunities[0]!,
    currency: 'USD',
  });
}

const SECRET_PATH = '/services/T000/B000/XXXXsecretXXXX';

describe('sendAlerts against a real HTTP receiver', () => {
  it("routes opportunity alerts to the owner's webhook when there is one, everything else to the channel, and every alert to the generic webhook", async () => {
    const r = await receiver();
    const alerts = [
      opp('77', 'Owned'),
      opp('99', 'Other owner'),
      opp(undefined, 'Nobody'),
      runFailedAlert(report({ status: 'failed', message: 'boom' })),
    ];
    const result = await sendAlerts(alerts, {
      slack: { channelUrl: `${r.base}/channel`, ownerUrls: { '77': `${r.base}/owner-77` } },
      webhookUrl: `${r.base}/generic`,
    });
    expect(result.failures).toEqual([]);
    expect(result.deliveries.map((d) => [d.target, d.ok, d.status])).toEqual([
      ['slack_owner', true, 200],
      ['webhook', true, 200],
      ['slack_channel', true, 200],
      ['webhook', true, 200],
      ['slack_channel', true, 200],
      ['webhook', true, 200],
      ['slack_channel', true, 200],
      ['webhook', true, 200],
    ]);
    const owner = r.json('/owner-77') as Array<{ text: string; blocks: unknown[] }>;
    expect(owner).toHaveLength(1);
    expect(owner[0]?.text).toContain('Owned');
    const channel = r.json('/channel') as Array<{ text: string }>;
    expect(channel.map((m) => m.text)).toEqual([
      expect.stringContaining('Other owner'),
      expect.stringContaining('Nobody'),
      'Sync acme failed: boom',
    ]);
    const generic = r.json('/generic') as Array<{
      kind: string;
      title: string;
      text: string;
      data: Record<string, unknown>;
    }>;
    expect(generic.map((g) => g.kind)).toEqual(['opportunity', 'opportunity', 'opportunity', 'run_failed']);
    expect(generic[0]).toMatchObject({
      title: '💰 EXPANSION OPPORTUNITY DETECTED',
      data: { accountName: 'Owned', arrPotential: 6600 },
    });
    expect(r.requests.every((q) => q.headers['content-type']?.startsWith('application/json'))).toBe(true);
  });

  it('an owner id that is an Object.prototype name still goes to the channel', async () => {
    const r = await receiver();
    const result = await sendAlerts([opp('toString')], { slack: { channelUrl: `${r.base}/channel`, ownerUrls: {} } });
    expect(result.deliveries).toMatchObject([{ target: 'slack_channel', ok: true }]);
  });

  it('only the generic webhook, when Slack is not configured', async () => {
    const r = await receiver();
    const result = await sendAlerts([opp('77')], { webhookUrl: `${r.base}/generic` });
    expect(result.deliveries.map((d) => d.target)).toEqual(['webhook']);
    expect(r.requests).toHaveLength(1);
  });

  it('retries a 429, waiting as long as Retry-After says, then succeeds', async () => {
    const r = await receiver((_req, index, res) => {
      if (index === 0) res.writeHead(429, { 'retry-after': '1' }).end('rate_limited');
      else res.writeHead(200).end('ok');
    });
    const started = Date.now();
    const result = await sendAlerts([opp(undefined)], {
      slack: { channelUrl: `${r.base}${SECRET_PATH}`, ownerUrls: {} },
    });
    expect(result.deliveries).toMatchObject([{ target: 'slack_channel', ok: true, status: 200, attempts: 2 }]);
    expect(r.requests).toHaveLength(2);
    expect((r.requests[1]?.at ?? 0) - (r.requests[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('a receiver that keeps answering 500 yields a failure result, not a throw, and the message never holds the URL', async () => {
    const r = await receiver((req, _index, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`internal error at ${req.path}`);
    });
    const waits: number[] = [];
    const url = `${r.base}${SECRET_PATH}`;
    const result = await sendAlerts([opp(undefined)], {
      slack: { channelUrl: url, ownerUrls: {} },
      webhookUrl: `${url}/generic`,
      retries: 2,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(result.failures).toHaveLength(2);
    expect(result.failures[0]).toMatchObject({ target: 'slack_channel', ok: false, status: 500, attempts: 3 });
    expect(result.failures[0]?.message).toBe('Slack channel webhook: HTTP 500; gave up after 3 attempts');
    expect(result.failures[1]?.message).toBe('alert webhook: HTTP 500; gave up after 3 attempts');
    expect(waits).toEqual([1000, 2000, 1000, 2000]);
    expect(r.requests).toHaveLength(6);
    const serialised = JSON.stringify(result.failures.map(({ alert: _alert, ...rest }) => rest));
    for (const secret of [url, SECRET_PATH, 'XXXXsecretXXXX', r.base]) expect(serialised).not.toContain(secret);
  });

  it("does not retry a 404 and quotes only Slack's bare error code", async () => {
    const r = await receiver((_req, _index, res) => {
      res.writeHead(404).end('no_service');
    });
    const result = await sendAlerts([opp('77')], {
      slack: { channelUrl: `${r.base}/c`, ownerUrls: { '77': `${r.base}${SECRET_PATH}` } },
    });
    expect(result.failures).toMatchObject([
      {
        target: 'slack_owner',
        ownerId: '77',
        status: 404,
        attempts: 1,
        message: 'Slack webhook of owner 77: HTTP 404 (no_service)',
      },
    ]);
    expect(r.requests).toHaveLength(1);
  });

  it('gives up on a receiver that never answers within the timeout', async () => {
    const r = await receiver(() => {
      // never responds
    });
    const result = await sendAlerts([opp(undefined)], {
      webhookUrl: `${r.base}${SECRET_PATH}`,
      timeoutMs: 200,
      retries: 1,
      minBackoffMs: 10,
    });
    expect(result.failures).toMatchObject([
      { target: 'webhook', attempts: 2, message: 'alert webhook: no response within 0.2 s; gave up after 2 attempts' },
    ]);
    expect(result.failures[0]?.message).not.toContain(SECRET_PATH);
  });

  it('reports an unreachable receiver and an invalid URL without echoing either', async () => {
    const r = await receiver();
    const closedUrl = `${r.base}${SECRET_PATH}`;
    await r.close();
    receivers.splice(receivers.indexOf(r), 1);
    const result = await sendAlerts([opp(undefined)], {
      slack: { channelUrl: 'not a url with secret-abc', ownerUrls: {} },
      webhookUrl: closedUrl,
      retries: 1,
      minBackoffMs: 10,
    });
    expect(result.failures.map((f) => f.message)).toEqual([
      'Slack channel webhook: the configured URL is not a valid http(s) URL (check its environment variable)',
      'alert webhook: network error (ECONNREFUSED); gave up after 2 attempts',
    ]);
  });
});
