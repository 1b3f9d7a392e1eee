import path from 'node:path';
import { createCrmConnector } from '../../../connectors/crm-registry.ts';
import { loadConfig } from '../../config/load.ts';
import { loadMappings, writeTargets } from '../../engine/mappings.ts';
import { createLogger } from '../../logger.ts';
import { validateMappings, type MappingProblem } from '../../mapping/index.ts';
import { EXIT } from '../exit-codes.ts';
import { mappingSourcesOf } from '../run-options.ts';

export interface MappingsCheckOptions {
  readonly config: string;
  readonly json?: boolean;
}

/**
 * `mappings check`: every mapping rule against the live CRM's field definitions (HubSpot properties,
 * Salesforce describe). Writes nothing: fields the first sync would create are listed as notes.
 * Every problem at once, each with file and line; exit 2 when any is an error.
 */
export async function mappingsCheckCommand(options: MappingsCheckOptions): Promise<number> {
  const loaded = await loadConfig(options.config);
  const files = await loadMappings(mappingSourcesOf(loaded));
  const crm = await createCrmConnector({ loaded, log: createLogger({ level: 'warn' }) });
  let problems: MappingProblem[];
  try {
    const provision = await crm.provision({ dryRun: true, targets: writeTargets(files) });
    problems = validateMappings(files, await crm.describeFields(), provision.missing);
    const errors = problems.filter((p) => p.severity === 'error').length;
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: errors === 0, problems }, null, 2)}\n`);
    else
      process.stdout.write(
        `${render(problems, { system: crm.system, files: [files.account.file, files.opportunity.file], cwd: process.cwd() })}\n`,
      );
    return errors > 0 ? EXIT.config : EXIT.ok;
  } finally {
    await crm.close();
  }
}

function render(
  problems: readonly MappingProblem[],
  context: { readonly system: string; readonly files: readonly string[]; readonly cwd: string },
): string {
  const shown = (file: string): string => path.relative(context.cwd, file) || file;
  const lines = [`Checked ${context.files.map(shown).join(' and ')} against the live ${context.system} schema.`];
  const ordered = [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  for (const p of ordered)
    lines.push(`  ${shown(p.file)}:${p.line}: ${p.severity}: ${p.message}`, `      fix: ${p.fix}`);
  const count = (s: MappingProblem['severity']): number => problems.filter((p) => p.severity === s).length;
  const errors = count('error');
  lines.push(
    errors === 0
      ? `OK: no errors (${count('warning')} warnings, ${count('info')} notes).`
      : `${errors} ${errors === 1 ? 'error' : 'errors'}, ${count('warning')} warnings, ${count('info')} notes. A run would switch off the rules with errors and go on without them.`,
  );
  return lines.join('\n');
}
