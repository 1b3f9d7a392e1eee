import { parseJson } from '../../emulator-kit/http-io.ts';

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

/**
 * Bad JSON is answered with 400 "Invalid input JSON on line L, column C: …" and no category, as HubSpot's
 * Jackson-based gateway does (quoted in the HubSpot error-handling docs' examples and client issues).
 */
export function parseJsonBody(text: string): unknown {
  return parseJson(text, (detail, source) => {
    const position = Number(/position (\d+)/.exec(detail)?.[1] ?? 0);
    const before = source.slice(0, position).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    return new HubspotHttpError(400, { message: `Invalid input JSON on line ${line}, column ${column}: ${detail}` });
  });
}

/** A body over the emulator's size cap, as HubSpot refuses it. */
export function bodyTooLarge(): HubspotHttpError {
  return new HubspotHttpError(413, { category: 'VALIDATION_ERROR', message: 'Request body too large' });
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
