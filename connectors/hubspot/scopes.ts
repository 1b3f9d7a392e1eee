/**
 * The scopes a private app needs for everything expansion-sync does: read companies, deals and owners,
 * write companies and deals (notes ride on the objects they are associated with), and read and create
 * properties. Scope names: https://developers.hubspot.com/docs/apps/legacy-apps/authentication/scopes
 */
export const REQUIRED_SCOPES = [
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
] as const;

/** Private-app token metadata: POST /oauth/v2/private-apps/get/access-token-info with `{ tokenKey }`
 * (https://developers.hubspot.com/docs/api/private-apps, "View private app access token information"). */
export const TOKEN_INFO_PATH = '/oauth/v2/private-apps/get/access-token-info';
