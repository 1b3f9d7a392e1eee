import { redactUrlUserInfo } from '../logger.ts';

/**
 * What the CLI prints comes partly from the CRM (account and owner names, messages), and a name holding ESC,
 * BEL or a bidi override could clear the screen, set the window title or make text read backwards. Every
 * renderer passes its input through `terminalSafe`: C0 and C1 controls (all but newline; tab becomes a
 * space) and the bidi embedding, override and isolate characters are shown as visible escapes (`\x1b`,
 * `\u202e`), and URL user-info is redacted. Ordinary Unicode (accents, CJK, emoji) is untouched.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

const escape = (char: string): string => {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One string made safe to print: control and bidi characters escaped, tabs as spaces, URL credentials redacted. */
export function terminalText(text: string): string {
  return redactUrlUserInfo(text.replaceAll('\t', ' ').replace(UNSAFE, escape));
}

/**
 * A renderer's input with every string (object keys included: totals are keyed by owner name) passed
 * through `terminalText`. Plain objects and arrays are copied; anything else is kept as it is.
 */
export function terminalSafe<T>(value: T): T {
  return safe(value) as T;
}

function safe(value: unknown): unknown {
  if (typeof value === 'string') return terminalText(value);
  if (Array.isArray(value)) return value.map(safe);
  if (typeof value !== 'object' || value === null) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [terminalText(key), safe(item)]));
}
