import type { ComparisonOperator, Condition, Literal } from './ast.ts';
import { locatedError, type SoqlError } from './errors.ts';
import { decodeString, likeRegExp } from './literals.ts';
import { relativeRange, type DateRange } from './relative-dates.ts';
import { resolvePath, type ResolvedPath } from './resolve.ts';
import type { SoqlContext, SoqlFieldType } from './types.ts';

/** A WHERE clause with its paths resolved and its literals checked against the field types. */
export type BoundValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'scalar'; readonly value: string | number | boolean }
  | { readonly kind: 'range'; readonly range: DateRange };

export type BoundCondition =
  | {
      readonly kind: 'compare';
      readonly path: ResolvedPath;
      readonly operator: ComparisonOperator;
      readonly value: BoundValue;
    }
  | { readonly kind: 'like'; readonly path: ResolvedPath; readonly pattern: RegExp }
  | {
      readonly kind: 'in';
      readonly path: ResolvedPath;
      readonly negated: boolean;
      readonly values: readonly BoundValue[];
    }
  | { readonly kind: 'and' | 'or'; readonly items: readonly BoundCondition[] }
  | { readonly kind: 'not'; readonly item: BoundCondition };

export type TypeFamily = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

const FAMILIES: Readonly<Record<SoqlFieldType, TypeFamily>> = {
  id: 'id',
  reference: 'id',
  string: 'text',
  textarea: 'text',
  picklist: 'text',
  multipicklist: 'text',
  email: 'text',
  url: 'text',
  phone: 'text',
  double: 'number',
  currency: 'number',
  percent: 'number',
  int: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
};

/** How a field's values compare: text and ids as strings, date and datetime as epoch milliseconds. */
export function typeFamily(type: SoqlFieldType): TypeFamily {
  return FAMILIES[type];
}

/** The type word Salesforce's message uses for each field type. */
const TYPE_WORDS: Readonly<Record<SoqlFieldType, string>> = {
  id: 'id',
  reference: 'id',
  string: 'string',
  textarea: 'string',
  picklist: 'string',
  multipicklist: 'string',
  email: 'string',
  url: 'string',
  phone: 'string',
  double: 'double',
  currency: 'currency',
  percent: 'percent',
  int: 'integer',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
};

interface Binder {
  readonly context: SoqlContext;
  readonly soql: string;
  readonly object: string;
}

/**
 * A literal of the wrong type is `INVALID_FIELD`, worded as Salesforce words it ("value of filter criterion for
 * field 'CloseDate' must be of type date and should not be enclosed in quotes"). That covers a dateTime literal
 * against a date field and the reverse: "If you specify a dateTime format in a query, you can filter only on
 * dateTime fields" (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm).
 */
function typeMismatch(binder: Binder, path: ResolvedPath, literal: Literal): SoqlError {
  const family = typeFamily(path.field.type);
  const quoting =
    family === 'text' || family === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  const message = `value of filter criterion for field '${path.field.name}' must be of type ${TYPE_WORDS[path.field.type]} and ${quoting}`;
  return locatedError('INVALID_FIELD', binder.soql, literal.position, message);
}

function bindValue(binder: Binder, path: ResolvedPath, literal: Literal): BoundValue {
  const family = typeFamily(path.field.type);
  // "WHERE Test_c = null is equivalent to WHERE Test_c = false" (…/sforce_api_calls_soql_null.htm).
  if (literal.kind === 'null') return family === 'boolean' ? { kind: 'scalar', value: false } : { kind: 'null' };
  if ((family === 'text' || family === 'id') && literal.kind === 'string') {
    // The parser has already rejected bad escapes.
    return { kind: 'scalar', value: decodeString(literal.raw) };
  }
  if (family === 'number' && literal.kind === 'number') return { kind: 'scalar', value: literal.value };
  if (family === 'boolean' && literal.kind === 'boolean') return { kind: 'scalar', value: literal.value };
  if ((family === 'date' || family === 'datetime') && literal.kind === family)
    return { kind: 'scalar', value: literal.value };
  if ((family === 'date' || family === 'datetime') && literal.kind === 'relative') {
    return { kind: 'range', range: relativeRange(literal.name, binder.context.now, literal.n) };
  }
  throw typeMismatch(binder, path, literal);
}

/** LIKE works on text fields only (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_comparisonoperators.htm). */
function bindLike(binder: Binder, path: ResolvedPath, pattern: Literal): BoundCondition {
  if (typeFamily(path.field.type) !== 'text' || pattern.kind !== 'string') {
    throw locatedError(
      'INVALID_FIELD',
      binder.soql,
      pattern.position,
      `invalid operator on field '${path.field.name}': LIKE needs a text field and a quoted pattern`,
    );
  }
  return { kind: 'like', path, pattern: likeRegExp(pattern.raw) };
}

function bind(binder: Binder, condition: Condition): BoundCondition {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return { kind: condition.kind, items: condition.items.map((item) => bind(binder, item)) };
    case 'not':
      return { kind: 'not', item: bind(binder, condition.item) };
    default: {
      const path = resolvePath(binder.context, binder.soql, binder.object, condition.field);
      if (condition.kind === 'like') return bindLike(binder, path, condition.pattern);
      if (condition.kind === 'in') {
        return {
          kind: 'in',
          path,
          negated: condition.negated,
          values: condition.values.map((value) => bindValue(binder, path, value)),
        };
      }
      return { kind: 'compare', path, operator: condition.operator, value: bindValue(binder, path, condition.value) };
    }
  }
}

/** Resolves and type-checks a WHERE clause against the queried object. */
export function bindCondition(
  context: SoqlContext,
  soql: string,
  object: string,
  condition: Condition,
): BoundCondition {
  return bind({ context, soql, object }, condition);
}
