import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  defineCrm,
  type DemoStartOptions,
  type DemoTarget,
  type EmulatorHandle,
  type EmulatorStartOptions,
} from '../crm-entry.ts';
import { SalesforceConfigSchema } from './config.ts';

const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));

/** Salesforce in the CRM registry. Only this file and the config schema load at start-up; jsforce loads on `create`. */
export const SALESFORCE = defineCrm({
  id: 'salesforce',
  label: 'Salesforce',
  configKey: 'salesforce',
  configSchema: SalesforceConfigSchema,
  secrets: [
    {
      path: ['crm', 'salesforce', 'auth', 'clientSecret'],
      env: 'SALESFORCE_CLIENT_SECRET',
      placeholder: '<the consumer secret>',
    },
    {
      path: ['crm', 'salesforce', 'auth', 'privateKey'],
      env: 'SALESFORCE_PRIVATE_KEY',
      placeholder: '"$(cat server.key)"',
    },
  ],
  // Salesforce has no pipeline field on Opportunity: the stage is the whole placement.
  deal: (config) => ({ pipeline: '', stage: config.stage }),
  // sObject Collections take up to 200 records per call.
  callsPerBatch: 200,
  mappings: (config) => ({
    account: { path: config.mappings.accounts, object: 'Account' },
    opportunity: { path: config.mappings.opportunities, object: 'Opportunity' },
  }),
  shippedMappings: {
    account: { path: path.join(MAPPINGS, 'salesforce.accounts.yaml'), object: 'Account' },
    opportunity: { path: path.join(MAPPINGS, 'salesforce.opportunities.yaml'), object: 'Opportunity' },
  },
  emulator: { start: startEmulator },
  demo: { start: startDemo },
  setup: {
    secretEnv: ['SALESFORCE_CLIENT_SECRET', 'SALESFORCE_PRIVATE_KEY'],
    files: async ({ config, mappings }) => {
      const [{ metadataPackage }, { fieldTargets }, { loadMappings, writeTargets }] = await Promise.all([
        import('./metadata.ts'),
        import('./provision.ts'),
        import('../../src/engine/mappings.ts'),
      ]);
      const files = await loadMappings({ system: 'salesforce', ...mappings });
      return metadataPackage(fieldTargets(writeTargets(files)), config?.apiVersion ?? '62.0');
    },
    done: (out, count) =>
      `Wrote ${count} files to ${out}. Deploy with: sf project deploy start --manifest ${path.join(out, 'manifest/package.xml')}\nthen assign the Expansion_Sync permission set to the integration user.\n`,
  },
  create: async (options) => {
    const { createSalesforceConnector } = await import('./index.ts');
    const { config } = options;
    return createSalesforceConnector({
      config,
      secret: options.secret(
        config.auth.flow === 'jwt' ? 'crm.salesforce.auth.privateKey' : 'crm.salesforce.auth.clientSecret',
      ),
      log: options.log,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  },
});

async function startEmulator(options: EmulatorStartOptions): Promise<EmulatorHandle> {
  const [{ startSalesforceEmulator }, { salesforceDemoSeed }] = await Promise.all([
    import('./emulator/index.ts'),
    import('./demo-seed.ts'),
  ]);
  const asOf = new Date().toISOString().slice(0, 10);
  const seed = options.seed === 'demo' ? salesforceDemoSeed({ companies: 300, asOf }).seed : undefined;
  const emulator = await startSalesforceEmulator({ port: options.port, ...(seed ? { seed } : {}) });
  const token = `curl -s -d grant_type=client_credentials -d client_id=${emulator.clientId} -d client_secret=${emulator.clientSecret} ${emulator.url}/services/oauth2/token`;
  const banner = [
    `Salesforce emulator listening on ${emulator.url}`,
    `  login URL (token endpoint ${emulator.url}/services/oauth2/token) and instance URL: ${emulator.url}`,
    `  client id: ${emulator.clientId}`,
    `  client secret: ${emulator.clientSecret}`,
    `  JWT audience: ${emulator.loginUrl} (JWT bearer needs a public key: use the library's jwtPublicKey option)`,
    `  try: ${token}`,
    `  then: curl -s -H "Authorization: Bearer <access_token>" "${emulator.url}/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+3"`,
  ];
  return { banner, stop: () => emulator.stop() };
}

async function startDemo(options: DemoStartOptions): Promise<DemoTarget> {
  const [{ startSalesforceEmulator }, { salesforceDemoSeed }, { salesforceDemoAe }] = await Promise.all([
    import('./emulator/index.ts'),
    import('./demo-seed.ts'),
    import('./demo-ae.ts'),
  ]);
  const { seed, companies } = salesforceDemoSeed(options);
  const emulator = await startSalesforceEmulator({ port: 0, seed, ...(options.now ? { now: options.now } : {}) });
  const query = (soql: string): string =>
    `  curl -s -H "Authorization: Bearer $TOKEN" "${emulator.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}"`;
  const tokenCall = `curl -s -d grant_type=client_credentials -d client_id=${emulator.clientId} -d client_secret=${emulator.clientSecret} ${emulator.url}/services/oauth2/token`;
  return {
    label: 'Salesforce',
    url: emulator.url,
    companies,
    env: { SALESFORCE_CLIENT_SECRET: emulator.clientSecret },
    crmConfig: {
      salesforce: {
        loginUrl: emulator.url,
        auth: {
          flow: 'client_credentials',
          clientId: emulator.clientId,
          clientSecret: { env: 'SALESFORCE_CLIENT_SECRET' },
        },
        mappings: {
          accounts: path.join(MAPPINGS, 'salesforce.accounts.yaml'),
          opportunities: path.join(MAPPINGS, 'salesforce.opportunities.yaml'),
        },
      },
    },
    writes: () => emulator.writes(),
    lookAround: () => [
      `  TOKEN=$(${tokenCall} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
      query('SELECT Name, Amount, StageName, Expansion_Key__c, Account.Name FROM Opportunity LIMIT 5'),
      query(
        'SELECT Name, Expansion_Score__c, Expansion_Health__c, Expansion_Timing__c, Expansion_Potential_ARR__c FROM Account LIMIT 5',
      ),
    ],
    stop: () => emulator.stop(),
    ae: salesforceDemoAe({ url: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret }),
  };
}
