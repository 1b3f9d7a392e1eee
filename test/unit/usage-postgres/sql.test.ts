import { describe, expect, it } from 'vitest';
import { QueryTextError, translateNamedParameters } from '../../../connectors/usage-postgres/sql.ts';

describe('named parameters of a usage query', () => {
  it('binds :from, :to and :features as $1, $2 and $3, leaving casts, strings and comments alone', () => {
    const sql = [
      'SELECT day, \':from\' AS s, "x:to" -- :features in a comment',
      'FROM t /* :nope */ WHERE day BETWEEN :from::date AND :to AND f = ANY (:features::text[])',
      'AND body = $tag$ :nope $tag$',
    ].join('\n');
    const { text, used } = translateNamedParameters(sql);
    expect(text).toBe(
      [
        'SELECT day, \':from\' AS s, "x:to" -- :features in a comment',
        'FROM t /* :nope */ WHERE day BETWEEN $1::date AND $2 AND f = ANY ($3::text[])',
        'AND body = $tag$ :nope $tag$',
      ].join('\n'),
    );
    expect([...used].sort()).toEqual(['features', 'from', 'to']);
  });

  it('refuses an unknown parameter and a hand-written positional one, with the line', () => {
    expect(() => translateNamedParameters('SELECT 1\nWHERE day >= :start')).toThrow(
      expect.objectContaining({ line: 2, message: expect.stringContaining('unknown parameter :start') }),
    );
    expect(() => translateNamedParameters('SELECT 1 WHERE day >= $1')).toThrow(QueryTextError);
  });
});
