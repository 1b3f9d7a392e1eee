import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route handler answers; the emulator turns it into the HTTP response. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A body that is not JSON (Salesforce Bulk API 2.0 answers CSV), sent as is with `contentType`. */
  readonly text?: { readonly contentType: string; readonly body: string };
}

/**
 * Writes a reply as JSON (or as its `text`). The content type is the vendor's exact spelling, because SDKs match on it
 * before parsing a body. A reply after a reset or a timeout (socket gone) is dropped, not thrown.
 */
export function sendJson(
  res: ServerResponse,
  reply: Reply,
  headers: Readonly<Record<string, string>>,
  contentType: string,
): void {
  if (res.headersSent || res.destroyed) return;
  const all: Record<string, string> = { ...headers, ...reply.headers };
  if (reply.text !== undefined && reply.status !== 204) {
    all['content-type'] = reply.text.contentType;
    all['content-length'] = String(Buffer.byteLength(reply.text.body));
    res.writeHead(reply.status, all);
    res.end(reply.text.body);
    return;
  }
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, all);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  all['content-type'] = contentType;
  all['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, all);
  res.end(text);
}

/** Far above any batch the connectors send; it only stops a runaway test from filling memory. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Only these methods carry a body in the APIs emulated; a GET or DELETE body is never read. */
export function hasBody(req: IncomingMessage): boolean {
  return req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT';
}

/** The request body as UTF-8 text; `tooLarge` is the vendor's own 413. */
export async function readBody(req: IncomingMessage, tooLarge: () => Error): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An empty body is no body (undefined); bad JSON becomes the vendor's own error, built by `invalid` from the
 * parser's message and the text (HubSpot reports a line and column, Salesforce only a code).
 */
export function parseJson(text: string, invalid: (detail: string, text: string) => Error): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : 'malformed JSON', text);
  }
}

/** A JSON object (not an array or null), the shape every request body of both APIs must have. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
