import { startHubspotEmulator } from '../../../connectors/hubspot/emulator/index.ts';
import { demoSeed } from '../demo/hubspot-seed.ts';
import { EXIT } from '../exit-codes.ts';

export interface EmulatorCommandOptions {
  readonly system: string;
  readonly port: string;
  readonly seed: string;
  readonly tier: 'starter' | 'professional' | 'enterprise';
}

export async function emulatorCommand(options: EmulatorCommandOptions): Promise<number> {
  if (options.system !== 'hubspot') {
    process.stderr.write(`expansion-sync emulator: unknown system "${options.system}"; available: hubspot\n`);
    return EXIT.config;
  }
  if (options.seed !== 'empty' && options.seed !== 'demo') {
    process.stderr.write(`expansion-sync emulator: --seed must be empty or demo, not "${options.seed}"\n`);
    return EXIT.config;
  }
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
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.stop();
  return EXIT.ok;
}
