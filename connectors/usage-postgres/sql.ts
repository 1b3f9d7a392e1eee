/** The named parameters a usage query may use, in the order they are bound ($1, $2, $3). */
export const QUERY_PARAMETERS = ['from', 'to', 'features'] as const;
export type QueryParameter = (typeof QUERY_PARAMETERS)[number];

/** The SQL text with `:from`, `:to` and `:features` turned into `$1`, `$2` and `$3`, and which of them it used. */
export interface TranslatedQuery {
  readonly text: string;
  readonly used: ReadonlySet<QueryParameter>;
}

/** A problem with the query text itself, with the 1-based line it is on. */
export class QueryTextError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'QueryTextError';
    this.line = line;
  }
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const DOLLAR_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;

/**
 * Turns the named parameters of a query file into PostgreSQL's positional ones, so RevOps write
 * `WHERE day BETWEEN :from AND :to` and the text sent stays the same on every run (the values are bound,
 * never spliced in). Text in quotes, quoted identifiers, dollar-quoted strings and comments is copied as
 * it is, and `::type` casts are left alone. A `:name` that is not one of QUERY_PARAMETERS, and a
 * positional `$1` written by hand, are refused with their line: the binding order is ours to decide.
 */
export function translateNamedParameters(sql: string): TranslatedQuery {
  const used = new Set<QueryParameter>();
  let out = '';
  let i = 0;
  const lineAt = (at: number): number => sql.slice(0, at).split('\n').length;
  const copyUntil = (end: number): void => {
    out += sql.slice(i, end);
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      // A doubled quote inside is an escaped quote: the scan below steps over both.
      let end = i + 1;
      while (end < sql.length) {
        if (sql[end] === c && sql[end + 1] === c) end += 2;
        else if (sql[end] === c) break;
        else end += 1;
      }
      copyUntil(Math.min(end + 1, sql.length));
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      copyUntil(end === -1 ? sql.length : end);
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      copyUntil(end === -1 ? sql.length : end + 2);
    } else if (c === '$') {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql);
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        copyUntil(end === -1 ? sql.length : end + tag[0].length);
      } else if (next !== undefined && /\d/.test(next)) {
        throw new QueryTextError(
          `positional parameter $${next}… is not allowed; write :from, :to and :features and the values are bound for you`,
          lineAt(i),
        );
      } else copyUntil(i + 1);
    } else if (c === ':' && next === ':') {
      copyUntil(i + 2);
    } else if (c === ':') {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(sql)?.[0];
      if (name === undefined) {
        copyUntil(i + 1);
        continue;
      }
      const index = QUERY_PARAMETERS.indexOf(name as QueryParameter);
      if (index === -1)
        throw new QueryTextError(
          `unknown parameter :${name}; a usage query can use ${QUERY_PARAMETERS.map((p) => `:${p}`).join(', ')}`,
          lineAt(i),
        );
      used.add(name as QueryParameter);
      out += `$${index + 1}`;
      i += 1 + name.length;
    } else {
      copyUntil(i + 1);
    }
  }
  return { text: out, used };
}
