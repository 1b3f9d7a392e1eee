import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { metadataPackage } from '../../../connectors/salesforce/metadata.ts';
import { fieldTargets } from '../../../connectors/salesforce/provision.ts';
import { loadConfig } from '../../config/load.ts';
import { SyncError } from '../../errors.ts';
import { loadMappingFile } from '../../mapping/index.ts';
import { EXIT } from '../exit-codes.ts';

const MAPPINGS = fileURLToPath(new URL('../../../mappings/', import.meta.url));

export interface SetupOptions { readonly system: string; readonly print?: boolean; readonly out?: string; readonly config?: string }

/** `setup salesforce --print`: the deployable metadata of the fields the mappings write, for admins who deploy it themselves. */
export async function setupCommand(options: SetupOptions): Promise<number> {
  if (options.system !== 'salesforce') throw new SyncError(`setup supports salesforce only (HubSpot properties are created by the first sync, or listed by check); got "${options.system}"`, { code: 'setup_unknown_system', kind: 'config' });
  const mappings = await mappingFiles(options.config);
  const files = metadataPackage(fieldTargets(mappings.accounts, mappings.opportunities), mappings.apiVersion);
  if (options.out) {
    for (const file of files) {
      const target = path.join(options.out, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.content);
    }
    process.stdout.write(`Wrote ${files.length} files to ${options.out}. Deploy with: sf project deploy start --manifest ${path.join(options.out, 'manifest/package.xml')}\nthen assign the Expansion_Sync permission set to the integration user.\n`);
    return EXIT.ok;
  }
  for (const file of files) process.stdout.write(`==> ${file.path} <==\n${file.content}\n`);
  return EXIT.ok;
}

async function mappingFiles(config: string | undefined) {
  if (config === undefined) {
    return {
      accounts: await loadMappingFile(path.join(MAPPINGS, 'salesforce.accounts.yaml'), { system: 'salesforce', object: 'Account' }),
      opportunities: await loadMappingFile(path.join(MAPPINGS, 'salesforce.opportunities.yaml'), { system: 'salesforce', object: 'Opportunity' }),
      apiVersion: '62.0',
    };
  }
  // Secrets are not needed to print metadata: resolve none, so a missing variable is no error here.
  const loaded = await loadConfig(config, { env: { ...process.env, SALESFORCE_CLIENT_SECRET: 'unused', SALESFORCE_PRIVATE_KEY: 'unused' } });
  const sf = loaded.config.crm.salesforce;
  if (!sf) throw new SyncError(`${loaded.file} configures no Salesforce org (crm.salesforce)`, { code: 'setup_no_salesforce', kind: 'config' });
  return {
    accounts: await loadMappingFile(loaded.resolvePath(sf.mappings.accounts), { system: 'salesforce', object: 'Account' }),
    opportunities: await loadMappingFile(loaded.resolvePath(sf.mappings.opportunities), { system: 'salesforce', object: 'Opportunity' }),
    apiVersion: sf.apiVersion,
  };
}
