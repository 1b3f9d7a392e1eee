import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startHubspotEmulator, type HubspotEmulator } from '../../connectors/hubspot/emulator/index.ts';
import { demoSeed } from '../../connectors/hubspot/demo-seed.ts';
import { writeUsageCsv } from '../../src/cli/demo/write-usage.ts';
import { openSqliteStore } from '../../src/state/sqlite-store.ts';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
const AS_OF = new Date().toISOString().slice(0, 10);

interface Received {
  readonly kind: string;
  readonly key?: string;
  readonly title: string;
}

/** A local webhook receiver: what the worker's alerts actually deliver. */
async function receiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Received);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

interface Running {
  readonly child: ChildProcess;
  readonly url: Promise<string>;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function startWorkerProcess(
  config: string,
  env: Record<string, string>,
  options: { readonly runAtStart?: boolean; readonly port?: number } = {},
): Running {
  const args = [
    'worker',
    '--config',
    config,
    '--port',
    String(options.port ?? 0),
    ...(options.runAtStart === false ? [] : ['--run-at-start']),
    '--log-level',
    'info',
  ];
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const running: Running = {
    child,
    stderr: '',
    // Resolves on the "listening on" line (read across chunks); rejects, with what the worker said, if it exits first.
    url: new Promise((resolve, reject) => {
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) =>
        reject(new Error(`worker exited (${code}) before listening: ${running.stderr.slice(-2000)}`)),
      );
    }),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => ((running as { stderr: string }).stderr += chunk));
  return running;
}

/** Stage marks on stderr when DEBUG_WORKER_TEST is set, to see where a slow machine spends its time. */
const mark = (stage: string): void => {
  if (process.env['DEBUG_WORKER_TEST']) process.stderr.write(`[worker.test ${new Date().toISOString()}] ${stage}\n`);
};

