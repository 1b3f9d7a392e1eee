/**
 * The one static registry of CRMs: the only place outside a vendor's folder that names a vendor. `src/`
 * asks it which CRM a config names, that CRM's config schema, secrets, deal defaults, batch size,
 * emulator and demo seed, and creates the connector through it. Loading it never loads a vendor SDK.
 */
import { z } from 'zod';
import type { LoadedConfig } from '../src/config/load.ts';
import type { CrmConnector } from '../src/engine/crm.ts';
import type { Logger } from '../src/logger.ts';
import type { CrmEntry } from './crm-entry.ts';
import { HUBSPOT } from './hubspot/entry.ts';
import { SALESFORCE } from './salesforce/entry.ts';

export type {
  CrmEntry,
  CrmSecret,
  DemoAe,
  DemoDeal,
  DemoStartOptions,
  DemoTarget,
  MappingRef,
  MappingRefs,
  MetadataFile,
} from './crm-entry.ts';
export { defineCrm } from './crm-entry.ts';

export const CRMS = { hubspot: HUBSPOT, salesforce: SALESFORCE } satisfies Record<string, CrmEntry>;

/**
 * CRMs added at run time. Tests register an in-memory CRM here to show that a new CRM needs one entry
 * and nothing else in `src/`; the product itself only ever uses the static entries.
 */
const registered = new Map<string, CrmEntry>();

export function registerCrm(entry: CrmEntry): () => void {
  if (entry.id in CRMS) throw new Error(`CRM "${entry.id}" is already in the static registry`);
  registered.set(entry.id, entry);
  return () => {
    registered.delete(entry.id);
  };
}

export function crmEntries(): readonly CrmEntry[] {
  return [...Object.values(CRMS), ...registered.values()];
}

export function crmIds(): string[] {
  return crmEntries().map((e) => e.id);
}

export function crmEntry(id: string): CrmEntry | undefined {
  return crmEntries().find((e) => e.id === id);
}

/** The configured CRM of a valid config's `crm` block (the schema allows exactly one). */
export function configuredCrm(crm: Readonly<Record<string, unknown>>): {
  readonly entry: CrmEntry;
  readonly config: unknown;
} {
  for (const entry of crmEntries()) {
    const config = crm[entry.configKey];
    if (config !== undefined) return { entry, config };
  }
  throw new Error(`the config names no known CRM; known: ${crmIds().join(', ')}`);
}

export interface WireOptions {
  readonly loaded: LoadedConfig;
  readonly log: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The configured CRM's connector, created through its registry entry (which loads the vendor SDK then). */
export async function createCrmConnector(options: WireOptions): Promise<CrmConnector> {
  const { loaded } = options;
  const { entry, config } = configuredCrm(loaded.config.crm);
  return entry.create({
    config,
    secret: (path) => loaded.secret(path),
    resolvePath: (p) => loaded.resolvePath(p),
    log: options.log,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
}

/** The `crm` config block's static shape: typed per CRM, for the JSON Schema and for editors. */
export function crmConfigShape() {
  return { hubspot: CRMS.hubspot.configSchema.optional(), salesforce: CRMS.salesforce.configSchema.optional() };
}

/**
 * Checks the `crm` block against the whole registry: exactly one CRM, and a block under a registered
 * (non-static) key parses with that CRM's schema. Unknown keys are reported as zod reports them.
 */
export function checkCrmConfig(crm: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx): void {
  const configured: string[] = [];
  for (const [key, value] of Object.entries(crm)) {
    if (value === undefined) continue;
    const entry = crmEntries().find((e) => e.configKey === key);
    if (entry === undefined) {
      ctx.addIssue({ code: 'unrecognized_keys', keys: [key], input: crm });
      continue;
    }
    configured.push(key);
    if (key in CRMS) continue; // the static shape has parsed it
    const parsed = entry.configSchema.safeParse(value);
    for (const issue of parsed.success ? [] : parsed.error.issues)
      ctx.addIssue({ ...issue, path: [key, ...issue.path] });
  }
  if (configured.length !== 1)
    ctx.addIssue({
      code: 'custom',
      message: `configure exactly one CRM: ${crmIds()
        .map((id) => `"${id}"`)
        .join(' or ')}`,
    });
}
