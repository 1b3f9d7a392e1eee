import { ConfigError, errorMessage, isSyncError, type FailureKind } from '../errors.ts';
import type { RunReport } from '../engine/report.ts';

/** Exit codes, documented in `expansion-sync --help` and the README. */
export const EXIT = {
  ok: 0,
  /** The run finished but some records failed to write; they are retried next run. */
  partial: 1,
  /** Invalid input: the config or a mapping file, or the command line (see `usage`). */
  config: 2,
  /** The command line is wrong: an unknown command or option, a missing required option, an invalid value. */
  usage: 2,
  auth: 3,
  /** The CRM's daily API quota ran out; progress is saved and the next run resumes. */
  quota: 4,
  failed: 5,
  /** Stopped on request (SIGTERM, SIGINT): the batch in flight finished, progress is saved. */
  stopped: 6,
} as const;

export function exitCodeForReport(report: RunReport): number {
  if (report.status === 'stopped') {
    // 'shutdown' is SHUTDOWN_CODE in src/engine/apply.ts, not imported: `config schema` must load no engine module.
    if (report.stopped?.code === 'shutdown') return EXIT.stopped;
    // A run that stopped on rejected credentials mid-run exits as auth; one whose quota ran out, as quota.
    return report.stopped?.kind === 'auth' ? EXIT.auth : EXIT.quota;
  }
  if (report.status === 'partial') return EXIT.partial;
  if (report.status === 'failed') return EXIT.failed;
  return EXIT.ok;
}

const BY_KIND: Partial<Record<FailureKind, number>> = { config: EXIT.config, auth: EXIT.auth, quota: EXIT.quota };

export function exitCodeForError(error: unknown): number {
  return isSyncError(error) ? (BY_KIND[error.kind] ?? EXIT.failed) : EXIT.failed;
}

/** Where the CLI writes an error: process.stderr, or a buffer when a test runs a command in-process. */
export interface ErrorSink {
  write(text: string): unknown;
}

/**
 * Prints a command's error the one way the CLI does and returns its exit code. A config error's message
 * already names the file, path and fix, so it is printed as it is; other errors carry their stable code.
 */
export function reportCliError(error: unknown, stderr: ErrorSink): number {
  if (error instanceof ConfigError) {
    stderr.write(`${error.message}\n`);
    return EXIT.config;
  }
  const code = isSyncError(error) ? ` [${error.code}]` : '';
  stderr.write(`expansion-sync: ${errorMessage(error)}${code}\n`);
  return exitCodeForError(error);
}

export const EXIT_HELP = `Exit codes:
  0  the run succeeded
  1  the run finished, but some records failed to write (listed; retried next run)
  2  invalid input: the command line (an unknown command or option, a missing --config, a bad value such as
     --as-of), or the config or a mapping file (the message names the file, path and fix)
  3  the CRM rejected the credentials
  4  the CRM's daily API limit ran out; progress is saved and the next run resumes
  5  the run failed for another reason
  6  stopped on request (SIGTERM, SIGINT): the batch in flight finished; the next run resumes`;
