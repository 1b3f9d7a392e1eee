/**
 * The one static registry of connectors. `src/` never imports `connectors/`; the CLI wiring does, here.
 */
import type { LoadedConfig } from '../src/config/load.ts';
import type { CrmConnector } from '../src/engine/crm.ts';
import type { UsageSource } from '../src/engine/usage-ingest.ts';
import type { Logger } from '../src/logger.ts';
import { createHubspotConnector } from './hubspot/index.ts';
import { createSalesforceConnector } from './salesforce/index.ts';
import { readUsageFile } from './usage-file/read.ts';

export interface WireOptions {
  readonly loaded: LoadedConfig;
  readonly log: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function createCrmConnector(options: WireOptions): Promise<CrmConnector> {
  const { loaded } = options;
  const { salesforce, hubspot } = loaded.config.crm;
  if (salesforce) {
    return createSalesforceConnector({
      config: salesforce,
      secret: loaded.secret(salesforce.auth.flow === 'jwt' ? 'crm.salesforce.auth.privateKey' : 'crm.salesforce.auth.clientSecret'),
      resolvePath: (p) => loaded.resolvePath(p),
      log: options.log,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  }
  if (!hubspot) throw new Error('the config names no CRM');
  return createHubspotConnector({
    config: hubspot,
    accessToken: loaded.secret('crm.hubspot.token'),
    resolvePath: (p) => loaded.resolvePath(p),
    log: options.log,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
}

export function createUsageSource(loaded: LoadedConfig): UsageSource {
  const usage = loaded.config.usage;
  const path = loaded.resolvePath(usage.path);
  return {
    label: path,
    read: () => readUsageFile({ path, ...(usage.format ? { format: usage.format } : {}) }),
  };
}
