import { crmEntries, crmEntry } from '../../../connectors/crm-registry.ts';
import { EXIT } from '../exit-codes.ts';

export interface EmulatorCommandOptions {
  readonly system: string;
  readonly port: string;
  readonly seed: string;
  readonly tier: string;
}

/** `expansion-sync emulator <system>`: the registry entry's emulator, until Ctrl+C. */
export async function emulatorCommand(options: EmulatorCommandOptions): Promise<number> {
  const emulator = crmEntry(options.system)?.emulator;
  if (emulator === undefined) {
    const available = crmEntries()
      .filter((e) => e.emulator !== undefined)
      .map((e) => e.id);
    process.stderr.write(
      `expansion-sync emulator: unknown system "${options.system}"; available: ${available.join(', ')}\n`,
    );
    return EXIT.config;
  }
  if (options.seed !== 'empty' && options.seed !== 'demo') {
    process.stderr.write(`expansion-sync emulator: --seed must be empty or demo, not "${options.seed}"\n`);
    return EXIT.config;
  }
  const handle = await emulator.start({ port: Number(options.port), seed: options.seed, tier: options.tier });
  process.stdout.write([...handle.banner, 'Press Ctrl+C to stop.', ''].join('\n'));
  await new Promise<void>((resolve) => {
    const done = (): void => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await handle.stop();
  return EXIT.ok;
}
