import type { ComparisonOperator, Condition, FieldPath, Literal, OrderKey, Query } from './ast.ts';
import { locatedError, SoqlError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';
import { decodeString, likeRegExp, parseDate, parseDateTime } from './literals.ts';
import { isRelativeLiteral, RELATIVE_WITH_N } from './relative-dates.ts';

/**
 * A recursive-descent parser for `SELECT fields FROM object [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET n]`
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select.htm).
 * Keywords are case-insensitive; reserved words cannot name a field
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_reservedwords.htm).
 */
const RESERVED = new Set([
  'AND',
  'ASC',
  'DESC',
  'EXCLUDES',
  'FIRST',
  'FROM',
  'GROUP',
  'HAVING',
  'IN',
  'INCLUDES',
  'LAST',
  'LIKE',
  'LIMIT',
  'NOT',
  'NULL',
  'NULLS',
  'OR',
  'SELECT',
  'WHERE',
  'WITH',
  'ORDER',
  'OFFSET',
  'TRUE',
  'FALSE',
]);
const COMPARISONS = new Map<string, ComparisonOperator>([
  ['=', '='],
  ['!=', '!='],
  ['<>', '!='],
  ['<', '<'],
  ['>', '>'],
  ['<=', '<='],
  ['>=', '>='],
]);

interface Cursor {
  readonly soql: string;
  readonly tokens: readonly Token[];
  index: number;
}

function peek(cursor: Cursor, ahead = 0): Token {
  const tokens = cursor.tokens;
  return (
    tokens[Math.min(cursor.index + ahead, tokens.length - 1)] ?? {
      kind: 'eof',
      text: '<EOF>',
      position: cursor.soql.length,
    }
  );
}

function advance(cursor: Cursor): Token {
  const token = peek(cursor);
  cursor.index += 1;
  return token;
}

function unexpected(cursor: Cursor, token: Token): SoqlError {
  const shown = token.kind === 'eof' ? '<EOF>' : `'${token.text}'`;
  return locatedError('MALFORMED_QUERY', cursor.soql, token.position, `unexpected token: ${shown}`);
}

function isWord(token: Token, keyword: string): boolean {
  return token.kind === 'word' && token.text.toUpperCase() === keyword;
}

function acceptWord(cursor: Cursor, keyword: string): boolean {
  if (!isWord(peek(cursor), keyword)) return false;
  cursor.index += 1;
  return true;
}

function expectWord(cursor: Cursor, keyword: string): void {
  if (!acceptWord(cursor, keyword)) throw unexpected(cursor, peek(cursor));
}

function acceptPunct(cursor: Cursor, text: string): boolean {
  const token = peek(cursor);
  if (token.kind !== 'punct' || token.text !== text) return false;
  cursor.index += 1;
  return true;
}

function expectPunct(cursor: Cursor, text: string): void {
  if (!acceptPunct(cursor, text)) throw unexpected(cursor, peek(cursor));
}

function identifier(cursor: Cursor): Token {
  const token = advance(cursor);
  if (token.kind !== 'word' || RESERVED.has(token.text.toUpperCase())) throw unexpected(cursor, token);
  return token;
}

function fieldPath(cursor: Cursor): FieldPath {
  const first = identifier(cursor);
  const segments = [first.text];
  while (acceptPunct(cursor, '.')) segments.push(identifier(cursor).text);
  return { segments, position: first.position };
}

function nonNegativeInteger(cursor: Cursor): number {
  const token = advance(cursor);
  if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw unexpected(cursor, token);
  return Number(token.text);
}

function relativeLiteral(cursor: Cursor, token: Token): Literal {
  const name = token.text.toUpperCase();
  if (isRelativeLiteral(name)) return { kind: 'relative', name, n: 0, position: token.position };
  if (!RELATIVE_WITH_N.has(name)) throw unexpected(cursor, token);
  expectPunct(cursor, ':');
  return { kind: 'relative', name, n: nonNegativeInteger(cursor), position: token.position };
}

function wordLiteral(cursor: Cursor, token: Token): Literal {
  const upper = token.text.toUpperCase();
  if (upper === 'NULL') return { kind: 'null', position: token.position };
  if (upper === 'TRUE' || upper === 'FALSE')
    return { kind: 'boolean', value: upper === 'TRUE', position: token.position };
  return relativeLiteral(cursor, token);
}

/** Escapes are checked while parsing, so a bad one is MALFORMED_QUERY whatever the field (…_quotedstringescapes.htm). */
function stringLiteral(cursor: Cursor, token: Token, like: boolean): Literal {
  try {
    if (like) likeRegExp(token.text);
    else decodeString(token.text);
  } catch (error) {
    if (error instanceof SoqlError) throw locatedError(error.errorCode, cursor.soql, token.position, error.message);
    throw error;
  }
  return { kind: 'string', raw: token.text, position: token.position };
}

/** Dates and dateTimes are unquoted (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm). */
function literal(cursor: Cursor, like = false): Literal {
  const token = advance(cursor);
  const position = token.position;
  switch (token.kind) {
    case 'string':
      return stringLiteral(cursor, token, like);
    case 'number':
      return { kind: 'number', value: Number(token.text), position };
    case 'word':
      return wordLiteral(cursor, token);
    case 'date': {
      const value = parseDate(token.text);
      if (value === undefined) throw unexpected(cursor, token);
      return { kind: 'date', value, text: token.text, position };
    }
    case 'datetime': {
      const value = parseDateTime(token.text);
      if (value === undefined) throw unexpected(cursor, token);
      return { kind: 'datetime', value, text: token.text, position };
    }
    default:
      throw unexpected(cursor, token);
  }
}

function literalList(cursor: Cursor): Literal[] {
  expectPunct(cursor, '(');
  const values = [literal(cursor)];
  while (acceptPunct(cursor, ',')) values.push(literal(cursor));
  expectPunct(cursor, ')');
  return values;
}

/** `field op value`, `field LIKE 'pattern'`, `field [NOT] IN (...)` (…/sforce_api_calls_soql_select_comparisonoperators.htm). */
function simpleCondition(cursor: Cursor): Condition {
  const field = fieldPath(cursor);
  const token = peek(cursor);
  if (acceptWord(cursor, 'LIKE')) {
    const pattern = literal(cursor, true);
    if (pattern.kind !== 'string') throw unexpected(cursor, peek(cursor, -1));
    return { kind: 'like', field, pattern };
  }
  if (acceptWord(cursor, 'IN')) return { kind: 'in', field, negated: false, values: literalList(cursor) };
  if (isWord(token, 'NOT') && isWord(peek(cursor, 1), 'IN')) {
    cursor.index += 2;
    return { kind: 'in', field, negated: true, values: literalList(cursor) };
  }
  const operator = token.kind === 'punct' ? COMPARISONS.get(token.text) : undefined;
  if (operator === undefined) throw unexpected(cursor, token);
  cursor.index += 1;
  return { kind: 'compare', field, operator, value: literal(cursor) };
}

function unaryCondition(cursor: Cursor): Condition {
  if (acceptWord(cursor, 'NOT')) return { kind: 'not', item: unaryCondition(cursor) };
  if (acceptPunct(cursor, '(')) {
    const inner = condition(cursor);
    expectPunct(cursor, ')');
    return inner;
  }
  return simpleCondition(cursor);
}

/**
 * AND and OR cannot be mixed at one level without parentheses: "Parentheses are required whenever you mix
 * the operators" (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_logicaloperators.htm).
 */
function condition(cursor: Cursor): Condition {
  const first = unaryCondition(cursor);
  const joiner = isWord(peek(cursor), 'AND') ? 'AND' : isWord(peek(cursor), 'OR') ? 'OR' : undefined;
  if (joiner === undefined) return first;
  const other = joiner === 'AND' ? 'OR' : 'AND';
  const items = [first];
  while (acceptWord(cursor, joiner)) {
    items.push(unaryCondition(cursor));
    if (isWord(peek(cursor), other)) throw unexpected(cursor, peek(cursor));
  }
  return { kind: joiner === 'AND' ? 'and' : 'or', items };
}

/** `ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...` (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm). */
function orderKey(cursor: Cursor): OrderKey {
  const field = fieldPath(cursor);
  const descending = acceptWord(cursor, 'DESC');
  if (!descending) acceptWord(cursor, 'ASC');
  // Nulls sort as the lowest value: first when ascending ("By default, null values are sorted first"), last when descending.
  let nullsFirst = !descending;
  if (acceptWord(cursor, 'NULLS')) {
    if (acceptWord(cursor, 'FIRST')) nullsFirst = true;
    else if (acceptWord(cursor, 'LAST')) nullsFirst = false;
    else throw unexpected(cursor, peek(cursor));
  }
  return { field, descending, nullsFirst };
}

function selectList(cursor: Cursor): { readonly fields: FieldPath[]; readonly count: boolean } {
  if (isWord(peek(cursor), 'COUNT') && peek(cursor, 1).text === '(' && peek(cursor, 2).text === ')') {
    cursor.index += 3;
    return { fields: [], count: true };
  }
  const fields = [fieldPath(cursor)];
  while (acceptPunct(cursor, ',')) fields.push(fieldPath(cursor));
  return { fields, count: false };
}

function orderByClause(cursor: Cursor): OrderKey[] {
  if (!acceptWord(cursor, 'ORDER')) return [];
  expectWord(cursor, 'BY');
  const keys = [orderKey(cursor)];
  while (acceptPunct(cursor, ',')) keys.push(orderKey(cursor));
  return keys;
}

/** Parses a query; syntax errors are `MALFORMED_QUERY` naming the unexpected token. */
export function parseQuery(soql: string): Query {
  const cursor: Cursor = { soql, tokens: tokenize(soql), index: 0 };
  expectWord(cursor, 'SELECT');
  const { fields, count } = selectList(cursor);
  expectWord(cursor, 'FROM');
  const objectToken = identifier(cursor);
  const where = acceptWord(cursor, 'WHERE') ? condition(cursor) : undefined;
  const orderBy = orderByClause(cursor);
  const limit = acceptWord(cursor, 'LIMIT') ? nonNegativeInteger(cursor) : undefined;
  const offset = acceptWord(cursor, 'OFFSET') ? nonNegativeInteger(cursor) : undefined;
  if (peek(cursor).kind !== 'eof') throw unexpected(cursor, peek(cursor));
  return {
    fields,
    count,
    object: objectToken.text,
    objectPosition: objectToken.position,
    where,
    orderBy,
    limit,
    offset,
  };
}
