import { isRecord, type Reply } from '../../emulator-kit/http-io.ts';
import { invalidInput } from './http.ts';
import { resolveObjectType, type ObjectTypeName } from './object-types.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import { objectJson, type PortalState } from './state.ts';
import type { StoredObject } from './store.ts';
import { parseInstant } from './values.ts';

/**
 * `POST /crm/v3/objects/{type}/search` (https://developers.hubspot.com/docs/api-reference/search/guide):
 * filterGroups are ORed, filters inside a group ANDed; at most 5 groups, 10 filters per group and 25 in
 * all (https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api);
 * `limit` ≤ 200; `after` is an offset, and paging stops at 10,000 results (`after` ≥ 10000 is a 400).
 */
const MAX_GROUPS = 5;
const MAX_PER_GROUP = 10;
const MAX_FILTERS = 25;
const MAX_LIMIT = 200;
const MAX_RESULTS = 10_000;
const OPERATORS = new Set([
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
]);
/** Properties the free-text `query` looks in, per object. */
const QUERY_FIELDS: Readonly<Record<ObjectTypeName, readonly string[]>> = {
  companies: ['name', 'domain', 'website', 'phone'],
  deals: ['dealname'],
  notes: ['hs_note_body'],
  contacts: ['firstname', 'lastname', 'email', 'phone', 'company'],
};

interface Filter {
  readonly propertyName: string;
  readonly operator: string;
  readonly value?: string;
  readonly values?: readonly string[];
  readonly highValue?: string;
}

interface Sort {
  readonly propertyName: string;
  readonly descending: boolean;
}

interface SearchRequest {
  readonly groups: readonly (readonly Filter[])[];
  readonly sorts: readonly Sort[];
  readonly query: string | undefined;
  readonly properties: string[] | undefined;
  readonly limit: number;
  readonly after: number;
}

function text(raw: unknown): string | undefined {
  return typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
}

function parseFilter(state: PortalState, type: ObjectTypeName, raw: unknown): Filter {
  if (!isRecord(raw) || typeof raw['propertyName'] !== 'string')
    throw invalidInput('Invalid input: each filter needs a propertyName and an operator');
  const operator = String(raw['operator'] ?? 'EQ');
  if (!OPERATORS.has(operator))
    throw invalidInput(`Invalid filter operator "${operator}"; expected one of ${[...OPERATORS].join(', ')}`);
  const propertyName = raw['propertyName'];
  if (!state.schema.get(type, propertyName))
    throw invalidInput(`Filter on property "${propertyName}", which does not exist for ${type}`);
  const value = text(raw['value']);
  const highValue = text(raw['highValue']);
  const values = Array.isArray(raw['values']) ? (raw['values'] as unknown[]).map((v) => text(v) ?? '') : undefined;
  if ((operator === 'IN' || operator === 'NOT_IN') && values === undefined)
    throw invalidInput(`Filter ${operator} on ${propertyName} needs "values"`);
  if (operator === 'BETWEEN' && (value === undefined || highValue === undefined))
    throw invalidInput(`Filter BETWEEN on ${propertyName} needs "value" and "highValue"`);
  if (
    ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN'].includes(operator) &&
    value === undefined
  )
    throw invalidInput(`Filter ${operator} on ${propertyName} needs "value"`);
  return {
    propertyName,
    operator,
    ...(value !== undefined ? { value } : {}),
    ...(values ? { values } : {}),
    ...(highValue !== undefined ? { highValue } : {}),
  };
}

function parseSorts(raw: unknown): Sort[] {
  if (!Array.isArray(raw)) return [];
  return (raw as unknown[]).map((s) => {
    // The SDK types sorts as string[] (HubSpot/hubspot-api-nodejs#559); the API takes {propertyName, direction}.
    if (typeof s === 'string') return { propertyName: s.replace(/^-/, ''), descending: s.startsWith('-') };
    if (isRecord(s) && typeof s['propertyName'] === 'string')
      return { propertyName: s['propertyName'], descending: s['direction'] === 'DESCENDING' };
    throw invalidInput('Invalid input: sorts entries are {propertyName, direction}');
  });
}

function parseRequest(state: PortalState, type: ObjectTypeName, body: unknown): SearchRequest {
  const input = isRecord(body) ? body : {};
  const rawGroups = Array.isArray(input['filterGroups']) ? (input['filterGroups'] as unknown[]) : [];
  if (rawGroups.length > MAX_GROUPS)
    throw invalidInput(`Too many filterGroups: ${rawGroups.length} were sent; the maximum is ${MAX_GROUPS}`);
  const groups = rawGroups.map((g) => {
    const filters = isRecord(g) && Array.isArray(g['filters']) ? (g['filters'] as unknown[]) : [];
    if (filters.length > MAX_PER_GROUP)
      throw invalidInput(
        `Too many filters in a filterGroup: ${filters.length} were sent; the maximum is ${MAX_PER_GROUP}`,
      );
    return filters.map((f) => parseFilter(state, type, f));
  });
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (total > MAX_FILTERS)
    throw invalidInput(`Too many filters: ${total} were sent; the maximum across all filterGroups is ${MAX_FILTERS}`);
  const limit = input['limit'] === undefined ? 10 : Number(input['limit']);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    throw invalidInput(`limit must be between 1 and ${MAX_LIMIT}, got ${String(input['limit'])}`);
  const after = input['after'] === undefined || input['after'] === '' ? 0 : Number(input['after']);
  if (!Number.isInteger(after) || after < 0)
    throw invalidInput(`Invalid paging cursor: after=${String(input['after'])}`);
  if (after >= MAX_RESULTS)
    throw invalidInput(
      `Search results are limited to ${MAX_RESULTS} per query; after=${after} is past the end. Narrow the filters to page further.`,
    );
  const properties = Array.isArray(input['properties']) ? (input['properties'] as unknown[]).map(String) : undefined;
  return { groups, sorts: parseSorts(input['sorts']), query: text(input['query']), properties, limit, after };
}

