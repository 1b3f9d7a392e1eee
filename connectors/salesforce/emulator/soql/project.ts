import type { OrderKey } from './ast.ts';
import { typeFamily } from './bind.ts';
import { comparable, order } from './evaluate.ts';
import { formatDateTime } from './literals.ts';
import { readPath, type ResolvedPath } from './resolve.ts';
import type { SoqlContext } from './types.ts';

type StoredRecord = Readonly<Record<string, unknown>>;
type OutputRecord = Record<string, unknown>;

/** A stored record with the object it belongs to, so nested parents get the right `attributes.type`. */
export interface Row {
  readonly object: string;
  readonly record: StoredRecord;
}

function decorate(context: SoqlContext, row: Row): OutputRecord {
  return { attributes: context.attributes(row.object, String(row.record['Id'] ?? '')) };
}

function outputValue(path: ResolvedPath, value: unknown): unknown {
  return path.field.type === 'datetime' ? formatDateTime(value) : (value ?? null);
}

/** Walks (creating as needed) the nested parent objects of a path; undefined when a lookup is empty. */
function parentContainer(
  context: SoqlContext,
  output: OutputRecord,
  row: Row,
  path: ResolvedPath,
): OutputRecord | undefined {
  let container = output;
  let current = row.record;
  for (const hop of path.hops) {
    const key = hop.relationshipName ?? hop.name;
    const id = current[hop.name];
    const parent = typeof id === 'string' ? context.data.byId(id) : undefined;
    if (!parent) {
      if (!(key in container)) container[key] = null;
      return undefined;
    }
    const existing = container[key];
    const next =
      existing !== null && typeof existing === 'object' ? (existing as OutputRecord) : decorate(context, parent);
    container[key] = next;
    container = next;
    current = parent.record;
  }
  return container;
}

/**
 * One result record as Salesforce REST returns it: `attributes` first, then the selected fields in SELECT order,
 * canonically spelled; a parent path nests an object with its own `attributes`, or is `null` when the lookup is
 * empty (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html).
 */
export function project(context: SoqlContext, row: Row, paths: readonly ResolvedPath[]): OutputRecord {
  const output = decorate(context, row);
  for (const path of paths) {
    const container = parentContainer(context, output, row, path);
    if (container) container[path.field.name] = outputValue(path, readPath(context, row.record, path));
  }
  return output;
}

export interface ResolvedOrderKey {
  readonly path: ResolvedPath;
  readonly key: OrderKey;
}

/**
 * ORDER BY over several keys, each ASC or DESC with NULLS FIRST or LAST; text sorts case-insensitively
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_orderby.htm).
 * The sort is stable, so rows equal on every key keep their stored order.
 */
export function sortRows(context: SoqlContext, rows: readonly Row[], keys: readonly ResolvedOrderKey[]): Row[] {
  const decorated = rows.map((row) => ({
    row,
    values: keys.map(({ path }) => comparable(typeFamily(path.field.type), readPath(context, row.record, path))),
  }));
  decorated.sort((a, b) => {
    for (const [index, { path, key }] of keys.entries()) {
      const [left, right] = [a.values[index] ?? null, b.values[index] ?? null];
      if (left === null && right === null) continue;
      if (left === null || right === null) return (left === null) === key.nullsFirst ? -1 : 1;
      const sign = order(typeFamily(path.field.type), left, right);
      if (sign !== 0) return key.descending ? -sign : sign;
    }
    return 0;
  });
  return decorated.map(({ row }) => row);
}
