/** The longest a vendor's error message is stored or printed: enough to read, short enough to scan a list. */
export const MESSAGE_MAX_CHARS = 300;

/**
 * A message for people, on one line and at most `max` characters: runs of whitespace (a JSON body's
 * newlines, a stack of indented lines) become one space, and a longer text is cut at a word with `…`.
 */
export function clipMessage(text: string, max: number = MESSAGE_MAX_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= max * 0.7 ? cut.slice(0, space) : cut).replace(/[\s,:;([{]+$/, '')}…`;
}
