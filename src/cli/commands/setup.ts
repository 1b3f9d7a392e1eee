import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { configuredCrm, crmEntries, crmEntry, type CrmEntry } from '../../../connectors/crm-registry.ts';
import { loadConfig } from '../../config/load.ts';
import { SyncError } from '../../errors.ts';
import { EXIT } from '../exit-codes.ts';

export interface SetupOptions {
  readonly system: string;
  readonly print?: boolean;
  readonly out?: string;
  readonly config?: string;
}

/** `setup <system> --print`: the deployable metadata of the fields the mappings write, for admins who deploy it themselves. */
export async function setupCommand(options: SetupOptions): Promise<number> {
  const entry = crmEntry(options.system);
  if (entry?.setup === undefined) {
    const supported = crmEntries().filter((e) => e.setup !== undefined);
    const others = crmEntries()
      .filter((e) => e.setup === undefined)
      .map((e) => e.label);
    const why =
      others.length > 0 ? ` (${others.join(', ')}: fields are created by the first sync, or listed by check)` : '';
    throw new SyncError(`setup supports ${supported.map((e) => e.id).join(', ')} only${why}; got "${options.system}"`, {
      code: 'setup_unknown_system',
      kind: 'config',
    });
  }
  const files = await metadataFiles(entry, options.config);
  if (options.out) {
    for (const file of files) {
      const target = path.join(options.out, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    process.stdout.write(entry.setup.done(options.out, files.length));
    return EXIT.ok;
  }
  for (const file of files) process.stdout.write(`==> ${file.path} <==\n${file.content}\n`);
  return EXIT.ok;
}

async function metadataFiles(entry: CrmEntry, config: string | undefined) {
  const setup = entry.setup;
  if (setup === undefined) return [];
  // Without a config: the shipped mapping files and the CRM's config defaults.
  if (config === undefined) return setup.files({ mappings: entry.shippedMappings });
  // Secrets are not needed to print metadata: resolve none, so a missing variable is no error here.
  const unused = Object.fromEntries(setup.secretEnv.map((name) => [name, 'unused']));
  const loaded = await loadConfig(config, { env: { ...process.env, ...unused } });
  const configured = configuredCrm(loaded.config.crm);
  if (configured.entry.id !== entry.id) {
    throw new SyncError(`${loaded.file} configures no ${entry.label} (crm.${entry.configKey})`, {
      code: `setup_no_${entry.id}`,
      kind: 'config',
    });
  }
  const refs = entry.mappings(configured.config);
  const mappings = {
    account: { ...refs.account, path: loaded.resolvePath(refs.account.path) },
    opportunity: { ...refs.opportunity, path: loaded.resolvePath(refs.opportunity.path) },
  };
  return setup.files({ config: configured.config, mappings });
}
