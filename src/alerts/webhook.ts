import type { Alert, AlertSection } from './types.ts';

/** What the generic webhook receives for every alert. */
export interface WebhookPayload {
  readonly kind: Alert['kind'];
  readonly title: string;
  /** The whole alert as plain text, for receivers that only show text. */
  readonly text: string;
  readonly summary: string;
  readonly ownerId?: string;
  readonly key?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** `Label: text`, `Suggested Opening: “…”`, or the label on its own line above a multi-line text. */
function joiner(label: string, text: string): string {
  if (text.includes('\n')) return '\n';
  return label.endsWith(':') ? ' ' : ': ';
}

function sectionText(section: AlertSection): string[] {
  const lines: string[] = section.heading ? [section.heading] : [];
  for (const entry of section.entries ?? []) {
    const body =
      entry.label === undefined || entry.text === undefined
        ? (entry.label ?? entry.text ?? '')
        : `${entry.label}${joiner(entry.label, entry.text)}${entry.text}`;
    lines.push(entry.bullet ? `• ${body}` : body);
  }
  for (const field of section.fields ?? []) lines.push(`${field.label}: ${field.value}`);
  return lines;
}

/** The alert as plain text: title, `Label: value` facts, then each section under its heading. */
export function alertText(alert: Alert): string {
  const blocks = [
    [alert.title, ...alert.fields.map((f) => `${f.label}: ${f.value}`)],
    ...alert.sections.map(sectionText).filter((lines) => lines.length > 0),
    ...(alert.footer ? [[alert.footer]] : []),
  ];
  return blocks.map((lines) => lines.join('\n')).join('\n\n');
}

export function renderWebhook(alert: Alert): WebhookPayload {
  return {
    kind: alert.kind,
    title: alert.title,
    text: alertText(alert),
    summary: alert.summary,
    ...(alert.ownerId === undefined ? {} : { ownerId: alert.ownerId }),
    ...(alert.key === undefined ? {} : { key: alert.key }),
    data: alert.data,
  };
}

/**
 * JSON for a body that a receiver may paste into HTML: `<`, `>`, `&` and the JavaScript line separators
 * go out as \u escapes. Still exactly the same JSON value once parsed.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
