import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths redacted in every log line. Tokens reach us only from the environment; these paths cover the
 * places an SDK error or a config object could carry them if one is ever logged by mistake.
 */
export const REDACT_PATHS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'clientSecret',
  'privateKey',
  'password',
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.clientSecret',
  '*.password',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'err.headers',
  'err.body.headers',
  'err.config.headers',
];

/**
 * `scheme://user:password@host` -> `scheme://[redacted]@host`: the user-info of every URL in a text. The
 * config refuses credentials in URLs, but an SDK or a stored message from an older version may still carry
 * one; this is the one place such text is scrubbed (log lines here, terminal output in src/cli/terminal-text.ts).
 */
export function redactUrlUserInfo(text: string): string {
  return text.includes('@') ? text.replace(URL_USER_INFO, '$1[redacted]@') : text;
}

/** A scheme, `//`, then user-info up to the last `@` before the host's end (`/`, `?`, `#` or whitespace). */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*(?:@[^\s/?#@]*)*@/gi;

/** Strings anywhere in a log argument with URL user-info redacted; errors become pino's serialized form first. */
function redactDeep(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactUrlUserInfo(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (value instanceof Error) return redactDeep(JSON.parse(JSON.stringify(pino.stdSerializers.err(value))), seen);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, seen));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, seen)]));
}

/** pino's logMethod hook: `logger.warn(err)` keeps its message as the line's msg, as pino does for an Error. */
function redactArgs(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error) {
    const err = redactDeep(first) as { message?: unknown };
    const msg = typeof rest[0] === 'string' ? [] : [typeof err.message === 'string' ? err.message : ''];
    return [{ err }, ...msg, ...rest.map((arg) => redactDeep(arg))];
  }
  return args.map((arg) => redactDeep(arg));
}

export interface CreateLoggerOptions {
  readonly level?: string;
  /** Pretty output for people; JSON for machines. Defaults to pretty when stderr is a TTY. */
  readonly pretty?: boolean;
  /** Where JSON lines go; tests pass a stream to read them back. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const base: LoggerOptions = {
    level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: null,
    hooks: {
      logMethod(args, method) {
        method.apply(this, redactArgs(args) as Parameters<typeof method>);
      },
    },
  };
  if (options.destination) return pino(base, options.destination);
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(base, pino.destination(2));
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
