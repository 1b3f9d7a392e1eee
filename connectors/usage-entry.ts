import type { z } from 'zod';
import type { UsageSource } from '../src/engine/usage-source.ts';

export interface UsageCreateOptions<C> {
  /** The `usage` block of the config, parsed by the entry's own schema. */
  readonly config: C;
  readonly resolvePath: (relative: string) => string;
  /** The resolved secret at a config path such as `usage.apiKey`. */
  readonly secret: (path: `usage.${string}`) => string;
}

/** A usage source the registry can create: a file, a warehouse, an analytics API. */
export interface UsageSourceEntry<C = unknown> {
  /** The value of `usage.source` that selects it. */
  readonly id: string;
  readonly label: string;
  /** The whole `usage` block for this source, `source` and `joinOn` included. */
  readonly configSchema: z.ZodType<C>;
  /** Config paths of the secrets it reads (`usage.<key>`), resolved by the loader like the CRM's. */
  readonly secrets: readonly `usage.${string}`[];
  create(options: UsageCreateOptions<C>): UsageSource;
}

/** Erases an entry's config type: the entry parses its own `usage` block, so callers pass it as loaded. */
export function defineUsageSource<C>(entry: UsageSourceEntry<C>): UsageSourceEntry {
  return {
    ...entry,
    create: (options) => entry.create({ ...options, config: entry.configSchema.parse(options.config) }),
  };
}
