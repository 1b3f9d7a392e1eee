import type { Alert, AlertEntry, AlertField, AlertSection } from './types.ts';

/** Block Kit limits (https://api.slack.com/reference/block-kit/blocks). */
const LIMITS = {
  header: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  blocks: 50,
  fallback: 3000,
} as const;

interface TextObject {
  readonly type: 'plain_text' | 'mrkdwn';
  readonly text: string;
  readonly emoji?: boolean;
  /** mrkdwn only: true stops Slack turning bare URLs, #channels and @mentions into links. */
  readonly verbatim?: boolean;
}

export type SlackBlock =
  | { readonly type: 'header'; readonly text: TextObject }
  | { readonly type: 'section'; readonly text?: TextObject; readonly fields?: readonly TextObject[] }
  | { readonly type: 'divider' }
  | { readonly type: 'context'; readonly elements: readonly TextObject[] };

/** An incoming-webhook payload: `text` is the notification fallback, `blocks` the message. */
export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
  readonly unfurl_links: false;
  readonly unfurl_media: false;
}

/**
 * Slack's three control characters as entities (https://api.slack.com/reference/surfaces/formatting#escaping):
 * a company called `<!channel>` or `<https://evil|click>` then reads as written instead of pinging or linking.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Bold for text that may hold customer data: escaped, and with its own `*` swapped for a look-alike so a
 * name such as `*NSYNC` cannot end the bold early and bolden what follows.
 */
function bold(text: string): string {
  const inner = escapeSlack(text.trim()).replace(/\*/g, '∗');
  return inner === '' ? '' : `*${inner}*`;
}

/** Cuts escaped text to `max` characters without splitting an entity such as `&amp;`. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

const mrkdwn = (text: string, max: number): TextObject => ({ type: 'mrkdwn', text: clip(text, max), verbatim: true });

function entryText(entry: AlertEntry): string {
  const label = entry.label === undefined ? '' : bold(entry.label);
  const text = entry.text === undefined ? '' : escapeSlack(entry.text);
  const body = label && text ? `${label}\n${text}` : label || text;
  return entry.bullet ? `• ${body}` : body;
}

function fieldText(field: AlertField): TextObject {
  return mrkdwn(`${bold(field.label)}\n${escapeSlack(field.value)}`, LIMITS.fieldText);
}

/** Fields in sections of ten, Slack's maximum. */
function fieldBlocks(fields: readonly AlertField[]): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection)
    blocks.push({ type: 'section', fields: fields.slice(i, i + LIMITS.fieldsPerSection).map(fieldText) });
  return blocks;
}

function sectionBlocks(section: AlertSection): SlackBlock[] {
  // A labelled entry (a signal and its detail) starts a paragraph; plain lines and bullets follow on.
  const body = (section.entries ?? [])
    .map((e, i) => `${i === 0 ? '' : e.label === undefined ? '\n' : '\n\n'}${entryText(e)}`)
    .join('');
  const text = [section.heading ? bold(section.heading) : '', body].filter((part) => part !== '').join('\n');
  const blocks: SlackBlock[] = text === '' ? [] : [{ type: 'section', text: mrkdwn(text, LIMITS.sectionText) }];
  return [...blocks, ...fieldBlocks(section.fields ?? [])];
}

/**
 * Seed 004's layout in Block Kit: the title as a header, the headline facts as fields, a divider (the
 * seed's ━━━ rule), each section with its bold heading, and the footer as small print. Every piece of
 * customer text is escaped; the title is fixed wording and goes out as plain text.
 */
export function renderSlack(alert: Alert): SlackPayload {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(alert.title, LIMITS.header), emoji: true } },
    ...fieldBlocks(alert.fields),
    { type: 'divider' },
    ...alert.sections.flatMap(sectionBlocks),
    ...(alert.footer
      ? [{ type: 'context' as const, elements: [mrkdwn(`_${escapeSlack(alert.footer)}_`, LIMITS.fieldText)] }]
      : []),
  ];
  const kept =
    blocks.length <= LIMITS.blocks
      ? blocks
      : [
          ...blocks.slice(0, LIMITS.blocks - 1),
          { type: 'context' as const, elements: [mrkdwn('_(message shortened)_', 100)] },
        ];
  return {
    text: clip(escapeSlack(alert.summary), LIMITS.fallback),
    blocks: kept,
    unfurl_links: false,
    unfurl_media: false,
  };
}
