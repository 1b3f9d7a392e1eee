import type { Reply } from '../../emulator-kit/http-io.ts';
import { resolveObjectType } from './object-types.ts';
import { getPipeline, listPipelines } from './pipelines.ts';
import { TOKEN_INFO_PATH } from '../scopes.ts';
import { HubspotHttpError } from './http.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import { groupJson, propertyJson } from './schema.ts';

/**
 * Properties and groups (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide),
 * deal pipelines (https://developers.HubSpot.com/docs/methods/deals/deals_overview) and owners
 * (https://developers.hubspot.com/docs/api-reference/crm-owners-v3/guide).
 */
const typeOf = (context: RouteContext) => resolveObjectType(context.params['type'] ?? '');
const nameOf = (context: RouteContext) => context.params['name'] ?? '';

function listProperties(context: RouteContext): Reply {
  const archived = context.query.get('archived') === 'true';
  return {
    status: 200,
    body: { results: archived ? [] : context.state.schema.list(typeOf(context)).map(propertyJson) },
  };
}

/** 201 with the property; a unique-value property starts indexing existing values at once. */
function createProperty(context: RouteContext): Reply {
  const type = typeOf(context);
  const definition = context.state.schema.create(type, context.body);
  if (definition.hasUniqueValue) context.state.objects.indexUnique(type, definition.name);
  return { status: 201, body: propertyJson(definition) };
}

function readProperty(context: RouteContext): Reply {
  return { status: 200, body: propertyJson(context.state.schema.require(typeOf(context), nameOf(context))) };
}

function updateProperty(context: RouteContext): Reply {
  return {
    status: 200,
    body: propertyJson(context.state.schema.update(typeOf(context), nameOf(context), context.body)),
  };
}

/** 204; the property's values go with it. */
function archiveProperty(context: RouteContext): Reply {
  const type = typeOf(context);
  const definition = context.state.schema.remove(type, nameOf(context));
  context.state.objects.dropProperty(type, definition.name);
  return { status: 204 };
}

function listGroups(context: RouteContext): Reply {
  return { status: 200, body: { results: context.state.schema.groups(typeOf(context)).map(groupJson) } };
}

function createGroup(context: RouteContext): Reply {
  return { status: 201, body: groupJson(context.state.schema.createGroup(typeOf(context), context.body)) };
}

function readGroup(context: RouteContext): Reply {
  return { status: 200, body: groupJson(context.state.schema.group(typeOf(context), nameOf(context))) };
}

function updateGroup(context: RouteContext): Reply {
  return {
    status: 200,
    body: groupJson(context.state.schema.updateGroup(typeOf(context), nameOf(context), context.body)),
  };
}

function archiveGroup(context: RouteContext): Reply {
  context.state.schema.removeGroup(typeOf(context), nameOf(context));
  return { status: 204 };
}

/**
 * Private-app token metadata (https://developers.hubspot.com/docs/api/private-apps): the token travels in
 * the body as `tokenKey`. HubSpot does not document the answer for an unknown token; the emulator answers
 * as it does for any bad credential.
 */
function tokenInfo(context: RouteContext): Reply {
  const tokenKey = (context.body as { tokenKey?: unknown } | undefined)?.tokenKey;
  if (typeof tokenKey !== 'string' || tokenKey !== context.auth.token)
    throw new HubspotHttpError(401, { category: 'INVALID_AUTHENTICATION', message: 'The access token is not valid.' });
  return {
    status: 200,
    body: { userId: 2001, hubId: context.state.portalId, appId: 3001, scopes: ['oauth', ...context.auth.scopes] },
  };
}

export const SCHEMA_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', template: '/crm/v3/properties/{type}/groups', write: false, handler: listGroups },
  { method: 'POST', template: '/crm/v3/properties/{type}/groups', write: true, handler: createGroup },
  { method: 'GET', template: '/crm/v3/properties/{type}/groups/{name}', write: false, handler: readGroup },
  { method: 'PATCH', template: '/crm/v3/properties/{type}/groups/{name}', write: true, handler: updateGroup },
  { method: 'DELETE', template: '/crm/v3/properties/{type}/groups/{name}', write: true, handler: archiveGroup },
  { method: 'GET', template: '/crm/v3/properties/{type}', write: false, handler: listProperties },
  { method: 'POST', template: '/crm/v3/properties/{type}', write: true, handler: createProperty },
  { method: 'GET', template: '/crm/v3/properties/{type}/{name}', write: false, handler: readProperty },
  { method: 'PATCH', template: '/crm/v3/properties/{type}/{name}', write: true, handler: updateProperty },
  { method: 'DELETE', template: '/crm/v3/properties/{type}/{name}', write: true, handler: archiveProperty },
  {
    method: 'GET',
    template: '/crm/v3/pipelines/{type}',
    write: false,
    handler: (c) => ({ status: 200, body: listPipelines(c.params['type'] ?? '', c.state.startedAt) }),
  },
  {
    method: 'GET',
    template: '/crm/v3/pipelines/{type}/{id}',
    write: false,
    handler: (c) => ({
      status: 200,
      body: getPipeline(c.params['type'] ?? '', c.params['id'] ?? '', c.state.startedAt),
    }),
  },
  { method: 'POST', template: TOKEN_INFO_PATH, write: false, public: true, handler: tokenInfo },
  {
    method: 'GET',
    template: '/crm/v3/owners',
    write: false,
    handler: (c) => ({ status: 200, body: c.state.owners.page(c.query, c.state.baseUrl) }),
  },
  {
    method: 'GET',
    template: '/crm/v3/owners/{id}',
    write: false,
    handler: (c) => ({ status: 200, body: c.state.owners.get(c.params['id'] ?? '', c.query) }),
  },
];
