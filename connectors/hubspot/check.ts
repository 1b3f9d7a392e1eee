import type { CheckResult } from '../../src/engine/crm.ts';
import { errorMessage, isSyncError } from '../../src/errors.ts';
import type { MappingFile } from '../../src/mapping/index.ts';
import type { HubspotClient } from './client.ts';
import { readProperties } from './provision.ts';
import { REQUIRED_SCOPES, TOKEN_INFO_PATH } from './scopes.ts';

type Check = CheckResult['checks'][number];

export interface CheckPortalOptions {
  readonly client: HubspotClient;
  readonly accessToken: string;
  readonly mappings: { readonly companies: MappingFile; readonly deals: MappingFile };
  /** The pipeline and stage new expansion deals go in (crm.hubspot.pipeline, crm.hubspot.stage). */
  readonly deal?: { readonly pipeline: string; readonly stage: string };
}

/** `check`: the token works, it has the scopes the worker needs, the portal answers, and the mapped properties exist. */
export async function checkPortal(options: CheckPortalOptions): Promise<CheckResult> {
  const { client } = options;
  const checks: Check[] = [];
  try {
    await client.call('owners.read', (sdk) => sdk.crm.owners.ownersApi.getPage(undefined, undefined, 1, false));
    checks.push({ name: 'token', ok: true, message: 'the access token is accepted and the portal answers' });
  } catch (error) {
    // A portal that cannot be reached says nothing of the token: named apart, it exits as a system failure.
    const name =
      isSyncError(error) && (error.kind === 'system' || error.kind === 'transient') ? 'reachability' : 'token';
    checks.push({ name, ok: false, message: errorMessage(error) });
    return { ok: false, checks };
  }
  checks.push(await checkScopes(client, options.accessToken));
  if (options.deal) checks.push(await checkDealStage(client, options.deal));
  try {
    const properties = await readProperties(client);
    for (const [object, mapping] of [
      ['companies', options.mappings.companies],
      ['deals', options.mappings.deals],
    ] as const) {
      checks.push(propertyCheck(object, mapping, properties[object]));
    }
  } catch (error) {
    checks.push({
      name: 'properties',
      ok: false,
      message: `cannot read property definitions (needs the crm.schemas.*.read scopes): ${errorMessage(error)}`,
    });
  }
  return { ok: checks.every((c) => c.ok), checks };
}

async function checkScopes(client: HubspotClient, accessToken: string): Promise<Check> {
  try {
    const info = await client.call('token.info', async (sdk) => {
      const response = await sdk.apiRequest({ method: 'POST', path: TOKEN_INFO_PATH, body: { tokenKey: accessToken } });
      const text = await response.text();
      // Shaped like the SDK's ApiException, so the one classifier reads its status and body.
      if (!response.ok)
        throw Object.assign(new Error(`HTTP-Code: ${response.status}`), {
          code: response.status,
          body: text,
          headers: Object.fromEntries(response.headers.entries()),
        });
      return JSON.parse(text) as { scopes?: unknown };
    });
    const granted = new Set(
      Array.isArray(info.scopes) ? info.scopes.filter((s): s is string => typeof s === 'string') : [],
    );
    const missing = REQUIRED_SCOPES.filter((s) => !granted.has(s));
    return missing.length === 0
      ? { name: 'scopes', ok: true, message: `all ${REQUIRED_SCOPES.length} required scopes are granted` }
      : {
          name: 'scopes',
          ok: false,
          message: `the private app lacks ${missing.join(', ')}; add them in HubSpot under Settings > Integrations > Private apps > Scopes`,
        };
  } catch (error) {
    // OAuth app tokens are not private-app tokens and have no such metadata: say so rather than fail.
    return {
      name: 'scopes',
      ok: true,
      message: `not verified (token metadata unavailable: ${errorMessage(error)}); the property and object checks below still exercise read access`,
    };
  }
}

