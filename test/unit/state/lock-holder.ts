/**
 * Child process for sqlite-store-lock.test.ts, run with `node lock-holder.ts <mode> ...` (Node strips the types).
 *   hold <dataDir> <sync> <holder> <leaseMs>: takes the lock, prints the result as one JSON line, then waits to be killed
 *     (or for stdin to close).
 *   race <dataDir> <holder> <startAtMs> <rounds> <intervalMs>: at startAt + i * interval acquires sync `race-<i>`,
 *     prints the list of outcomes (true = won) as one JSON line, and exits when stdin closes: staying alive
 *     until the other racer is done keeps its late rounds from seeing a dead holder and taking over.
 */
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';

const [mode = '', dataDir = '', ...rest] = process.argv.slice(2);
const store = await openSqliteStore({ dataDir });

if (mode === 'hold') {
  const [sync = '', holder = '', leaseMs = '60000'] = rest;
  const result = await store.acquireLock({ sync, holder, leaseMs: Number(leaseMs), now: new Date() });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // stdin stays open while the test runs, so a failed test leaves no holder behind.
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else if (mode === 'race') {
  const [holder = '', startAt = '0', rounds = '1', interval = '50'] = rest;
  const outcomes: boolean[] = [];
  for (let round = 0; round < Number(rounds); round += 1) {
    const at = Number(startAt) + round * Number(interval);
    // Spin rather than sleep: a timer can fire a few ms late, and the point is to arrive together.
    while (Date.now() < at) {
      /* wait */
    }
    const result = await store.acquireLock({ sync: `race-${round}`, holder, leaseMs: 60_000, now: new Date() });
    outcomes.push(result.acquired);
  }
  process.stdout.write(`${JSON.stringify(outcomes)}\n`);
  await store.close();
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
