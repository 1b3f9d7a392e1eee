import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import axios from 'axios';
import Bottleneck from 'bottleneck';
import { clipMessage } from '../../src/clip.ts';
import { createCallPolicy, type CallPolicy } from '../../src/http/call-policy.ts';
import { classifyHttpDefault } from '../../src/http/classify-default.ts';
import { messageChain, networkCodeOf, type HttpFailureInfo, type Resolution } from '../../src/http/classify.ts';
import type { Logger } from '../../src/logger.ts';
import { formatHour, type HourRange } from './hours.ts';

/**
 * The Export API call: GET {host}/api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH with Basic auth (API key as
 * user name, secret key as password). Sources: https://amplitude.com/docs/apis/analytics/export
 * ("Authentication", "Request", "Response", "Considerations").
 */

export const SYSTEM = 'amplitude';
const LABEL = 'Amplitude';
const CREDENTIALS_FIX =
  "check that the environment variables named by usage.apiKey.env and usage.secretKey.env hold this project's API key and secret key (in the project's settings in Amplitude), and that usage.host is the project's region";

export interface ExportClientOptions {
  readonly host: string;
  readonly apiKey: string;
  readonly secretKey: string;
  readonly log: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retries?: number;
}

/** What one export call gave: the archive written to `path`, or one of the two answers that are not errors. */
export type ExportOutcome =
  | { readonly kind: 'archive'; readonly bytes: number }
  /** 404: "The API returns a 404 response if there is no data for the time range you requested." */
  | { readonly kind: 'empty' }
  /** 400: "If the size exceeds 4GB, the request returns a 400 response. ... choose a smaller time range." */
  | { readonly kind: 'too_large'; readonly message: string };

export interface ExportClient {
  /** Streams the range's archive into the file at `path` (never into memory). */
  download(range: HourRange, path: string): Promise<ExportOutcome>;
}

/** A status the call policy classifies (any but 200, 400 and 404), with a short text of the body. */
class ExportHttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;

  constructor(status: number, headers: Record<string, string>, body: string) {
    super(`HTTP ${status}`);
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

export function createExportClient(options: ExportClientOptions): ExportClient {
  const secrets = new Set([options.apiKey, options.secretKey]);
  const policy: CallPolicy = createCallPolicy({
    system: SYSTEM,
    // The Export API documents no rate limit of its own; one call at a time keeps a run to one pull.
    limiter: new Bottleneck({ maxConcurrent: 1 }),
    classify: classifyAmplitude,
    toFailure: (error) => scrub(toAmplitudeFailure(error), secrets),
    log: options.log,
    retries: options.retries ?? 4,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const url = `${options.host.replace(/\/+$/, '')}/api/2/export`;
  return {
    download: (range, path) =>
      policy.run('export', async () => {
        const response = await axios.get<Readable>(url, {
          params: { start: formatHour(range.start), end: formatHour(range.end) },
          auth: { username: options.apiKey, password: options.secretKey },
          responseType: 'stream',
          validateStatus: () => true,
          maxRedirects: 0,
          // An archive can be gigabytes: axios must not count or buffer it.
          maxContentLength: Infinity,
          decompress: false,
        });
        const headers = lowerCase(response.headers);
        if (response.status !== 200) {
          const body = await readSmall(response.data);
          if (response.status === 404) return { kind: 'empty' };
          if (response.status === 400) return { kind: 'too_large', message: clipMessage(body.trim()) };
          throw new ExportHttpError(response.status, headers, body);
        }
        let bytes = 0;
        response.data.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        await pipeline(response.data, createWriteStream(path));
        return { kind: 'archive', bytes };
      }),
  };
}

export function classifyAmplitude(failure: HttpFailureInfo): Resolution {
  const said = failure.message ? `: ${clipMessage(failure.message)}` : '';
  if (failure.status === 401 || failure.status === 403)
    return {
      action: 'stop_run',
      kind: 'auth',
      code: 'amplitude_unauthorized',
      reason: `the Amplitude Export API did not accept the API key and secret key${said}; ${CREDENTIALS_FIX}`,
    };
  if (failure.status !== undefined && failure.status >= 300 && failure.status < 400)
    return {
      action: 'fail',
      kind: 'config',
      code: 'amplitude_redirected',
      reason:
        'the Export API host redirected the request; set usage.host to https://amplitude.com or https://analytics.eu.amplitude.com',
    };
  return classifyHttpDefault(failure, { system: SYSTEM, label: LABEL });
}

function toAmplitudeFailure(error: unknown): HttpFailureInfo {
  if (error instanceof ExportHttpError) {
    const text = error.body.trim();
    return {
      status: error.status,
      headers: error.headers,
      body: text,
      ...(text === '' ? {} : { message: text }),
    };
  }
  const networkCode = networkCodeOf(error);
  const message = messageChain(error);
  return {
    headers: {},
    ...(networkCode === undefined ? {} : { networkCode }),
    ...(message === undefined ? {} : { message }),
  };
}

/** An error body never carries a key back into a message, whatever the server echoed. */
function scrub(failure: HttpFailureInfo, secrets: ReadonlySet<string>): HttpFailureInfo {
  if (failure.message === undefined) return failure;
  let message = failure.message;
  for (const secret of secrets) if (secret) message = message.split(secret).join('[redacted]');
  return { ...failure, message };
}

/** At most 4 KB of an error body: enough for a message, never a whole archive. */
async function readSmall(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    if (size < 4096) chunks.push(buffer);
    size += buffer.length;
  }
  return Buffer.concat(chunks).subarray(0, 4096).toString('utf8');
}

function lowerCase(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return result;
  for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') result[key.toLowerCase()] = value;
  return result;
}