function propertyCheck(object: string, mapping: MappingFile, existing: ReadonlyMap<string, unknown>): Check {
  // A field the worker also writes is created by provisioning on the first sync, so it is not missing.
  const provisioned = new Set(mapping.write.map((w) => w.field));
  const absent = (f: string): boolean => !existing.has(f) && !provisioned.has(f);
  // An optional read rule (customer since, say) whose property the portal lacks is skipped, not a failure.
  const missing = mapping.read
    .filter((r) => !r.optional)
    .map((r) => r.field)
    .filter(absent);
  const skipped = mapping.read
    .filter((r) => r.optional)
    .map((r) => r.field)
    .filter(absent);
  const present = mapping.read.filter((r) => existing.has(r.field)).length;
  const pending = mapping.read.length - present - missing.length - skipped.length;
  if (missing.length > 0)
    return {
      name: `${object} properties`,
      ok: false,
      message: `mapped but missing in the portal: ${missing.join(', ')} (fix ${mapping.file})`,
    };
  const note = [
    pending > 0 ? `${pending} more are created on the first sync` : '',
    skipped.length > 0 ? `optional, not in the portal, skipped: ${skipped.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    name: `${object} properties`,
    ok: true,
    message: `${present} of ${mapping.read.length} mapped ${object} properties exist${note ? ` (${note})` : ''}`,
  };
}

interface PipelineView {
  readonly id: string;
  readonly label: string;
  readonly stages: ReadonlyArray<{ readonly id: string; readonly label: string }>;
}

/**
 * The configured deal pipeline and stage exist in the portal. A typo here fails every deal create of every
 * run (HubSpot answers INVALID_OPTION per record), so `check` reads the deal pipelines
 * (GET /crm/v3/pipelines/deals, https://developers.hubspot.com/docs/api/crm/pipelines) and names the valid
 * choices: pipeline and stage are ids, not labels.
 */
export async function checkDealStage(
  client: HubspotClient,
  deal: { readonly pipeline: string; readonly stage: string },
): Promise<Check> {
  let pipelines: PipelineView[];
  try {
    const page = await client.call('pipelines.read', (sdk) => sdk.crm.pipelines.pipelinesApi.getAll('deals'));
    pipelines = page.results.map((p) => ({
      id: p.id,
      label: p.label,
      stages: p.stages.filter((s) => !s.archived).map((s) => ({ id: s.id, label: s.label })),
    }));
  } catch (error) {
    return { name: 'deal stage', ok: false, message: `cannot read the deal pipelines: ${errorMessage(error)}` };
  }
  const pipeline = pipelines.find((p) => p.id === deal.pipeline);
  if (!pipeline)
    return {
      name: 'deal stage',
      ok: false,
      message: `crm.hubspot.pipeline ${JSON.stringify(deal.pipeline)} is not a deal pipeline in this portal; valid pipeline ids: ${choices(pipelines)}`,
    };
  const stage = pipeline.stages.find((s) => s.id === deal.stage);
  if (!stage)
    return {
      name: 'deal stage',
      ok: false,
      message: `crm.hubspot.stage ${JSON.stringify(deal.stage)} is not a stage of pipeline ${JSON.stringify(pipeline.id)} (${pipeline.label}); valid stage ids: ${choices(pipeline.stages)}`,
    };
  return {
    name: 'deal stage',
    ok: true,
    message: `new deals go to stage ${stage.id} (${stage.label}) of pipeline ${pipeline.id} (${pipeline.label})`,
  };
}

/** `id (Label), ...`, at most 20 of them. */
function choices(items: ReadonlyArray<{ readonly id: string; readonly label: string }>): string {
  if (items.length === 0) return '(none)';
  const shown = items.slice(0, 20).map((i) => (i.label && i.label !== i.id ? `${i.id} (${i.label})` : i.id));
  return `${shown.join(', ')}${items.length > 20 ? `, and ${items.length - 20} more` : ''}`;
}
