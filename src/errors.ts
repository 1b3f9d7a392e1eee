/**
 * One error shape for the whole worker. `code` is stable (tests and alerts match on it), `kind` decides
 * what the engine does (retry, stop the run, report the record), `details` carry structured context.
 * Messages never include secrets: callers pass ids, paths and CRM messages, never headers or tokens.
 */
export type FailureKind = 'config' | 'auth' | 'transient' | 'rate_limited' | 'quota' | 'data' | 'system';

export interface SyncErrorOptions {
  readonly code: string;
  readonly kind: FailureKind;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class SyncError extends Error {
  readonly code: string;
  readonly kind: FailureKind;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, options: SyncErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.code = options.code;
    this.kind = options.kind;
    this.details = options.details ?? {};
  }
}

/** A problem the user fixes in a file: names the file, the JSON path and the fix. Exit code 2. */
export class ConfigError extends SyncError {
  readonly issues: readonly ConfigIssue[];

  constructor(file: string, issues: readonly ConfigIssue[]) {
    super(formatConfigIssues(file, issues), { code: 'config_invalid', kind: 'config', details: { file } });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export interface ConfigIssue {
  readonly file: string;
  /** JSON path such as `hubspot.pipeline` or `[3].transforms[0].type`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
  /** What to change, in the user's terms. */
  readonly fix?: string;
  /** 1-based line in the file where the problem is, when known. */
  readonly line?: number;
}

export function formatConfigIssues(file: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) => {
    const where = `${issue.file}${issue.line === undefined ? '' : `:${issue.line}`}${issue.path ? ` at ${issue.path}` : ''}`;
    return `  - ${where}: ${issue.message}${issue.fix ? `\n    fix: ${issue.fix}` : ''}`;
  });
  return `${file} is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

export function isSyncError(error: unknown): error is SyncError {
  return error instanceof SyncError;
}

/** The message of anything thrown, for reports. Never stringifies whole objects (they may hold headers). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'unknown error';
}
