import { createHmac, randomBytes, verify } from 'node:crypto';
import type { Reply } from '../../emulator-kit/http-io.ts';
import { restError, SalesforceHttpError } from './http.ts';
import type { RouteContext, RouteDefinition } from './router.ts';
import type { OrgState } from './state.ts';

const oauthError = (error: string, description: string, status = 400): SalesforceHttpError =>
  new SalesforceHttpError(status, { error, error_description: description });

/**
 * `POST /services/oauth2/token`, form-encoded. Client credentials
 * (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_client_credentials_flow.htm) and
 * the JWT bearer flow (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm);
 * neither returns a refresh token.
 */
function token({ state, body }: RouteContext): Reply {
  const params = body instanceof URLSearchParams ? body : new URLSearchParams();
  const grant = params.get('grant_type');
  if (grant === 'client_credentials') return issue(state, clientCredentialsUser(state, params));
  if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer')
    return issue(state, jwtUser(state, params.get('assertion') ?? ''));
  if (grant === 'refresh_token') throw oauthError('invalid_grant', 'expired access/refresh token');
  throw oauthError('unsupported_grant_type', 'grant type not supported');
}

function clientCredentialsUser(state: OrgState, params: URLSearchParams): string {
  if (params.get('client_id') !== state.clientId) throw oauthError('invalid_client_id', 'client identifier invalid');
  if (params.get('client_secret') !== state.clientSecret)
    throw oauthError('invalid_client', 'invalid client credentials');
  const users = state.store.list('User');
  const runAs = state.runAsUsername === undefined ? users[0] : users.find((u) => u['Username'] === state.runAsUsername);
  if (!runAs) throw oauthError('invalid_grant', 'no client credentials user enabled');
  return runAs.Id;
}

/** RS256 only; `iss` the consumer key, `sub` an active username, `aud` the login URL, `exp` not passed. */
function jwtUser(state: OrgState, assertion: string): string {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw oauthError('invalid_grant', 'invalid assertion');
  const [head = '', claims = '', signature = ''] = parts;
  const header = decodeJson(head);
  const payload = decodeJson(claims);
  if (!header || !payload || header['alg'] !== 'RS256') throw oauthError('invalid_grant', 'invalid assertion');
  if (!state.jwtKey) throw oauthError('invalid_grant', 'invalid assertion');
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${head}.${claims}`),
    state.jwtKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw oauthError('invalid_grant', 'invalid assertion');
  if (payload['iss'] !== state.clientId) throw oauthError('invalid_client_id', 'client identifier invalid');
  const audiences = Array.isArray(payload['aud']) ? payload['aud'] : [payload['aud']];
  if (!audiences.includes(state.loginUrl)) throw oauthError('invalid_grant', 'audience is invalid');
  const exp = payload['exp'];
  if (typeof exp !== 'number' || exp * 1000 <= state.now())
    throw oauthError('invalid_grant', 'expired authorization code');
  const user = state.store
    .list('User')
    .find(
      (u) => typeof u['Username'] === 'string' && u['Username'].toLowerCase() === String(payload['sub']).toLowerCase(),
    );
  if (!user || user['IsActive'] !== true) throw oauthError('invalid_grant', "user hasn't approved this consumer");
  return user.Id;
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `signature` is the HMAC-SHA256 of `id + issued_at` keyed by the consumer secret, as Salesforce documents. */
function issue(state: OrgState, userId: string): Reply {
  const issuedAt = state.now();
  const accessToken = `${state.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
  state.sessions.set(accessToken, { userId, issuedAt });
  const id = `${state.baseUrl}/id/${state.orgId}/${userId}`;
  const signature = createHmac('sha256', state.clientSecret).update(`${id}${issuedAt}`).digest('base64');
  return {
    status: 200,
    body: {
      access_token: accessToken,
      signature,
      scope: 'api',
      instance_url: state.baseUrl,
      id,
      token_type: 'Bearer',
      issued_at: String(issuedAt),
    },
  };
}

/**
 * The identity URL the token response's `id` names, `GET /id/{orgId}/{userId}` with the access token
 * (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_openid.htm); jsforce's `identity()` calls it.
 */
function identity({ state, params }: RouteContext): Reply {
  const user = state.store.get('User', params['userId'] ?? '');
  if (!user || params['orgId'] !== state.orgId)
    throw restError(404, 'NOT_FOUND', 'The requested resource does not exist');
  const rest = (path: string): string => `${state.baseUrl}/services/data/v{version}/${path}`;
  return {
    status: 200,
    body: {
      id: `${state.baseUrl}/id/${state.orgId}/${user.Id}`,
      asserted_user: true,
      user_id: user.Id,
      organization_id: state.orgId,
      username: user['Username'],
      display_name: user['Name'],
      email: user['Email'],
      first_name: user['FirstName'],
      last_name: user['LastName'],
      active: user['IsActive'],
      user_type: 'STANDARD',
      urls: {
        rest: rest(''),
        sobjects: rest('sobjects/'),
        query: rest('query/'),
        tooling_rest: rest('tooling/'),
        custom_domain: state.baseUrl,
      },
    },
  };
}

export const OAUTH_ROUTES: readonly RouteDefinition[] = [
  {
    method: 'POST',
    template: '/services/oauth2/token',
    write: false,
    root: true,
    public: true,
    form: true,
    handler: token,
  },
  { method: 'GET', template: '/id/{orgId}/{userId}', write: false, root: true, unmetered: true, handler: identity },
];
