import { createCrmConnector } from '../../../connectors/index.ts';
import { loadConfig } from '../../config/load.ts';
import { createLogger } from '../../logger.ts';
import { EXIT } from '../exit-codes.ts';

export async function checkCommand(options: { readonly config: string }): Promise<number> {
  const loaded = await loadConfig(options.config);
  const log = createLogger({ level: 'warn' });
  const crm = await createCrmConnector({ loaded, log });
  const [result, provision] = await Promise.all([crm.check(), crm.provision({ dryRun: true })]).finally(() => crm.close());
  const lines = [`Config ${loaded.file} is valid.`];
  for (const c of result.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`);
  lines.push(
    provision.missing.length === 0
      ? `  ok   write fields: all ${provision.existing.length} exist`
      : `  info write fields to be created on the first sync: ${provision.missing.join(', ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  if (result.ok) return EXIT.ok;
  return result.checks.some((c) => (c.name === 'token' || c.name === 'auth') && !c.ok) ? EXIT.auth : EXIT.config;
}
