import { SyncError } from '../../src/errors.ts';
import type { UsageItem } from '../../src/model/usage.ts';

/** One row of the usage file: a valid day, or a located problem that does not stop the reading. */
export type UsageFileItem = UsageItem<{ readonly line: number }>;

export function missingFile(path: string): SyncError {
  return new SyncError(
    `usage file ${path} does not exist; check usage.path in the config (it is relative to the config file)`,
    { code: 'usage_file_missing', kind: 'config', details: { path } },
  );
}

/** The file as a whole cannot be used: the message says what is wrong and how to fix it. */
export function invalidFile(path: string, reason: string, cause?: unknown): SyncError {
  return new SyncError(`usage file ${path} cannot be read: ${reason}`, {
    code: 'usage_file_invalid',
    kind: 'config',
    details: { path },
    ...(cause === undefined ? {} : { cause }),
  });
}
