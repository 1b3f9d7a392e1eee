import { locatedError } from './errors.ts';

/**
 * Tokens of the SOQL subset (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm).
 * Keywords are words, matched case-insensitively by the parser. A string token's `text` is the raw text
 * between the quotes, escapes still in it: whether `\%` is legal depends on whether it is a LIKE pattern.
 */
export type TokenKind = 'word' | 'string' | 'number' | 'date' | 'datetime' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset of the token's first character in the query. */
  readonly position: number;
}

const PUNCTUATION = ['!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '.', ':'];
const DATETIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})/y;
const DATE = /\d{4}-\d{2}-\d{2}(?![\w:])/y;
const NUMBER = /-?\d+(?:\.\d+)?(?![\w.])/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s+/y;

function matchAt(pattern: RegExp, soql: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(soql)?.[0];
}

/** Scans a quoted string; a backslash always takes the next character with it, so `\'` never ends it. */
function scanString(soql: string, start: number): Token {
  let index = start + 1;
  while (index < soql.length) {
    const char = soql.charAt(index);
    if (char === '\\') index += 2;
    else if (char === "'") return { kind: 'string', text: soql.slice(start + 1, index), position: start };
    else index += 1;
  }
  throw locatedError(
    'MALFORMED_QUERY',
    soql,
    start,
    "unexpected token: unterminated string literal, mismatched character '<EOF>' expecting '''",
  );
}

function scanToken(soql: string, position: number): Token {
  if (soql.charAt(position) === "'") return scanString(soql, position);
  const patterns: ReadonlyArray<readonly [TokenKind, RegExp]> = [
    ['datetime', DATETIME],
    ['date', DATE],
    ['number', NUMBER],
    ['word', WORD],
  ];
  for (const [kind, pattern] of patterns) {
    const text = matchAt(pattern, soql, position);
    if (text !== undefined) return { kind, text, position };
  }
  const punct = PUNCTUATION.find((candidate) => soql.startsWith(candidate, position));
  if (punct !== undefined) return { kind: 'punct', text: punct, position };
  const bad = /\S+/y;
  throw locatedError(
    'MALFORMED_QUERY',
    soql,
    position,
    `unexpected token: '${matchAt(bad, soql, position) ?? soql.charAt(position)}'`,
  );
}

/** Splits a query into tokens, ending with one `eof` token. */
export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < soql.length) {
    const space = matchAt(SPACE, soql, position);
    if (space !== undefined) {
      position += space.length;
      continue;
    }
    const token = scanToken(soql, position);
    tokens.push(token);
    position = token.position + token.text.length + (token.kind === 'string' ? 2 : 0);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', position: soql.length });
  return tokens;
}
