import { createCrmConnector } from '../../../connectors/crm-registry.ts';
import type { ActiveMappings, CrmConnector } from '../../engine/crm.ts';
import { loadMappings, writeTargets } from '../../engine/mappings.ts';
import { validateMappings } from '../../mapping/index.ts';
import { loadConfig } from '../../config/load.ts';
import { createLogger } from '../../logger.ts';
import { EXIT } from '../exit-codes.ts';
import { mappingSourcesOf } from '../run-options.ts';

export async function checkCommand(options: { readonly config: string }): Promise<number> {
  const loaded = await loadConfig(options.config);
  const log = createLogger({ level: 'warn' });
  const files = await loadMappings(mappingSourcesOf(loaded));
  const crm = await createCrmConnector({ loaded, log });
  const [result, provision, mappings] = await Promise.all([
    crm.check(files),
    crm.provision({ dryRun: true, targets: writeTargets(files) }),
  ])
    .then(
      async ([checked, provided]) => [checked, provided, await mappingFindings(crm, files, provided.missing)] as const,
    )
    .finally(() => crm.close());
  const lines = [`Config ${loaded.file} is valid.`];
  for (const c of [...result.checks, ...mappings]) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`);
  lines.push(
    provision.missing.length === 0
      ? `  ok   write fields: all ${provision.existing.length} exist`
      : `  info write fields to be created on the first sync: ${provision.missing.join(', ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  if (result.ok && mappings.every((m) => m.ok)) return EXIT.ok;
  return result.checks.some((c) => (c.name === 'token' || c.name === 'auth') && !c.ok) ? EXIT.auth : EXIT.config;
}

/** The mapping rules against the live schema, summarised; `mappings check` lists every problem with its line. */
async function mappingFindings(
  crm: CrmConnector,
  files: ActiveMappings,
  missing: readonly string[],
): Promise<Array<{ name: string; ok: boolean; message: string }>> {
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
