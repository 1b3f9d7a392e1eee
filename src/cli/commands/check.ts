import { createCrmConnector, createUsageSource } from '../../../connectors/index.ts';
import { sendTestAlerts, type TestDelivery } from '../../alerts/index.ts';
import type { ActiveMappings, CrmConnector } from '../../engine/crm.ts';
import { loadMappings, writeTargets } from '../../engine/mappings.ts';
import { locate } from '../../engine/usage-source.ts';
import { validateMappings } from '../../mapping/index.ts';
import { loadConfig, type LoadedConfig } from '../../config/load.ts';
import { errorMessage } from '../../errors.ts';
import { hostOf } from '../../http/classify-default.ts';
import { createLogger } from '../../logger.ts';
import { EXIT } from '../exit-codes.ts';
import { mappingSourcesOf } from '../run-options.ts';

/** One line of the check: `ok`, `FAIL` or `warn`, with what was checked and what was found. */
interface Finding {
  readonly name: string;
  readonly ok: boolean;
  readonly message: string;
  /** Shown as `info`, not `ok`: what the first sync will do. */
  readonly info?: boolean;
}

/** Rows of the usage source read to prove it parses: enough to catch a wrong export, quick on any file. */
const USAGE_SAMPLE_ROWS = 50;
/** Problems listed by location; the rest are counted. */
const USAGE_PROBLEMS_SHOWN = 3;
/**
 * How long the CRM checks may take. The clients fail at once on a host that refuses or does not resolve;
 * this bounds a host that takes the connection and never answers, so `check` never hangs on it.
 */
const CRM_DEADLINE_MS = 20_000;

export interface CheckOptions {
  readonly config: string;
  /** Post one test alert to each configured webhook and report each delivery. */
  readonly sendTestAlert?: boolean;
}

export async function checkCommand(options: CheckOptions): Promise<number> {
  const loaded = await loadConfig(options.config);
  const log = createLogger({ level: 'warn' });
  const files = await loadMappings(mappingSourcesOf(loaded));
  const usage = await usageFindings(loaded);
  const crm = await createCrmConnector({ loaded, log });
  const crmPart = await withDeadline(crmFindings(crm, files, loaded), CRM_DEADLINE_MS);
  if (crmPart === undefined) {
    // The SDKs cannot cancel a request in flight: the open socket would keep the process waiting for an
    // answer that is not coming. Once the report below is written, the command ends with its exit code.
    setTimeout(() => process.exit(), 1_000).unref();
  } else await crm.close();
  const findings: Finding[] = [...usage, ...(crmPart ?? [unanswered(loaded)])];
  const deliveries = options.sendTestAlert === true ? await testAlerts(loaded) : undefined;
  const lines = [`Config ${loaded.file} is valid.`];
  for (const f of findings)
    lines.push(
      f.info === true ? `  info ${f.name} ${f.message}` : `  ${f.ok ? 'ok  ' : 'FAIL'} ${f.name}: ${f.message}`,
    );
  if (deliveries !== undefined) lines.push(...deliveryLines(deliveries));
  process.stdout.write(`${lines.join('\n')}\n`);
  return exitCode(findings, deliveries ?? []);
}

/**
 * The exit code, most fundamental failure first: an unreachable CRM (5) says nothing about the rest,
 * rejected credentials are 3, anything else in the config 2, and a webhook that did not take the test
 * alert 5.
 */
function exitCode(findings: readonly Finding[], deliveries: readonly TestDelivery[]): number {
  const failed = findings.filter((f) => !f.ok);
  if (failed.some((f) => f.name === 'reachability')) return EXIT.failed;
  if (failed.some((f) => f.name === 'token' || f.name === 'auth')) return EXIT.auth;
  if (failed.length > 0) return EXIT.config;
  return deliveries.every((d) => d.ok) ? EXIT.ok : EXIT.failed;
}

async function crmFindings(crm: CrmConnector, files: ActiveMappings, loaded: LoadedConfig): Promise<Finding[]> {
  const [result, provision] = await Promise.all([
    crm.check(files),
    crm.provision({ dryRun: true, targets: writeTargets(files) }).then(
      (done) => ({ done }),
      (error: unknown) => ({ error }),
    ),
  ]);
  const findings: Finding[] = [...result.checks];
  // The connector's first check failed on reachability or sign-in: nothing else can be read.
  if (result.checks.some((c) => !c.ok && ['reachability', 'token', 'auth'].includes(c.name))) return findings;
  if ('error' in provision) {
    findings.push({ name: 'write fields', ok: false, message: `cannot be checked: ${errorMessage(provision.error)}` });
    return findings;
  }
  const { missing, existing } = provision.done;
  findings.push(...(await mappingFindings(crm, files, missing)));
  findings.push(await ownerFindings(crm, loaded));
  findings.push(
    missing.length === 0
      ? { name: 'write fields', ok: true, message: `all ${existing.length} exist` }
      : {
          name: 'write fields',
          ok: true,
          info: true,
          message: `to be created on the first sync: ${missing.join(', ')}`,
        },
  );
  return findings;
}

