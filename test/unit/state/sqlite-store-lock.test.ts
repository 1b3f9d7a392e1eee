import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs.ts';

const { makeDir, openStore } = useTempDirs();
const HOLDER_SCRIPT = fileURLToPath(new URL('./lock-holder.ts', import.meta.url));
const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function runHolder(args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, [HOLDER_SCRIPT, ...args], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** The child's first stdout line, parsed; rejects if it exits first. */
function firstLine(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(out.slice(0, newline)) as unknown);
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited (${code}) before answering: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** A pid that existed and is gone: a child that already exited and was reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await exited(child);
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

describe('sync run locks', () => {
  it('acquires a free lock, renews and releases it, and reports it meanwhile', async () => {
    const store = await openStore();
    expect(await store.getLock('hubspot')).toBeUndefined();
    expect(await store.acquireLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 60_000, now: T0 })).toEqual({
      acquired: true,
    });
    expect(await store.getLock('hubspot')).toEqual({
      sync: 'hubspot',
      holder: 'run-1',
      pid: process.pid,
      host: os.hostname(),
      acquiredAt: T0.toISOString(),
      expiresAt: at(60_000).toISOString(),
    });

    expect(await store.renewLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 60_000, now: at(30_000) })).toBe(true);
    expect(await store.getLock('hubspot')).toMatchObject({
      acquiredAt: T0.toISOString(),
      expiresAt: at(90_000).toISOString(),
    });
    // Acquiring again as the same holder only extends the lease.
    expect(await store.acquireLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 60_000, now: at(40_000) })).toEqual({
      acquired: true,
    });
    expect(await store.getLock('hubspot')).toMatchObject({
      acquiredAt: T0.toISOString(),
      expiresAt: at(100_000).toISOString(),
    });

    expect(await store.releaseLock({ sync: 'hubspot', holder: 'run-1' })).toBe(true);
    expect(await store.getLock('hubspot')).toBeUndefined();
    expect(await store.releaseLock({ sync: 'hubspot', holder: 'run-1' })).toBe(false);
    expect(await store.renewLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 60_000, now: at(50_000) })).toBe(false);
  });

  it('refuses a second holder with who holds it, and lets it neither renew nor release', async () => {
    const store = await openStore();
    await store.acquireLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 60_000, now: T0 });
    expect(await store.acquireLock({ sync: 'hubspot', holder: 'run-2', leaseMs: 60_000, now: at(59_999) })).toEqual({
      acquired: false,
      heldBy: {
        holder: 'run-1',
        pid: process.pid,
        host: os.hostname(),
        acquiredAt: T0.toISOString(),
        expiresAt: at(60_000).toISOString(),
      },
    });
    expect(await store.renewLock({ sync: 'hubspot', holder: 'run-2', leaseMs: 60_000, now: at(1_000) })).toBe(false);
    expect(await store.releaseLock({ sync: 'hubspot', holder: 'run-2' })).toBe(false);
    expect(await store.getLock('hubspot')).toMatchObject({ holder: 'run-1' });
    // Locks are per sync.
    expect(await store.acquireLock({ sync: 'salesforce', holder: 'run-2', leaseMs: 60_000, now: T0 })).toEqual({
      acquired: true,
    });
  });

  it('takes over an expired lease, after which the old holder can no longer renew', async () => {
    const store = await openStore();
    await store.acquireLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 60_000, now: T0 });
    const result = await store.acquireLock({ sync: 'hubspot', holder: 'run-2', leaseMs: 60_000, now: at(60_000) });
    expect(result).toEqual({
      acquired: true,
      takenOver: expect.objectContaining({ holder: 'run-1', reason: 'expired' }) as unknown,
    });
    expect(await store.getLock('hubspot')).toMatchObject({
      holder: 'run-2',
      acquiredAt: at(60_000).toISOString(),
      expiresAt: at(120_000).toISOString(),
    });
    expect(await store.renewLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 60_000, now: at(61_000) })).toBe(false);
    expect(await store.releaseLock({ sync: 'hubspot', holder: 'run-1' })).toBe(false);
  });

  it('lets a holder renew its own expired lease while nobody took it', async () => {
    const store = await openStore();
    await store.acquireLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 1_000, now: T0 });
    expect(await store.renewLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 1_000, now: at(5_000) })).toBe(true);
    expect(await store.getLock('hubspot')).toMatchObject({ holder: 'run-1', expiresAt: at(6_000).toISOString() });
  });

  it('takes over at once from a holder process killed with SIGKILL on this host', async () => {
    const dataDir = await makeDir();
    const store = await openStore(dataDir);
    const child = runHolder(['hold', dataDir, 'hubspot', 'crashed-run', '3600000']);
    expect(await firstLine(child)).toEqual({ acquired: true });
    const alive = await store.acquireLock({ sync: 'hubspot', holder: 'run-2', leaseMs: 60_000, now: new Date() });
    expect(alive).toMatchObject({
      acquired: false,
      heldBy: { holder: 'crashed-run', pid: child.pid, host: os.hostname() },
    });

    child.kill('SIGKILL');
    await exited(child);
    const result = await store.acquireLock({ sync: 'hubspot', holder: 'run-2', leaseMs: 60_000, now: new Date() });
    expect(result).toEqual({
      acquired: true,
      takenOver: expect.objectContaining({ holder: 'crashed-run', pid: child.pid, reason: 'holder_dead' }) as unknown,
    });
    expect(await store.getLock('hubspot')).toMatchObject({ holder: 'run-2', pid: process.pid });
  });

  it('waits for the lease when the dead pid belongs to another host or pid namespace', async () => {
    const store = await openStore();
    const pid = await deadPid();
    const db = new DatabaseSync(store.file);
    const insert = db.prepare(
      'INSERT INTO sync_locks (sync, holder, pid, host, pid_namespace, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('other-host', 'run-1', pid, `not-${os.hostname()}`, null, T0.toISOString(), at(60_000).toISOString());
    insert.run('other-namespace', 'run-1', pid, os.hostname(), 'pid:[1]', T0.toISOString(), at(60_000).toISOString());
    db.close();
    for (const sync of ['other-host', 'other-namespace']) {
      expect(await store.acquireLock({ sync, holder: 'run-2', leaseMs: 60_000, now: at(1_000) })).toMatchObject({
        acquired: false,
        heldBy: { holder: 'run-1', pid },
      });
      expect(await store.acquireLock({ sync, holder: 'run-2', leaseMs: 60_000, now: at(60_000) })).toMatchObject({
        acquired: true,
        takenOver: { reason: 'expired' },
      });
    }
  });

  it('lets exactly one of two processes racing for the same lock win, round after round', async () => {
    const dataDir = await makeDir();
    await openStore(dataDir);
    const rounds = 10;
    // Far enough ahead for both children to start and open the store before the first round.
    const startAt = String(Date.now() + 1_500);
    const racers = ['racer-a', 'racer-b'].map((holder) =>
      runHolder(['race', dataDir, holder, startAt, String(rounds), '40']),
    );
    const [a, b] = (await Promise.all(racers.map(firstLine))) as [boolean[], boolean[]];
    for (const racer of racers) racer.stdin?.end();
    await Promise.all(racers.map(exited));
    expect(a).toHaveLength(rounds);
    expect(b).toHaveLength(rounds);
    a.forEach((won, round) => expect(won !== b[round], `round ${round}: a=${won} b=${b[round]}`).toBe(true));
  });

  it('rejects a request without a positive lease as state_lock_invalid', async () => {
    const store = await openStore();
    await expect(store.acquireLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 0, now: T0 })).rejects.toMatchObject({
      code: 'state_lock_invalid',
    });
    await expect(
      store.renewLock({ sync: 'hubspot', holder: 'run-1', leaseMs: 1_000, now: new Date(Number.NaN) }),
    ).rejects.toMatchObject({ code: 'state_lock_invalid' });
  });
});
