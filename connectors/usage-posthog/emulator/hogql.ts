/**
 * The emulator's grammar: exactly the usage query the PostHog source sends (one line, single spaces), read
 * token by token. Any other text is not "a query PostHog would run differently" but a query this emulator
 * does not know, and is refused with PostHog's 400, so a change to the query template fails the tests
 * instead of being answered with made-up rows.
 */

export interface ParsedUsageQuery {
  readonly groupIndex: number;
  readonly activeUsersFrom: 'person' | 'distinct_id';
  /** Counted event names in column order; undefined: `count() AS events`. */
  readonly events: readonly string[] | undefined;
  /** First day, inclusive, and the day after the last (YYYY-MM-DD). */
  readonly from: string;
  readonly toExclusive: string;
  readonly after: { readonly key: string; readonly day: string } | undefined;
  readonly limit: number;
}

export class QuerySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuerySyntaxError';
  }
}

const UNESCAPE: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '0': '\0', '\\': '\\', "'": "'" };

class Cursor {
  private at = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  literal(expected: string): void {
    if (!this.text.startsWith(expected, this.at))
      throw new QuerySyntaxError(`expected "${expected}" at character ${this.at + 1}`);
    this.at += expected.length;
  }

  tryLiteral(expected: string): boolean {
    if (!this.text.startsWith(expected, this.at)) return false;
    this.at += expected.length;
    return true;
  }

  match(pattern: RegExp, what: string): string {
    const sticky = new RegExp(pattern.source, 'y');
    sticky.lastIndex = this.at;
    const found = sticky.exec(this.text);
    if (!found) throw new QuerySyntaxError(`expected ${what} at character ${this.at + 1}`);
    this.at += found[0].length;
    return found[0];
  }

  /** A single-quoted string with backslash escapes. */
  string(): string {
    const raw = this.match(/'(?:[^'\\]|\\[nrt0\\'])*'/, 'a quoted string');
    return raw.slice(1, -1).replace(/\\([nrt0\\'])/g, (_, c: string) => UNESCAPE[c] ?? c);
  }

  end(): void {
    if (this.at !== this.text.length) throw new QuerySyntaxError(`unexpected text at character ${this.at + 1}`);
  }
}

const DATE = /\d{4}-\d{2}-\d{2}/;

function date(cursor: Cursor, suffix: string): string {
  const text = cursor.string();
  const day = text.slice(0, 10);
  if (!new RegExp(`^${DATE.source}${suffix}$`).test(text) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new QuerySyntaxError(`"${text}" is not a date${suffix === '' ? '' : ' and time'}`);
  return day;
}

export function parseUsageQuery(text: string): ParsedUsageQuery {
  const c = new Cursor(text);
  c.literal('SELECT $group_');
  const groupIndex = Number(c.match(/[0-4]/, 'a group index 0-4'));
  const group = `$group_${groupIndex}`;
  c.literal(' AS account_key, toDate(timestamp) AS day, uniq(');
  const activeUsersFrom =
    c.match(/person_id|distinct_id/, 'person_id or distinct_id') === 'person_id' ? 'person' : 'distinct_id';
  c.literal(') AS active_users, ');
  let counted: string[] | undefined;
  if (!c.tryLiteral('count() AS events')) {
    counted = [];
    do {
      c.literal('countIf(event = ');
      counted.push(c.string());
      c.literal(`) AS event_${counted.length - 1}`);
    } while (c.tryLiteral(', '));
  }
  c.literal(` FROM events WHERE ${group} != '' AND timestamp >= toDateTime(`);
  const from = date(c, ' 00:00:00');
  c.literal(') AND timestamp < toDateTime(');
  const toExclusive = date(c, ' 00:00:00');
  c.literal(')');
  if (counted !== undefined) {
    c.literal(' AND event IN (');
    const listed = [c.string()];
    while (c.tryLiteral(', ')) listed.push(c.string());
    c.literal(')');
    if (listed.length !== counted.length || listed.some((e, i) => e !== counted[i]))
      throw new QuerySyntaxError('the event IN list does not match the counted events');
  }
  let after: ParsedUsageQuery['after'];
  if (c.tryLiteral(` AND (${group}, toDate(timestamp)) > (`)) {
    const key = c.string();
    c.literal(', toDate(');
    const day = date(c, '');
    c.literal('))');
    after = { key, day };
  }
  c.literal(' GROUP BY account_key, day ORDER BY account_key, day LIMIT ');
  const limit = Number(c.match(/[1-9]\d{0,8}/, 'a positive LIMIT'));
  c.end();
  return { groupIndex, activeUsersFrom, events: counted, from, toExclusive, after, limit };
}
