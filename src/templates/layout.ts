import type { RenderedText } from './view.ts';

/**
 * Plain-text layout after rendering, so templates can be written readably: optional phrases that
 * rendered empty leave no double spaces, no space before punctuation and no run of blank lines.
 * Paragraphs are separated by one blank line; a line break inside a paragraph is kept (bullets).
 */
export function tidy(text: string): string {
  const lines = text
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/[ \t]+/g, ' ')
        .replace(/ +([.,;:!?)])/g, '$1')
        .replace(/\( +/g, '(')
        .trim(),
    );
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out.at(-1) === '')) continue;
    out.push(line);
  }
  while (out.at(-1) === '') out.pop();
  return out.join('\n');
}

/** The first line is the title (a deal or note name); the body starts at the next non-empty line. */
export function splitTitle(text: string): RenderedText {
  const tidied = tidy(text);
  const newline = tidied.indexOf('\n');
  if (newline < 0) return { title: tidied, body: '' };
  return { title: tidied.slice(0, newline), body: tidied.slice(newline + 1).replace(/^\n+/, '') };
}
