import { loadConfig } from '../../config/load.ts';
import { heldByText } from '../../engine/run-lock.ts';
import { runWithService } from '../../engine/run-service.ts';
import { SyncError } from '../../errors.ts';
import { createLogger } from '../../logger.ts';
import { openSqliteStore } from '../../state/sqlite-store.ts';
import { EXIT } from '../exit-codes.ts';
import { progressFor } from '../progress.ts';
import { runOptionsFrom } from '../run-options.ts';

export interface StateRebuildOptions {
  readonly config: string;
  readonly asOf?: string;
  readonly json?: boolean;
  readonly logLevel?: string;
}

/**
 * `state rebuild`: after the state store was lost or restored from an older copy, take back from the CRM what
 * the worker had written (the values of our fields, our deals by key, our notes by reference) so the next run
 * neither writes a note twice nor takes its own values for a person's edits. Reads the CRM; writes only the
 * state store.
 */
export async function stateRebuildCommand(options: StateRebuildOptions): Promise<number> {
  const loaded = await loadConfig(options.config);
  const log = createLogger({ level: options.logLevel ?? (options.json ? 'warn' : 'info') });
  const store = await openSqliteStore({ dataDir: loaded.resolvePath(loaded.config.dataDir) });
  const progress = progressFor({ log, tty: process.stderr.isTTY === true && options.json !== true });
  try {
    const locked = await runWithService({
      loaded,
      store,
      log,
      mode: 'shadow',
      runOptions: (crm) => ({
        ...runOptionsFrom({
          loaded,
          crm,
          store,
          log,
          mode: 'shadow',
          asOf: options.asOf,
          fullRead: true,
          onProgress: progress.onProgress,
        }),
        rebuild: true,
      }),
    });
    if (!locked.ran)
      throw new SyncError(`Not started: ${heldByText(loaded.config.name, locked.heldBy)}. Wait for it, or stop it.`, {
        code: 'sync_locked',
        kind: 'system',
      });
    const report = locked.value;
    progress.stop();
    const rebuilt = report.rebuilt ?? { ledgers: 0, opportunities: 0, notes: 0 };
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ runId: report.runId, rebuilt, planned: report.planned }, null, 2)}\n`);
      return EXIT.ok;
    }
    const p = report.planned;
    const lines = [
      `Rebuilt the state store of "${report.sync}" from ${report.system} (run ${report.runId.slice(0, 8)}, no CRM writes):`,
      `  ${rebuilt.ledgers} records' values taken as what the worker last wrote`,
      `  ${rebuilt.opportunities} deals carrying our key recorded as ours`,
      `  ${rebuilt.notes} notes found by their reference`,
      `A live run now would make ${p.accountUpdates} account updates, ${p.opportunityCreates} new and ${p.opportunityUpdates} updated deals, and ${Math.max(0, p.notes - rebuilt.notes)} notes.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    progress.stop();
    await store.close();
  }
}
