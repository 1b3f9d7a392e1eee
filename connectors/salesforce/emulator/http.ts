import type { IncomingMessage, ServerResponse } from 'node:http';

/** One element of a REST error body (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm). */
export interface RestError {
  readonly message: string;
  readonly errorCode: string;
  readonly fields?: readonly string[];
}

/** A handler's way to answer with Salesforce's error array, or an OAuth error object. */
export class SalesforceHttpError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(status: number, body: readonly RestError[] | { readonly error: string; readonly error_description: string }) {
    super(Array.isArray(body) ? (body[0]?.message ?? 'error') : (body as { error_description: string }).error_description);
    this.name = 'SalesforceHttpError';
    this.status = status;
    this.body = body;
  }
}

export function restError(status: number, errorCode: string, message: string, fields?: readonly string[]): SalesforceHttpError {
  return new SalesforceHttpError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Salesforce labels JSON, errors included, `application/json;charset=UTF-8`; jsforce parses a body only when
 * the content type matches `/^application\/json(;|$)/` (jsforce `http-api.ts`).
 */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

export function send(res: ServerResponse, reply: Reply, headers: Readonly<Record<string, string>>): void {
  if (res.headersSent || res.destroyed) return;
  const all: Record<string, string> = { ...headers, ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, all);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  all['content-type'] = JSON_CONTENT_TYPE;
  all['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, all);
  res.end(text);
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw restError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Bad JSON is 400 JSON_PARSER_ERROR (errorcodes.htm). */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'malformed JSON';
    throw restError(400, 'JSON_PARSER_ERROR', `Unexpected character in JSON: ${detail}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Datetimes in REST responses read `2013-05-20T20:49:32.000+0000` (resources-query.html examples). */
export function restDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * Salesforce keeps DateTime values to the second (the API shows `.000`), which is why incremental reads on
 * SystemModstamp need an overlap window; the emulator stores them the same way.
 */
export function secondsIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}