/** The mapping rules against the live schema, summarised; `mappings check` lists every problem with its line. */
async function mappingFindings(
  crm: CrmConnector,
  files: ActiveMappings,
  missing: readonly string[],
): Promise<Finding[]> {
  try {
    const problems = validateMappings(files, await crm.describeFields(), missing);
    const errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.filter((p) => p.severity === 'warning').length;
    return [
      {
        name: 'mappings',
        ok: errors === 0,
        message:
          errors === 0
            ? `every rule fits the live schema${warnings > 0 ? ` (${warnings} warnings)` : ''}`
            : `${errors} rules do not fit the live schema; run mappings check --config for each with its file and line`,
      },
    ];
  } catch {
    // The token or describe checks above already say why the schema could not be read.
    return [];
  }
}

/**
 * The CRM's owners: opportunities are ranked within each owner's capacity and alerts name them, so a CRM
 * that returns none (a missing owners scope, an integration user who sees no users) fails, and so does an
 * owner the config routes alerts to (`alerts.slack.ownerWebhooks`) that the CRM does not have.
 */
async function ownerFindings(crm: CrmConnector, loaded: LoadedConfig): Promise<Finding> {
  let owners: ReadonlyArray<{ readonly id: string }>;
  try {
    owners = await crm.readOwners();
  } catch (error) {
    return { name: 'owners', ok: false, message: `cannot read the CRM's owners: ${errorMessage(error)}` };
  }
  if (owners.length === 0)
    return {
      name: 'owners',
      ok: false,
      message:
        'the CRM returned no owners, so every account would be unassigned; check that the token or integration user may read users/owners',
    };
  const referenced = Object.keys(loaded.config.alerts.slack?.ownerWebhooks ?? {});
  // Salesforce ids come in a 15-character and an 18-character form; the 18 begin with the 15.
  const known = (id: string): boolean => owners.some((o) => o.id === id || (id.length === 15 && o.id.startsWith(id)));
  const unknown = referenced.filter((id) => !known(id));
  if (unknown.length > 0)
    return {
      name: 'owners',
      ok: false,
      message: `alerts.slack.ownerWebhooks names owner ${unknown.join(', ')}, not an owner in the CRM (${owners.length} owners there); fix or remove ${unknown.length === 1 ? 'it' : 'them'} in ${loaded.file}`,
    };
  return {
    name: 'owners',
    ok: true,
    message: `${owners.length} owners${referenced.length > 0 ? `, including the ${referenced.length} alerts.slack.ownerWebhooks names` : ''}`,
  };
}

/**
 * The usage source as a run reads it (created through the usage-source registry, each row validated by
 * parseUsageRow): it opens, its header has the required columns, and its first rows parse. A problem is
 * named with its location (file:line).
 */
async function usageFindings(loaded: LoadedConfig): Promise<Finding[]> {
  let rows = 0;
  const problems: string[] = [];
  let label: string;
  try {
    const source = createUsageSource(loaded);
    ({ label } = source);
    for await (const item of source.read()) {
      if (item.ok) rows += 1;
      else problems.push(`${locate(source.label, item)}: ${item.message}`);
      if (rows + problems.length >= USAGE_SAMPLE_ROWS) break;
    }
  } catch (error) {
    return [{ name: 'usage', ok: false, message: errorMessage(error) }];
  }
  if (problems.length > 0) {
    const more = problems.length > USAGE_PROBLEMS_SHOWN ? `; and ${problems.length - USAGE_PROBLEMS_SHOWN} more` : '';
    return [
      {
        name: 'usage',
        ok: false,
        message: `${problems.length} of the first ${rows + problems.length} rows do not parse: ${problems.slice(0, USAGE_PROBLEMS_SHOWN).join('; ')}${more}`,
      },
    ];
  }
  if (rows === 0) return [{ name: 'usage', ok: false, message: `${label} has a header but no data rows` }];
  return [{ name: 'usage', ok: true, message: `${label}: the header and the first ${rows} rows parse` }];
}

async function testAlerts(loaded: LoadedConfig): Promise<TestDelivery[]> {
  return sendTestAlerts(loaded.alertTargets(), { sync: loaded.config.name });
}

function deliveryLines(deliveries: readonly TestDelivery[]): string[] {
  if (deliveries.length === 0)
    return ['  FAIL test alert: no webhook is configured (alerts.slack.webhookUrl, alerts.webhook.url)'];
  return deliveries.map((d) =>
    d.ok
      ? `  ok   test alert: ${d.target} took it (HTTP ${d.status ?? '?'})`
      : `  FAIL test alert: ${d.target}: ${d.message ?? 'not delivered'}`,
  );
}

function unanswered(loaded: LoadedConfig): Finding {
  const [system = 'CRM', block] = Object.entries(loaded.config.crm)[0] ?? [];
  // The block's URL (basePath, loginUrl), by host only: never a path, query or credentials.
  const url = Object.values(typeof block === 'object' && block !== null ? block : {}).find(
    (v): v is string => typeof v === 'string' && /^https?:\/\//i.test(v),
  );
  const where = url === undefined ? `the ${system} API` : `${system} at ${hostOf(url)}`;
  return {
    name: 'reachability',
    ok: false,
    message: `no answer from ${where} within ${CRM_DEADLINE_MS / 1000} s; check the configured URL and that the host is up and reachable from here`,
  };
}

/** The promise's value, or undefined when it has not settled in time. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
