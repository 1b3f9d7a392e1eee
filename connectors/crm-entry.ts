import type { z } from 'zod';
import type { CrmConnector } from '../src/engine/crm.ts';
import type { Logger } from '../src/logger.ts';
import type { SyntheticCompany } from '../src/demo/portfolio.ts';

/** A secret reference a CRM's config holds, as the loader resolves it and `secret()` names it. */
export interface CrmSecret {
  /** Path in the config file, such as ['crm', 'hubspot', 'token']. */
  readonly path: readonly string[];
  /** The environment variable suggested in fixes. */
  readonly env: string;
  /** What to export it as, in fixes. */
  readonly placeholder: string;
}

/** One mapping file a CRM reads and writes through: its path (relative to the config) and CRM object. */
export interface MappingRef {
  readonly path: string;
  readonly object: string;
}

export interface MappingRefs {
  readonly account: MappingRef;
  readonly opportunity: MappingRef;
}

export interface CrmCreateOptions {
  /** The CRM's block of the config (`crm.<id>`), as loaded. Each entry parses it with its own schema. */
  readonly config: unknown;
  /** The resolved secret at a config path such as `crm.hubspot.token`. */
  readonly secret: (path: `crm.${string}`) => string;
  readonly resolvePath: (relative: string) => string;
  readonly log: Logger;
  /** Tests inject a sleep so retry waits do not take real time. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A standalone emulator, started by `expansion-sync emulator <id>`. */
export interface EmulatorStartOptions {
  readonly port: number;
  readonly seed: 'empty' | 'demo';
  /** Rate-limit tier, for emulators that model tiers. */
  readonly tier?: string;
}

export interface EmulatorHandle {
  /** What to print: where it listens, its credentials, a first request to try. */
  readonly banner: readonly string[];
  stop(): Promise<void>;
}

/** One CRM emulator, seeded, with what the demo needs to run the CLI against it and to show the result. */
export interface DemoTarget {
  readonly label: string;
  readonly url: string;
  readonly companies: readonly SyntheticCompany[];
  readonly env: Readonly<Record<string, string>>;
  /** The `crm` block of the demo's config. */
  readonly crmConfig: object;
  writes(): number;
  lookAround(): string[];
  stop(): Promise<void>;
  /** An AE working the demo CRM through its public API (`demo --simulate-quarter`); absent where not built. */
  readonly ae?: DemoAe;
}

/** An expansion deal as an AE sees it in the demo CRM. */
export interface DemoDeal {
  readonly id: string;
  readonly accountId: string;
  /** The worker's key, on deals it created. */
  readonly expansionKey?: string;
  readonly motion?: string;
  readonly amount?: number;
  readonly open: boolean;
}

/** What an AE does in the CRM, through the same public API a person's tools use. */
export interface DemoAe {
  /** Every deal on the demo's companies (open and closed). */
  listDeals(): Promise<DemoDeal[]>;
  /** Moves a deal to the CRM's closed-won or closed-lost stage with its final amount and close date (YYYY-MM-DD). */
  closeDeal(
    id: string,
    outcome: { readonly won: boolean; readonly amount: number; readonly closeDate: string },
  ): Promise<void>;
  /** Moves a closed deal back to an open stage, as an AE reopening it would. */
  reopenDeal(id: string): Promise<void>;
  /** An AE's own expansion deal on an account (no worker key), open; returns its CRM id. */
  createDeal(deal: {
    readonly accountId: string;
    readonly name: string;
    readonly motion: string;
    readonly amount: number;
    readonly closeDate: string;
  }): Promise<string>;
}

export interface DemoStartOptions {
  readonly companies: number;
  readonly asOf: string;
  readonly seed?: number;
  /** The emulator's clock (ms) for record timestamps; real time when absent. A simulated quarter moves it. */
  readonly now?: () => number;
}

export interface MetadataFile {
  readonly path: string;
  readonly content: string;
}

export interface SetupFilesOptions<C> {
  readonly config?: C;
  readonly mappings: MappingRefs;
}

/** Deployable metadata for admins who create the fields themselves (`setup <id>`), where the CRM has it. */
export interface CrmSetup {
  /** Secrets are not needed to print metadata: these variables are set to a placeholder while loading. */
  readonly secretEnv: readonly string[];
  /** `config` is absent without a config file: the CRM's defaults then. Mapping paths are absolute. */
  files(options: SetupFilesOptions<unknown>): Promise<MetadataFile[]>;
  /** The text printed after `--out` wrote the files. */
  done(out: string, count: number): string;
}

/**
 * What the rest of the product knows about a CRM. Everything here is light: `create`, the emulator and
 * the demo import their modules when called, so loading the registry never loads a vendor SDK.
 */
export interface CrmEntry<S extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly label: string;
  /** `crm.<configKey>` in the config file. */
  readonly configKey: string;
  readonly configSchema: S;
  /** Every secret reference the CRM's config can hold. */
  readonly secrets: readonly CrmSecret[];
  /** Pipeline and stage of new expansion opportunities. */
  deal(config: unknown): { readonly pipeline: string; readonly stage: string };
  /** Records per write call, for the projected API calls of a stored plan. */
  readonly callsPerBatch: number;
  /** The mapping files this config names. */
  mappings(config: unknown): MappingRefs;
  /** The shipped mapping files (under mappings/). */
  readonly shippedMappings: MappingRefs;
  readonly emulator?: { start(options: EmulatorStartOptions): Promise<EmulatorHandle> };
  readonly demo?: { start(options: DemoStartOptions): Promise<DemoTarget> };
  readonly setup?: CrmSetup;
  create(options: CrmCreateOptions): Promise<CrmConnector>;
}

/** The typed form an entry is written in; `defineCrm` turns it into an entry that parses its own config. */
export interface CrmSpec<S extends z.ZodType> extends Omit<CrmEntry<S>, 'deal' | 'mappings' | 'create' | 'setup'> {
  deal(config: z.output<S>): { readonly pipeline: string; readonly stage: string };
  mappings(config: z.output<S>): MappingRefs;
  readonly setup?: Omit<CrmSetup, 'files'> & {
    files(options: SetupFilesOptions<z.output<S>>): Promise<MetadataFile[]>;
  };
  create(options: Omit<CrmCreateOptions, 'config'> & { readonly config: z.output<S> }): Promise<CrmConnector>;
}

/**
 * An entry whose functions take the config block as loaded and parse it with the entry's schema, so the
 * registry holds CRMs of different config types without a cast.
 */
export function defineCrm<S extends z.ZodType>(spec: CrmSpec<S>): CrmEntry<S> {
  const parse = (config: unknown): z.output<S> => spec.configSchema.parse(config);
  const { setup } = spec;
  return {
    ...spec,
    deal: (config) => spec.deal(parse(config)),
    mappings: (config) => spec.mappings(parse(config)),
    ...(setup ? { setup: { ...setup, files: (options) => setup.files(withConfig(options, parse)) } } : {}),
    create: (options) => spec.create({ ...options, config: parse(options.config) }),
  };
}

function withConfig<C>(options: SetupFilesOptions<unknown>, parse: (config: unknown) => C): SetupFilesOptions<C> {
  return { mappings: options.mappings, ...(options.config === undefined ? {} : { config: parse(options.config) }) };
}
