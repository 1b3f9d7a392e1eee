import { access } from 'node:fs/promises';
import path from 'node:path';
import { configSystem, loadConfig, type LoadedConfig } from '../config/load.ts';
import { SyncError } from '../errors.ts';
import type { CrmSystem } from '../model/account.ts';
import { AssessmentSchema, type Assessment } from '../model/assessment.ts';
import { openSqliteStore } from '../state/sqlite-store.ts';
import type { StateStore, StoredAssessment } from '../state/store.ts';

/** What the read-only commands (`score`, `pipeline`) work with: the config, its CRM system and its state store. */
export interface StoreContext {
  readonly loaded: LoadedConfig;
  readonly system: CrmSystem;
  /** The state database file, for messages. */
  readonly storeFile: string;
  readonly store: StateStore;
}

/** One stored row whose assessment parsed against the current AssessmentSchema. */
export interface ParsedAssessment {
  readonly stored: StoredAssessment;
  readonly assessment: Assessment;
}

export type ParseResult =
  { readonly ok: true; readonly value: ParsedAssessment } | { readonly ok: false; readonly message: string };

const SECRET_UNUSED = 'unused-by-read-only-commands';

/**
 * Loads the config without needing its secrets: the read-only commands never talk to the CRM, so an unset
 * token variable is no error here (every referenced variable reads as a placeholder that nothing uses).
 */
export function loadConfigForReading(file: string): Promise<LoadedConfig> {
  const env = new Proxy<NodeJS.ProcessEnv>(
    { ...process.env },
    {
      get: (target, key) => (typeof key === 'string' ? target[key] || SECRET_UNUSED : undefined),
    },
  );
  return loadConfig(file, { env });
}

export { configSystem };

/** Opens the config's existing state store for `fn` and closes it after; a missing store is an error, never created. */
export async function withStore<T>(configFile: string, fn: (context: StoreContext) => Promise<T>): Promise<T> {
  const loaded = await loadConfigForReading(configFile);
  const dataDir = loaded.resolvePath(loaded.config.dataDir);
  const storeFile = path.join(dataDir, 'state.db');
  try {
    await access(storeFile);
  } catch {
    throw new SyncError(
      `No state store at ${storeFile}: run \`expansion-sync sync --config ${configFile}\` (or --shadow) first; a --dry-run stores nothing.`,
      {
        code: 'state_missing',
        kind: 'system',
        details: { file: storeFile },
      },
    );
  }
  const store = await openSqliteStore({ dataDir });
  try {
    return await fn({ loaded, system: configSystem(loaded), storeFile, store });
  } finally {
    await store.close();
  }
}

/** Parses one stored row; a row written by an older or newer version that no longer matches is reported, not thrown. */
export function parseStored(stored: StoredAssessment): ParseResult {
  const result = AssessmentSchema.safeParse(stored.assessment);
  if (result.success) return { ok: true, value: { stored, assessment: result.data } };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  return {
    ok: false,
    message: `the stored assessment of account ${stored.accountId} does not match the current format${where}: ${issue?.message ?? 'invalid'}; the next sync replaces it`,
  };
}

/** Every stored assessment of the config's CRM system that parses; the others are reported on stderr and skipped. */
export async function listParsed(
  context: StoreContext,
  warn: (line: string) => void,
): Promise<{ readonly items: ParsedAssessment[]; readonly skipped: number }> {
  const rows = await context.store.listAssessments(context.system);
  const items: ParsedAssessment[] = [];
  for (const row of rows) {
    const result = parseStored(row);
    if (result.ok) items.push(result.value);
    else warn(`skipped: ${result.message}`);
  }
  return { items, skipped: rows.length - items.length };
}

export function noAssessmentsError(context: StoreContext, configFile: string, skipped = 0): SyncError {
  const none =
    skipped > 0
      ? `None of the ${skipped} stored ${context.system} assessments in ${context.storeFile} is readable (see above)`
      : `No stored ${context.system} assessments in ${context.storeFile}`;
  return new SyncError(
    `${none}: run \`expansion-sync sync --config ${configFile}\` (or --shadow) first; a --dry-run stores nothing.`,
    {
      code: 'no_assessments',
      kind: 'system',
      details: { file: context.storeFile, system: context.system },
    },
  );
}
