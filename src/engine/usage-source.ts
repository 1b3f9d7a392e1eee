import type { UsageItem, UsageLocation } from '../model/usage.ts';

export type { UsageItem, UsageLocation } from '../model/usage.ts';

/**
 * The seam every product-usage source implements (a file, a warehouse query, an analytics API): one
 * pull per run that yields canonical days, each validated by `parseUsageRow` in src/model/usage.ts, or
 * located problems that never stop the read. Sources are created from the config by the usage-source
 * registry (connectors/usage-registry.ts); the engine knows only this interface.
 */
export interface UsageSource {
  /** Where the rows come from, for messages: a file path or a source name. */
  readonly label: string;
  read(): AsyncIterable<UsageItem>;
}

/** An item's place as a message shows it: `path:line` for a file, `label location` for anything else. */
export function locate(label: string, at: UsageLocation): string {
  return 'line' in at ? `${label}:${at.line}` : `${label} ${at.location}`;
}
