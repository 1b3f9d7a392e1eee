import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  defineCrm,
  type DemoStartOptions,
  type DemoTarget,
  type EmulatorHandle,
  type EmulatorStartOptions,
} from '../crm-entry.ts';
import { HubspotConfigSchema } from './config.ts';

const MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));
const TIERS = ['starter', 'professional', 'enterprise'] as const;

/** HubSpot in the CRM registry. Only this file and the config schema load at start-up; the SDK loads on `create`. */
export const HUBSPOT = defineCrm({
  id: 'hubspot',
  label: 'HubSpot',
  configKey: 'hubspot',
  configSchema: HubspotConfigSchema,
  secrets: [{ path: ['crm', 'hubspot', 'token'], env: 'HUBSPOT_TOKEN', placeholder: '<your private app token>' }],
  deal: (config) => ({ pipeline: config.pipeline, stage: config.stage }),
  // 100 inputs per batch call: https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
  callsPerBatch: 100,
  mappings: (config) => ({
    account: { path: config.mappings.companies, object: 'companies' },
    opportunity: { path: config.mappings.deals, object: 'deals' },
  }),
  shippedMappings: {
    account: { path: path.join(MAPPINGS, 'hubspot.companies.yaml'), object: 'companies' },
    opportunity: { path: path.join(MAPPINGS, 'hubspot.deals.yaml'), object: 'deals' },
  },
  emulator: { start: startEmulator },
  demo: { start: startDemo },
  create: async (options) => {
    const { createHubspotConnector } = await import('./index.ts');
    return createHubspotConnector({
      config: options.config,
      accessToken: options.secret('crm.hubspot.token'),
      log: options.log,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  },
});

async function startEmulator(options: EmulatorStartOptions): Promise<EmulatorHandle> {
  const [{ startHubspotEmulator }, { demoSeed }] = await Promise.all([
    import('./emulator/index.ts'),
    import('./demo-seed.ts'),
  ]);
  const asOf = new Date().toISOString().slice(0, 10);
  const seed = options.seed === 'demo' ? demoSeed({ companies: 300, asOf }).seed : undefined;
  const tier = TIERS.find((t) => t === options.tier);
  const emulator = await startHubspotEmulator({
    port: options.port,
    ...(tier ? { tier } : {}),
    ...(seed ? { seed } : {}),
  });
  const banner = [
    `HubSpot emulator listening on ${emulator.url}`,
    `  access token: ${emulator.token}`,
    `  point the worker at it: "crm": { "hubspot": { "basePath": "${emulator.url}", "token": { "env": "HUBSPOT_TOKEN" } } }`,
    `  and export HUBSPOT_TOKEN=${emulator.token}`,
    `  try: curl -s -H "Authorization: Bearer ${emulator.token}" "${emulator.url}/crm/v3/objects/companies?limit=3&properties=name,domain"`,
  ];
  return { banner, stop: () => emulator.stop() };
}

async function startDemo(options: DemoStartOptions): Promise<DemoTarget> {
  const [{ startHubspotEmulator }, { demoSeed }, { hubspotDemoAe }] = await Promise.all([
    import('./emulator/index.ts'),
    import('./demo-seed.ts'),
    import('./demo-ae.ts'),
  ]);
  const { seed, companies } = demoSeed(options);
  const emulator = await startHubspotEmulator({ port: 0, seed, ...(options.now ? { now: options.now } : {}) });
  const auth = `-H "Authorization: Bearer ${emulator.token}"`;
  const mappings = {
    companies: path.join(MAPPINGS, 'hubspot.companies.yaml'),
    deals: path.join(MAPPINGS, 'hubspot.deals.yaml'),
  };
  return {
    label: 'HubSpot',
    url: emulator.url,
    companies,
    env: { HUBSPOT_TOKEN: emulator.token },
    crmConfig: { hubspot: { token: { env: 'HUBSPOT_TOKEN' }, basePath: emulator.url, mappings } },
    writes: () => emulator.writes(),
    lookAround: () => [
      `  curl -s ${auth} "${emulator.url}/crm/v3/objects/deals?limit=5&properties=dealname,amount,dealstage,expansion_key&associations=companies"`,
      `  curl -s ${auth} "${emulator.url}/crm/v3/objects/notes?limit=2&properties=hs_note_body"`,
      `  curl -s ${auth} "${emulator.url}/crm/v3/objects/companies?limit=5&properties=name,es_score,es_health,es_timing,es_potential_arr"`,
    ],
    stop: () => emulator.stop(),
    ae: hubspotDemoAe({ url: emulator.url, token: emulator.token }),
  };
}
