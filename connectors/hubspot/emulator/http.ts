import type { IncomingMessage, ServerResponse } from 'node:http';

/** One entry of an error's `errors[]`: https://developers.hubspot.com/docs/faq/api-error-responses */
export interface ErrorDetail {
  readonly message: string;
  readonly code?: string;
  readonly in?: string;
  readonly subCategory?: string;
  readonly context?: Readonly<Record<string, readonly string[]>>;
}

export interface ErrorFields {
  readonly message: string;
  readonly category?: string;
  readonly subCategory?: string;
  readonly errors?: readonly ErrorDetail[];
  readonly context?: Readonly<Record<string, readonly string[]>>;
  readonly links?: Readonly<Record<string, string>>;
  /** Fields some bodies carry instead of `category` (429s: `errorType`, `policyName`, `groupName`). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** A handler's way to answer with HubSpot's error body. */
export class HubspotHttpError extends Error {
  readonly status: number;
  readonly fields: ErrorFields;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, fields: ErrorFields, headers: Readonly<Record<string, string>> = {}) {
    super(fields.message);
    this.name = 'HubspotHttpError';
    this.status = status;
    this.fields = fields;
    this.headers = headers;
  }
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The documented error body: `{status:"error", message, correlationId, category, subCategory?, errors?,
 * context?, links?}` (https://developers.hubspot.com/docs/faq/api-error-responses). Clients should match on
 * status and category, never on message (https://developers.hubspot.com/docs/breaking-change-definition).
 */
export function errorBody(fields: ErrorFields, correlationId: string): Record<string, unknown> {
  return {
    status: 'error',
    message: fields.message,
    correlationId,
    ...(fields.errors ? { errors: fields.errors } : {}),
    ...(fields.context ? { context: fields.context } : {}),
    ...(fields.category ? { category: fields.category } : {}),
    ...(fields.subCategory ? { subCategory: fields.subCategory } : {}),
    ...(fields.links ? { links: fields.links } : {}),
    ...fields.extra,
  };
}

/** HubSpot labels every JSON body, errors included, as UTF-8 JSON. */
export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';

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
    if (size > MAX_BODY_BYTES) throw new HubspotHttpError(413, { category: 'VALIDATION_ERROR', message: 'Request body too large' });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Bad JSON is answered with 400 "Invalid input JSON on line L, column C: …" and no category, as HubSpot's
 * Jackson-based gateway does (quoted in the HubSpot error-handling docs' examples and client issues).
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'malformed JSON';
    const position = Number(/position (\d+)/.exec(detail)?.[1] ?? 0);
    const before = text.slice(0, position).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    throw new HubspotHttpError(400, { message: `Invalid input JSON on line ${line}, column ${column}: ${detail}` });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A 400 VALIDATION_ERROR for a request body or parameter HubSpot would refuse. */
export function invalidInput(message: string, errors?: readonly ErrorDetail[]): HubspotHttpError {
  return new HubspotHttpError(400, { category: 'VALIDATION_ERROR', message, ...(errors ? { errors } : {}) });
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Paging cursors are opaque strings (`paging.next.after`), like HubSpot's base64 cursors
 * (https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide). They encode a position.
 */
export function encodeCursor(position: number): string {
  return Buffer.from(String(position)).toString('base64url');
}

export function decodeCursor(after: string | null): number {
  if (after === null || after === '') return 0;
  const position = Number(Buffer.from(after, 'base64url').toString('utf8'));
  if (!Number.isInteger(position) || position < 0) throw invalidInput(`Invalid paging cursor: after=${after}`);
  return position;
}

export function pagingJson(after: string, link: string): { next: { after: string; link: string } } {
  return { next: { after, link } };
}

/** `limit` query parameter: the default when absent, capped at the endpoint's maximum. */
export function limitParam(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) throw invalidInput(`limit must be a positive integer, got ${raw}`);
  return Math.min(limit, max);
}
