import { randomUUID } from 'node:crypto';
import { createCrmConnector } from '../../connectors/index.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { Logger } from '../logger.ts';
import type { StateStore } from '../state/store.ts';
import type { CrmConnector } from './crm.ts';
import type { RunMode, RunReport } from './report.ts';
import { runSync, type RunSyncOptions } from './run.ts';
import { withRunLock, type LockedRun } from './run-lock.ts';

export interface RunServiceOptions {
  readonly loaded: LoadedConfig;
  readonly store: StateStore;
  readonly log: Logger;
  readonly mode: RunMode;
  readonly runId?: string;
  /** Asks the run to stop at its next batch (SIGTERM, the worker stopping). */
  readonly signal?: AbortSignal;
  /**
   * The engine's options for this run around its connector. The CLI builds them from the config; `runs
   * retry` adds its scope. The service sets `mode`, `runId` and `signal` itself.
   */
  readonly runOptions: (crm: CrmConnector) => RunSyncOptions;
  /** Creates the connector; the CRM registry's by default. Tests inject an in-memory one. */
  readonly createCrm?: (options: { readonly loaded: LoadedConfig; readonly log: Logger }) => Promise<CrmConnector>;
  /** Sees the connector once created, for what the caller shows after the run (API calls, batch size). */
  readonly onConnector?: (crm: CrmConnector) => void;
}

/**
 * One run as `sync`, the worker and `runs retry` all make it: take the sync's lock, create the connector,
 * run, close the connector, release the lock. "One run at a time" holds for every caller: a run that
 * finds the lock held is not started (`ran: false`, with the holder). A dry run writes nothing anywhere,
 * so it needs no lock.
 */
export async function runWithService(options: RunServiceOptions): Promise<LockedRun<RunReport>> {
  const { loaded, store, log, mode } = options;
  const runId = options.runId ?? randomUUID();
  const run = async (lost?: AbortSignal): Promise<RunReport> => {
    const crm = await (options.createCrm ?? createCrmConnector)({ loaded, log });
    options.onConnector?.(crm);
    try {
      const signals = [options.signal, lost].filter((s) => s !== undefined);
      const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
      return await runSync({ ...options.runOptions(crm), mode, runId, ...(signal ? { signal } : {}) });
    } finally {
      await crm.close();
    }
  };
  if (mode === 'dry-run') return { ran: true, value: await run() };
  const lock = {
    store,
    sync: loaded.config.name,
    holder: runId,
    leaseMs: loaded.config.worker.lockLeaseSeconds * 1000,
    log,
  };
  return withRunLock(lock, run);
}
