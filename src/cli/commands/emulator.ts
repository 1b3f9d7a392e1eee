import { startHubspotEmulator } from '../../../connectors/hubspot/emulator/index.ts';
import { startSalesforceEmulator } from '../../../connectors/salesforce/emulator/index.ts';
import { demoSeed } from '../demo/hubspot-seed.ts';
import { salesforceDemoSeed } from '../demo/salesforce-seed.ts';
import { EXIT } from '../exit-codes.ts';

export interface EmulatorCommandOptions {
  readonly system: string;
  readonly port: string;
  readonly seed: string;
  readonly tier: 'starter' | 'professional' | 'enterprise';
}

const SYSTEMS = ['hubspot', 'salesforce'] as const;

export async function emulatorCommand(options: EmulatorCommandOptions): Promise<number> {
  if (!(SYSTEMS as readonly string[]).includes(options.system)) {
    process.stderr.write(`expansion-sync emulator: unknown system "${options.system}"; available: ${SYSTEMS.join(', ')}\n`);
    return EXIT.config;
  }
  if (options.seed !== 'empty' && options.seed !== 'demo') {
    process.stderr.write(`expansion-sync emulator: --seed must be empty or demo, not "${options.seed}"\n`);
    return EXIT.config;
  }
  const stop = options.system === 'salesforce' ? await startSalesforce(options) : await startHubspot(options);
  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await stop();
  return EXIT.ok;
}

async function startHubspot(options: EmulatorCommandOptions): Promise<() => Promise<void>> {
  const asOf = new Date().toISOString().slice(0, 10);
  const seed = options.seed === 'demo' ? demoSeed({ companies: 300, asOf }).seed : undefined;
  const emulator = await startHubspotEmulator({ port: Number(options.port), tier: options.tier, ...(seed ? { seed } : {}) });
  process.stdout.write(
    [
      `HubSpot emulator listening on ${emulator.url}`,
      `  access token: ${emulator.token}`,
      `  point the worker at it: "crm": { "hubspot": { "basePath": "${emulator.url}", "token": { "env": "HUBSPOT_TOKEN" } } }`,
      `  and export HUBSPOT_TOKEN=${emulator.token}`,
      `  try: curl -s -H "Authorization: Bearer ${emulator.token}" "${emulator.url}/crm/v3/objects/companies?limit=3&properties=name,domain"`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  return () => emulator.stop();
}

async function startSalesforce(options: EmulatorCommandOptions): Promise<() => Promise<void>> {
  const asOf = new Date().toISOString().slice(0, 10);
  const seed = options.seed === 'demo' ? salesforceDemoSeed({ companies: 300, asOf }).seed : undefined;
  const emulator = await startSalesforceEmulator({ port: Number(options.port), ...(seed ? { seed } : {}) });
  const token = `curl -s -d grant_type=client_credentials -d client_id=${emulator.clientId} -d client_secret=${emulator.clientSecret} ${emulator.url}/services/oauth2/token`;
  process.stdout.write(
    [
      `Salesforce emulator listening on ${emulator.url}`,
      `  login URL (token endpoint ${emulator.url}/services/oauth2/token) and instance URL: ${emulator.url}`,
      `  client id: ${emulator.clientId}`,
      `  client secret: ${emulator.clientSecret}`,
      `  JWT audience: ${emulator.loginUrl} (JWT bearer needs a public key: use the library's jwtPublicKey option)`,
      `  try: ${token}`,
      `  then: curl -s -H "Authorization: Bearer <access_token>" "${emulator.url}/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+3"`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  return () => emulator.stop();
}