const json = async (url: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the worker (real child processes, HubSpot emulator, webhook receiver)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('two workers on one sync: only one runs; /healthz, /metrics, POST /run and alert payloads; SIGTERM exits cleanly', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-worker-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const { seed, companies } = demoSeed({ companies: 40, asOf: AS_OF, seed: 9 });
    const emulator: HubspotEmulator = await startHubspotEmulator({ port: 0, seed, latencyMs: 60 });
    cleanups.push(() => emulator.stop());
    const hook = await receiver();
    cleanups.push(() => new Promise((resolve) => hook.server.close(() => resolve())));
    await writeUsageCsv({
      path: path.join(dir, 'usage.csv'),
      companies,
      portfolio: { companies: 40, days: 90, asOf: AS_OF, seed: 9 },
    });
    const config = path.join(dir, 'config.json');
    const hubspot = {
      token: { env: 'HUBSPOT_TOKEN' },
      basePath: emulator.url,
      rateLimit: { perTenSeconds: 1000 },
      mappings: {
        companies: path.join(MAPPINGS, 'hubspot.companies.yaml'),
        deals: path.join(MAPPINGS, 'hubspot.deals.yaml'),
      },
    };
    await writeFile(
      config,
      JSON.stringify({
        name: 'nightly',
        dataDir: '.',
        crm: { hubspot },
        usage: { source: 'file', path: 'usage.csv' },
        alerts: { webhook: { url: { env: 'ALERT_WEBHOOK_URL' } } },
        worker: { shutdownGraceSeconds: 20 },
      }),
    );
    const env = { HUBSPOT_TOKEN: emulator.token, ALERT_WEBHOOK_URL: hook.url };

    const a = startWorkerProcess(config, env);
    const b = startWorkerProcess(config, env);
    cleanups.push(async () => void [a, b].forEach((w) => w.child.kill('SIGKILL')));
    const [urlA, urlB] = await Promise.all([a.url, b.url]);
    mark(`both listening: ${urlA} ${urlB}`);
    const settled = async (): Promise<boolean> => {
      const states = await Promise.all([urlA, urlB].map((u) => json(`${u}/healthz`)));
      return states.every((s) => s.body['running'] === false) && states.some((s) => s.body['lastRun'] !== null);
    };
    await until(settled, 'the first run');
    mark('first run settled');
    const store = await openSqliteStore({ dataDir: dir });
    cleanups.push(() => store.close());
    expect(await store.listRuns({ sync: 'nightly' })).toHaveLength(1);
    expect(`${a.stderr}${b.stderr}`).toMatch(/skipped: nightly is already running/);

    const health = await json(`${urlA}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', running: false, lastRun: { status: 'succeeded' } });
    expect(typeof health.body['lastSuccessAgeSeconds']).toBe('number');
    // The worker that ran counts the run; the one that was refused counts none.
    const texts = await Promise.all([urlA, urlB].map(async (u) => (await fetch(`${u}/metrics`)).text()));
    const metrics = texts.find((t) => t.includes('expansion_sync_runs_total{')) ?? '';
    expect(texts.filter((t) => t.includes('expansion_sync_runs_total{'))).toHaveLength(1);
    expect(metrics).toContain(
      'expansion_sync_runs_total{sync="nightly",system="hubspot",mode="live",status="succeeded"} 1',
    );
    expect(metrics).toMatch(
      /expansion_sync_writes_total\{sync="nightly",system="hubspot",object="opportunity",outcome="created"\} [1-9]/,
    );
    expect(metrics).toContain('expansion_sync_api_rate_limited_total{sync="nightly",system="hubspot"} 0');
    // The daily allowance left, from HubSpot's X-HubSpot-RateLimit-Daily-Remaining header.
    expect(metrics).toMatch(/expansion_sync_api_quota_remaining\{system="hubspot"\} \d+/);

    const opportunityAlerts = hook.received.filter((r) => r.kind === 'opportunity');
    expect(opportunityAlerts.length).toBeGreaterThan(0);
    expect(new Set(opportunityAlerts.map((r) => r.key)).size).toBe(opportunityAlerts.length);

    // By hand: POST /run on the other worker runs again; opportunities already announced are not announced twice.
    const posted = await fetch(`${urlB}/run`, { method: 'POST' });
    expect(posted.status).toBe(202);
    await until(
      async () => (await store.listRuns({ sync: 'nightly' })).filter((r) => r.finishedAt).length === 2,
      'the second run',
    );
    await until(settled, 'the second run to settle');
    mark('second run settled');
    expect(hook.received.filter((r) => r.kind === 'opportunity')).toHaveLength(opportunityAlerts.length);

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
    mark('both exited');
  }, 180_000);
});

describe('sync takes the same lock', () => {
  it('a sync started while another run of it holds the lock is refused, naming the holder', async () => {
    const { startHarness } = await import('../support/hubspot-harness.ts');
    const { cli } = await import('../support/cli.ts');
    const h = await startHarness();
    try {
      // This test process plays the other run: alive, on this host, with a lease well ahead.
      await h.withStore((store) =>
        store.acquireLock({ sync: 'test', holder: 'someone-else', leaseMs: 60_000, now: new Date() }),
      );
      const refused = await cli(['sync', '--config', h.configPath, '--json'], { HUBSPOT_TOKEN: h.emulator.token });
      expect(refused.status).toBe(5);
      expect(refused.stderr).toMatch(new RegExp(`test is already running \\(pid ${process.pid} on `));
      expect(h.emulator.requests.writes()).toBe(0);
      await h.withStore((store) => store.releaseLock({ sync: 'test', holder: 'someone-else' }));
      expect(
        (await cli(['sync', '--config', h.configPath, '--json'], { HUBSPOT_TOKEN: h.emulator.token })).status,
      ).toBe(0);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe('run-now', () => {
  it('asks the running worker for a run; without a worker it says how to start one', async () => {
    const { startHarness } = await import('../support/hubspot-harness.ts');
    const { cli } = await import('../support/cli.ts');
    const h = await startHarness();
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const { readFile } = await import('node:fs/promises');
    const config = JSON.parse(await readFile(h.configPath, 'utf8')) as Record<string, unknown>;
    await writeFile(h.configPath, JSON.stringify({ ...config, worker: { port } }));
    const env = { HUBSPOT_TOKEN: h.emulator.token };
    try {
      const none = await cli(['run-now', 'test', '--config', h.configPath], env);
      expect(none.status).toBe(5);
      expect(none.stderr).toContain(`no worker answers at http://127.0.0.1:${port}/run`);
      const worker = startWorkerProcess(h.configPath, env, { runAtStart: false, port });
      await worker.url;
      const asked = await cli(['run-now', 'test', '--config', h.configPath], env);
      expect(asked.status, asked.stderr).toBe(0);
      await until(
        async () =>
          (await h.withStore((store) => store.listRuns({ sync: 'test' }))).some((r) => r.status === 'succeeded'),
        'the requested run',
      );
      expect((await cli(['run-now', 'other', '--config', h.configPath], env)).status).toBe(2);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      await h.close();
    }
  }, 120_000);
});

describe('failed runs', () => {
  it('a run that fails (the CRM refuses the token) is alerted, counted in /metrics and turns /healthz to failing', async () => {
    const { startHarness } = await import('../support/hubspot-harness.ts');
    const h = await startHarness();
    const hook = await receiver();
    try {
      const { readFile } = await import('node:fs/promises');
      const config = JSON.parse(await readFile(h.configPath, 'utf8')) as Record<string, unknown>;
      await writeFile(
        h.configPath,
        JSON.stringify({ ...config, alerts: { webhook: { url: { env: 'ALERT_WEBHOOK_URL' } } } }),
      );
      const worker = startWorkerProcess(h.configPath, {
        HUBSPOT_TOKEN: 'pat-na1-00000000-0000-0000-0000-000000000000',
        ALERT_WEBHOOK_URL: hook.url,
      });
      const url = await worker.url;
      await until(async () => hook.received.some((r) => r.kind === 'run_failed'), 'the failed-run alert');
      const alert = hook.received.find((r) => r.kind === 'run_failed') as unknown as { title: string; text: string };
      expect(alert.title).toMatch(/SYNC RUN FAILED/);
      expect(alert.text).not.toContain('pat-na1');
      expect(await (await fetch(`${url}/metrics`)).text()).toContain(
        'expansion_sync_runs_total{sync="test",system="hubspot",mode="live",status="failed"} 1',
      );
      const health = await json(`${url}/healthz`);
      expect([health.status, health.body['status']]).toEqual([503, 'failing']);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      await new Promise((resolve) => hook.server.close(resolve));
      await h.close();
    }
  }, 120_000);
});
