import type { FieldPath } from './ast.ts';
import { bindCondition } from './bind.ts';
import { locatedError } from './errors.ts';
import { matches } from './evaluate.ts';
import { parseQuery } from './parser.ts';
import { project, sortRows, type Row } from './project.ts';
import { resolvePath, type ResolvedPath } from './resolve.ts';
import type { SoqlContext, SoqlResult } from './types.ts';

export { SoqlError, type SoqlErrorCode } from './errors.ts';
export type { SoqlContext, SoqlData, SoqlField, SoqlFieldType, SoqlResult, SoqlSchema } from './types.ts';

/** Selecting a field twice is refused: "duplicate field selected: Name". */
function rejectDuplicates(soql: string, fields: readonly FieldPath[], paths: readonly ResolvedPath[]): void {
  const seen = new Set<string>();
  for (const [index, path] of paths.entries()) {
    const key = [...path.hops.map((hop) => hop.name), path.field.name].join('.').toLowerCase();
    const field = fields[index];
    if (seen.has(key) && field) {
      throw locatedError(
        'MALFORMED_QUERY',
        soql,
        field.position,
        `duplicate field selected: ${field.segments.join('.')}`,
      );
    }
    seen.add(key);
  }
}

/**
 * Runs one query of the supported SOQL subset against the emulator's records: parse, resolve names against the
 * schema, filter, ORDER BY, OFFSET, LIMIT, then shape records as the REST query resource does
 * (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.html). Paging is the caller's.
 * Throws SoqlError: MALFORMED_QUERY (syntax, string escapes), INVALID_TYPE (unknown sObject), INVALID_FIELD.
 */
export function runSoql(soql: string, context: SoqlContext): SoqlResult {
  const query = parseQuery(soql);
  if (!context.schema.hasObject(query.object)) {
    const hint =
      "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.";
    throw locatedError(
      'INVALID_TYPE',
      soql,
      query.objectPosition,
      `sObject type '${query.object}' is not supported. ${hint}`,
    );
  }
  const object = context.schema.objectName(query.object);
  const paths = query.fields.map((field) => resolvePath(context, soql, object, field));
  rejectDuplicates(soql, query.fields, paths);
  const where = query.where ? bindCondition(context, soql, object, query.where) : undefined;
  const orderKeys = query.orderBy.map((key) => ({ key, path: resolvePath(context, soql, object, key.field) }));
  const rows: Row[] = [];
  for (const record of context.data.records(object)) {
    if (!where || matches(context, record, where)) rows.push({ object, record });
  }
  const offset = query.offset ?? 0;
  const sorted = sortRows(context, rows, orderKeys).slice(offset);
  const limited = query.limit === undefined ? sorted : sorted.slice(0, query.limit);
  if (query.count) return { object, records: [], totalSize: limited.length };
  const records = limited.map((row) => project(context, row, paths));
  return { object, records, totalSize: records.length };
}
