import type { ComparisonOperator } from './ast.ts';
import { typeFamily, type BoundCondition, type BoundValue, type TypeFamily } from './bind.ts';
import { parseDate } from './literals.ts';
import type { DateRange } from './relative-dates.ts';
import { readPath, type ResolvedPath } from './resolve.ts';
import type { SoqlContext } from './types.ts';

type Comparable = string | number | boolean;

/**
 * A stored value in comparable form, or null. Booleans are never null: "If you run a query on a boolean field,
 * null matches FALSE values" (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_null.htm).
 */
export function comparable(family: TypeFamily, value: unknown): Comparable | null {
  if (family === 'boolean') return value === true;
  if (value === null || value === undefined) return null;
  switch (family) {
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'date':
      return typeof value === 'string' ? (parseDate(value.slice(0, 10)) ?? null) : null;
    case 'datetime':
      return typeof value === 'string' ? Date.parse(value) : null;
    default:
      return String(value);
  }
}

/**
 * Ids compare case-insensitively in their 18-character form and case-sensitively on the first 15 characters
 * otherwise (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/field_types.htm#i1435616).
 */
function idOrder(a: string, b: string): number {
  if (a.length === 18 && b.length === 18) return a.toLowerCase().localeCompare(b.toLowerCase());
  const [left, right] = [a.slice(0, 15), b.slice(0, 15)];
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Text comparison is case-insensitive, for `=` and for sorting ("Sorting is case insensitive"). */
export function order(family: TypeFamily, a: Comparable, b: Comparable): number {
  if (family === 'id') return idOrder(String(a), String(b));
  if (family === 'text') {
    const [left, right] = [String(a).toLowerCase(), String(b).toLowerCase()];
    return left < right ? -1 : left > right ? 1 : 0;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function applyOperator(operator: ComparisonOperator, sign: number): boolean {
  switch (operator) {
    case '=':
      return sign === 0;
    case '!=':
      return sign !== 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

/** A relative date literal is a range: `=` inside, `<` before its start, `>` after its end (…/sforce_api_calls_soql_select_dateformats.htm). */
function inRange(operator: ComparisonOperator, value: number, range: DateRange): boolean {
  switch (operator) {
    case '=':
      return value >= range.start && value < range.end;
    case '!=':
      return value < range.start || value >= range.end;
    case '<':
      return value < range.start;
    case '<=':
      return value < range.end;
    case '>':
      return value >= range.end;
    case '>=':
      return value >= range.start;
  }
}

/**
 * Null is a value in SOQL, not SQL's unknown: `= null` and `!= null` test for it, `!=` and `NOT IN` against a
 * value keep the null rows, and the ordering operators never match them
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_null.htm).
 */
function compare(
  family: TypeFamily,
  actual: Comparable | null,
  operator: ComparisonOperator,
  expected: BoundValue,
): boolean {
  if (expected.kind === 'null') return operator === '=' ? actual === null : operator === '!=' ? actual !== null : false;
  if (actual === null) return operator === '!=';
  if (expected.kind === 'range') return typeof actual === 'number' && inRange(operator, actual, expected.range);
  return applyOperator(operator, order(family, actual, expected.value));
}

function valueAt(
  context: SoqlContext,
  record: Readonly<Record<string, unknown>>,
  path: ResolvedPath,
): Comparable | null {
  return comparable(typeFamily(path.field.type), readPath(context, record, path));
}

/** True when a record satisfies a bound WHERE clause. */
export function matches(
  context: SoqlContext,
  record: Readonly<Record<string, unknown>>,
  condition: BoundCondition,
): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.items.every((item) => matches(context, record, item));
    case 'or':
      return condition.items.some((item) => matches(context, record, item));
    case 'not':
      return !matches(context, record, condition.item);
    case 'like': {
      const value = readPath(context, record, condition.path);
      return value !== null && condition.pattern.test(String(value));
    }
    case 'in': {
      const family = typeFamily(condition.path.field.type);
      const actual = valueAt(context, record, condition.path);
      const found = condition.values.some((value) => compare(family, actual, '=', value));
      return condition.negated ? !found : found;
    }
    case 'compare': {
      const family = typeFamily(condition.path.field.type);
      return compare(family, valueAt(context, record, condition.path), condition.operator, condition.value);
    }
  }
}
