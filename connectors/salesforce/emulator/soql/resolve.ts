import type { FieldPath } from './ast.ts';
import { locatedError } from './errors.ts';
import type { SoqlContext, SoqlField } from './types.ts';

/**
 * A field path checked against the schema. Parent relationships are traversed by their relationship name:
 * `Owner.Name` through the reference field `OwnerId` (relationshipName `Owner`), and `Foo__r.Bar__c` through
 * `Foo__c` (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_and_custom_objects.htm).
 */
export interface ResolvedPath {
  /** Reference fields traversed, in order; empty for a field of the queried object. */
  readonly hops: readonly SoqlField[];
  /** The final field, canonically spelled. */
  readonly field: SoqlField;
}

const CUSTOM_FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
const CUSTOM_RELATIONSHIP_HINT =
  "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";

/** `Id` is a field of every sObject. */
function lookupField(context: SoqlContext, object: string, name: string): SoqlField | undefined {
  const field = context.schema.field(object, name);
  if (field) return field;
  return name.toLowerCase() === 'id' ? { name: 'Id', type: 'id' } : undefined;
}

function relationshipField(context: SoqlContext, object: string, segment: string): SoqlField | undefined {
  const lower = segment.toLowerCase();
  const candidates = lower.endsWith('__r') ? [`${segment.slice(0, -3)}__c`] : [`${segment}Id`, segment];
  for (const candidate of candidates) {
    const field = context.schema.field(object, candidate);
    if (field?.type === 'reference' && field.relationshipName?.toLowerCase() === lower) return field;
  }
  return undefined;
}

/** Resolves a path from `object`; unknown names are `INVALID_FIELD` with Salesforce's wording. */
export function resolvePath(context: SoqlContext, soql: string, object: string, path: FieldPath): ResolvedPath {
  const hops: SoqlField[] = [];
  let current = object;
  for (const segment of path.segments.slice(0, -1)) {
    const hop = relationshipField(context, current, segment);
    const target = hop?.referenceTo?.[0];
    if (!hop || target === undefined) {
      throw locatedError(
        'INVALID_FIELD',
        soql,
        path.position,
        `Didn't understand relationship '${segment}' in field path. ${CUSTOM_RELATIONSHIP_HINT}`,
      );
    }
    hops.push(hop);
    current = context.schema.objectName(target);
  }
  const last = path.segments[path.segments.length - 1] ?? '';
  const field = lookupField(context, current, last);
  if (!field) {
    throw locatedError(
      'INVALID_FIELD',
      soql,
      path.position,
      `No such column '${last}' on entity '${current}'. ${CUSTOM_FIELD_HINT}`,
    );
  }
  return { hops, field };
}

/** The value a resolved path reads from a record; null when a lookup on the way is empty. */
export function readPath(context: SoqlContext, record: Readonly<Record<string, unknown>>, path: ResolvedPath): unknown {
  let current: Readonly<Record<string, unknown>> = record;
  for (const hop of path.hops) {
    const id = current[hop.name];
    const parent = typeof id === 'string' ? context.data.byId(id) : undefined;
    if (!parent) return null;
    current = parent.record;
  }
  return current[path.field.name] ?? null;
}
