import type { Logger } from '../logger.ts';
import type { LockHolder, StateStore } from '../state/store.ts';

export type LockedRun<T> =
  { readonly ran: true; readonly value: T } | { readonly ran: false; readonly heldBy: LockHolder };

/**
 * Runs `fn` holding the sync's lock in the state store: refused when another run holds it, renewed
 * every third of the lease while `fn` runs, released after. If another holder takes the lock over (our
 * lease lapsed), `signal` aborts so this run stops at its next batch.
 */
export async function withRunLock<T>(
  options: {
    readonly store: StateStore;
    readonly sync: string;
    readonly holder: string;
    readonly leaseMs: number;
    readonly log: Logger;
  },
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<LockedRun<T>> {
  const { store, sync, holder, leaseMs, log } = options;
  const lock = await store.acquireLock({ sync, holder, leaseMs, now: new Date() });
  if (!lock.acquired) return { ran: false, heldBy: lock.heldBy };
  if (lock.takenOver)
    log.warn(
      { sync, takenOver: lock.takenOver },
      `took over the lock of ${sync} from a holder that ${lock.takenOver.reason === 'expired' ? 'stopped renewing it' : 'no longer exists'}`,
    );
  const lost = new AbortController();
  const renew = setInterval(
    () => {
      void store.renewLock({ sync, holder, leaseMs, now: new Date() }).then((ok) => {
        if (ok) return;
        log.error({ sync }, 'lost the run lock to another holder; stopping this run');
        lost.abort();
      });
    },
    Math.max(1_000, leaseMs / 3),
  );
  try {
    return { ran: true, value: await fn(lost.signal) };
  } finally {
    clearInterval(renew);
    await store.releaseLock({ sync, holder });
  }
}

export const heldByText = (sync: string, heldBy: LockHolder): string =>
  `${sync} is already running (pid ${heldBy.pid ?? '?'} on ${heldBy.host ?? '?'}, lease until ${heldBy.expiresAt})`;
