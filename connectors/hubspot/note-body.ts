import { renderNoteHtml } from '../shared/note-html.ts';

/** hs_note_body limit: https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide */
export const NOTE_BODY_MAX = 65_536;

/** A HubSpot note body: the shared note HTML within hs_note_body's limit (HubSpot sanitises note HTML). */
export function renderHubspotNote(options: {
  readonly title: string;
  readonly body: string;
  readonly key: string;
}): string {
  return renderNoteHtml({ ...options, max: NOTE_BODY_MAX });
}