/** Numbers and dates compare as numbers; everything else as case-insensitive text. */
function comparable(state: PortalState, type: ObjectTypeName, name: string, raw: string): number | string {
  const kind = state.schema.get(type, name)?.type;
  if (kind === 'number') return Number(raw);
  if (kind === 'date' || kind === 'datetime') return parseInstant(raw) ?? Number.NaN;
  return raw.toLowerCase();
}

function tokenMatch(stored: string, pattern: string): boolean {
  const wanted = pattern.toLowerCase();
  const tokens = stored.toLowerCase().split(/[\s,;:!?()<>"'/]+/);
  if (!wanted.includes('*')) return tokens.includes(wanted) || stored.toLowerCase() === wanted;
  const regex = new RegExp(
    `^${wanted
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(stored.toLowerCase()) || tokens.some((t) => regex.test(t));
}

function matchesFilter(state: PortalState, type: ObjectTypeName, object: StoredObject, filter: Filter): boolean {
  const stored = object.props[filter.propertyName];
  if (filter.operator === 'HAS_PROPERTY') return stored !== undefined;
  if (filter.operator === 'NOT_HAS_PROPERTY') return stored === undefined;
  if (filter.operator === 'NEQ' || filter.operator === 'NOT_IN' || filter.operator === 'NOT_CONTAINS_TOKEN') {
    if (stored === undefined) return true;
  } else if (stored === undefined) return false;
  const value = comparable(state, type, filter.propertyName, stored ?? '');
  const as = (raw: string | undefined): number | string => comparable(state, type, filter.propertyName, raw ?? '');
  switch (filter.operator) {
    case 'EQ':
      return value === as(filter.value);
    case 'NEQ':
      return value !== as(filter.value);
    case 'LT':
      return value < as(filter.value);
    case 'LTE':
      return value <= as(filter.value);
    case 'GT':
      return value > as(filter.value);
    case 'GTE':
      return value >= as(filter.value);
    case 'BETWEEN':
      return value >= as(filter.value) && value <= as(filter.highValue);
    case 'IN':
      return (filter.values ?? []).some((v) => as(v) === value);
    case 'NOT_IN':
      return !(filter.values ?? []).some((v) => as(v) === value);
    case 'CONTAINS_TOKEN':
      return tokenMatch(stored ?? '', filter.value ?? '');
    default:
      return !tokenMatch(stored ?? '', filter.value ?? '');
  }
}

function sortObjects(
  state: PortalState,
  type: ObjectTypeName,
  objects: StoredObject[],
  sorts: readonly Sort[],
): StoredObject[] {
  if (sorts.length === 0) return objects;
  return [...objects].sort((a, b) => {
    for (const sort of sorts) {
      const av = a.props[sort.propertyName];
      const bv = b.props[sort.propertyName];
      if (av === bv) continue;
      // Records without a value sort last, whatever the direction.
      if (av === undefined) return 1;
      if (bv === undefined) return -1;
      const x = comparable(state, type, sort.propertyName, av);
      const y = comparable(state, type, sort.propertyName, bv);
      if (x === y) continue;
      return (x < y ? -1 : 1) * (sort.descending ? -1 : 1);
    }
    return 0;
  });
}

function search(context: RouteContext): Reply {
  const type = resolveObjectType(context.params['type'] ?? '');
  const { state } = context;
  const request = parseRequest(state, type, context.body);
  const query = request.query?.toLowerCase();
  const matching = state.objects
    .all(type)
    .filter(
      (o) =>
        (request.groups.length === 0 || request.groups.some((g) => g.every((f) => matchesFilter(state, type, o, f)))) &&
        (query === undefined ||
          query === '' ||
          QUERY_FIELDS[type].some((f) => o.props[f]?.toLowerCase().includes(query))),
    );
  const sorted = sortObjects(state, type, matching, request.sorts);
  // Results past the 10,000th are never served; `paging` still points past the cap, where HubSpot answers 400.
  const end = Math.min(request.after + request.limit, sorted.length, MAX_RESULTS);
  const results = sorted
    .slice(request.after, end)
    .map((o) => objectJson(state, type, o, { properties: request.properties }));
  const body: Record<string, unknown> = { total: sorted.length, results };
  if (end < sorted.length)
    body['paging'] = {
      next: { after: String(end), link: `${state.baseUrl}/crm/v3/objects/${type}/search?after=${end}` },
    };
  return { status: 200, body };
}

export const SEARCH_ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', template: '/crm/v3/objects/{type}/search', write: false, search: true, handler: search },
];
