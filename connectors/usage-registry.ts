/**
 * The one static registry of usage sources: the only place outside a source's folder that names it.
 * The engine reads usage through the `UsageSource` seam (src/engine/usage-source.ts); the config's
 * `usage.source` picks the entry, whose schema parses the rest of the `usage` block.
 */
import { z } from 'zod';
import type { UsageSource } from '../src/engine/usage-source.ts';
import type { UsageSourceEntry } from './usage-entry.ts';
import { FILE_USAGE, UsageFileConfigSchema } from './usage-file/entry.ts';
import { AMPLITUDE_USAGE, UsageAmplitudeConfigSchema } from './usage-amplitude/entry.ts';
import { POSTGRES_USAGE, UsagePostgresConfigSchema } from './usage-postgres/entry.ts';
import { POSTHOG_USAGE, PosthogConfigSchema } from './usage-posthog/entry.ts';

export type { UsageCreateOptions, UsageSourceEntry } from './usage-entry.ts';
export { defineUsageSource } from './usage-entry.ts';
export { UsageFileConfigSchema } from './usage-file/entry.ts';

export const USAGE_SOURCES = {
  file: FILE_USAGE,
  amplitude: AMPLITUDE_USAGE,
  posthog: POSTHOG_USAGE,
  postgres: POSTGRES_USAGE,
} satisfies Record<string, UsageSourceEntry>;

/**
 * Sources added at run time. Tests register an in-memory source here to show that a new source needs
 * one entry and nothing else in `src/`; the product itself only ever uses the static entries.
 */
const registered = new Map<string, UsageSourceEntry>();

export function registerUsageSource(entry: UsageSourceEntry): () => void {
  if (entry.id in USAGE_SOURCES) throw new Error(`usage source "${entry.id}" is already in the static registry`);
  registered.set(entry.id, entry);
  return () => {
    registered.delete(entry.id);
  };
}

export function usageSourceEntries(): readonly UsageSourceEntry[] {
  return [...Object.values(USAGE_SOURCES), ...registered.values()];
}

export function usageSourceIds(): string[] {
  return usageSourceEntries().map((e) => e.id);
}

export function usageSourceEntry(id: string): UsageSourceEntry | undefined {
  return usageSourceEntries().find((e) => e.id === id);
}

/** What the loaded config offers a usage source: its `usage` block, paths and secrets. */
export interface UsageWiring {
  readonly config: { readonly usage: { readonly source: string } };
  resolvePath(relative: string): string;
  secret(path: string): string;
}

/** The configured usage source, created through its registry entry. */
export function createUsageSource(loaded: UsageWiring): UsageSource {
  const { usage } = loaded.config;
  const entry = usageSourceEntry(usage.source);
  if (!entry)
    throw new Error(
      `usage.source "${usage.source}" is not a known usage source; known: ${usageSourceIds().join(', ')}`,
    );
  return entry.create({ config: usage, resolvePath: (p) => loaded.resolvePath(p), secret: (p) => loaded.secret(p) });
}

/**
 * Checks a `usage` block against the whole registry, for the config schema: `source` names a known
 * entry, and the block parses with that entry's schema. Returns the issues rather than throwing.
 */
export function checkUsageConfig(
  usage: unknown,
): ReadonlyArray<{ readonly path: PropertyKey[]; readonly message: string }> {
  const source = typeof usage === 'object' && usage !== null && 'source' in usage ? usage.source : undefined;
  const entry = typeof source === 'string' ? usageSourceEntry(source) : undefined;
  if (!entry)
    return [
      {
        path: ['source'],
        message: `usage.source must be one of ${usageSourceIds()
          .map((id) => `"${id}"`)
          .join(', ')}`,
      },
    ];
  const parsed = entry.configSchema.safeParse(usage);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

/**
 * The `usage` block of the config for the static sources, one strict object per source told apart by
 * `source`: src/config/schema.ts takes it from here, so a source's config schema is written once, in its
 * folder. (Sources registered at run time are created by `createUsageSource`, which parses their block.)
 */
export const UsageConfigSchema = z
  .discriminatedUnion('source', [
    UsageFileConfigSchema,
    UsageAmplitudeConfigSchema,
    PosthogConfigSchema,
    UsagePostgresConfigSchema,
  ])
  .describe('Where product usage comes from and how it joins to CRM accounts.');
