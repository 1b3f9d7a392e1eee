import { SyncError, type FailureKind } from '../../src/errors.ts';

/** Where the source connects, for messages: host, port and database, never the user or the password. */
export function describeTarget(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed || !/^postgres(ql)?:$/.test(parsed.protocol)) return 'the database';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${database}`;
}

/** A whole-source failure, before or while rows are read: the run stops before any CRM write. */
export function sourceError(
  label: string,
  message: string,
  options: { readonly kind: FailureKind; readonly code: string; readonly cause?: unknown; readonly sqlState?: string },
): SyncError {
  return new SyncError(`usage source ${label}: ${message}`, {
    code: options.code,
    kind: options.kind,
    details: { source: label, ...(options.sqlState ? { sqlState: options.sqlState } : {}) },
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

interface PgLikeError {
  readonly code?: string;
  readonly message?: string;
  readonly position?: string;
}

/**
 * Maps what `pg` throws to a SyncError naming the source and the fix. SQLSTATE classes are PostgreSQL's
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html): 28 is a refused login, 42501 a missing
 * grant, 3D000 a database that does not exist, 25006 a write in the read-only session, 42 and 22 a query the server cannot run, 08 and 57/53 a
 * connection or server that failed on the way. Node's own codes (ECONNREFUSED, ENOTFOUND) mean the URL
 * points nowhere.
 */
export function classifyPgError(
  error: unknown,
  context: {
    readonly label: string;
    readonly target: string;
    readonly query: string;
    /** 1-based line of a 1-based character position in the SQL that was sent. */
    readonly lineOf: (position: number) => number;
  },
): SyncError {
  if (error instanceof SyncError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as PgLikeError;
  const code = e.code ?? '';
  const text = e.message ?? String(error);
  const { label, target, query } = context;
  const fail = (kind: FailureKind, errorCode: string, message: string): SyncError =>
    sourceError(label, message, { kind, code: errorCode, cause: error, ...(code ? { sqlState: code } : {}) });
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return fail(
      'config',
      'usage_source_unreachable',
      `cannot connect to ${target} (${code}); check the host and port of the URL in usage.url's environment variable, and that the server is running`,
    );
  if (code === '28P01' || code === '28000')
    return fail(
      'auth',
      'usage_source_auth',
      `${target} refused the login (${text}); check the user and password in usage.url's environment variable (or PGPASSWORD)`,
    );
  if (code === '42501')
    return fail(
      'auth',
      'usage_source_permission',
      `the database user may not read what ${query} selects (${text}); GRANT SELECT on those tables to the user`,
    );
  if (code === '3D000')
    return fail(
      'config',
      'usage_source_config',
      `${text} on ${target}; check the database name in usage.url's environment variable`,
    );
  if (code.startsWith('42') || code.startsWith('22') || code.startsWith('0A')) {
    const position = Number(e.position);
    const where = Number.isInteger(position) && position > 0 ? `${query}:${context.lineOf(position)}` : query;
    return fail(
      'config',
      'usage_source_query',
      `the query failed at ${where}: ${text} (SQLSTATE ${code}); fix the SQL`,
    );
  }
  if (code === '25006')
    return fail(
      'config',
      'usage_source_query',
      `${query} tries to write (${text}); the source runs it read-only: a usage query only selects`,
    );
  if (code === '57014')
    return fail(
      'transient',
      'usage_source_timeout',
      `the query was cancelled after usage.statementTimeoutSeconds (${text}); raise it, or index the table on the day column`,
    );
  return fail('transient', 'usage_source_failed', `reading ${target} failed: ${text}${code ? ` (${code})` : ''}`);
}
