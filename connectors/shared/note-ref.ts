/**
 * Every note the worker writes ends with a visible reference carrying only its key, so a later run can
 * find a note a crashed run created and never write it twice. Plain text, because CRMs sanitise note HTML.
 */
export const NOTE_REF_PREFIX = 'expansion-sync ref ';
export const NOTE_REF_PATTERN = /expansion-sync ref ([A-Za-z0-9_.:-]+)/;

/** The key a note body carries, if it is one of ours. */
export function noteKeyIn(body: string | null | undefined): string | undefined {
  return body ? NOTE_REF_PATTERN.exec(body)?.[1] : undefined;
}
