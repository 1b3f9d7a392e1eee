import { parseJson } from '../../emulator-kit/http-io.ts';

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

  constructor(
    status: number,
    body: readonly RestError[] | { readonly error: string; readonly error_description: string },
  ) {
    super(
      Array.isArray(body) ? (body[0]?.message ?? 'error') : (body as { error_description: string }).error_description,
    );
    this.name = 'SalesforceHttpError';
    this.status = status;
    this.body = body;
  }
}

export function restError(
  status: number,
  errorCode: string,
  message: string,
  fields?: readonly string[],
): SalesforceHttpError {
  return new SalesforceHttpError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
}

/**
 * Salesforce labels JSON, errors included, `application/json;charset=UTF-8`; jsforce parses a body only when
 * the content type matches `/^application\/json(;|$)/` (jsforce `http-api.ts`).
 */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Bad JSON is 400 JSON_PARSER_ERROR (errorcodes.htm). */
export function parseJsonBody(text: string): unknown {
  return parseJson(text, (detail) => restError(400, 'JSON_PARSER_ERROR', `Unexpected character in JSON: ${detail}`));
}

/** A body over the emulator's size cap, as Salesforce refuses it. */
export function bodyTooLarge(): SalesforceHttpError {
  return restError(413, 'REQUEST_ENTITY_TOO_LARGE', 'Request body too large');
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
