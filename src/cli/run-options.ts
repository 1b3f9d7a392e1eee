import { configuredCrm } from '../../connectors/crm-registry.ts';
import { createUsageSource } from '../../connectors/index.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { CrmConnector } from '../engine/crm.ts';
import type { MappingSources } from '../engine/mappings.ts';
import type { RunMode } from '../engine/report.ts';
import type { ProgressEvent, RunSyncOptions } from '../engine/run.ts';
import type { Logger } from '../logger.ts';
import type { StateStore } from '../state/store.ts';

/** The scoring config with a custom narrative template directory resolved against the config file's folder. */
function withTemplatesDir(loaded: LoadedConfig): LoadedConfig['config']['scoring'] {
  const { scoring } = loaded.config;
  const dir = scoring.narrative.templatesDir;
  return dir === undefined
    ? scoring
    : { ...scoring, narrative: { ...scoring.narrative, templatesDir: loaded.resolvePath(dir) } };
}

/** The configured CRM's mapping files, resolved against the config file's folder, for the engine to load. */
export function mappingSourcesOf(loaded: LoadedConfig): MappingSources {
  const { entry, config } = configuredCrm(loaded.config.crm);
  const refs = entry.mappings(config);
  return {
    system: entry.id,
    account: { path: loaded.resolvePath(refs.account.path), object: refs.account.object },
    opportunity: { path: loaded.resolvePath(refs.opportunity.path), object: refs.opportunity.object },
  };
}

/** Pipeline and stage of new expansion opportunities, as the configured CRM's registry entry reads them. */
function dealOf(loaded: LoadedConfig): RunSyncOptions['deal'] {
  const { entry, config } = configuredCrm(loaded.config.crm);
  return entry.deal(config);
}

/** Turns a loaded config into the engine's run options; the CLI, the demo and the tests share it. */
export function runOptionsFrom(options: {
  readonly loaded: LoadedConfig;
  readonly crm: CrmConnector;
  readonly store: StateStore;
  readonly log: Logger;
  readonly mode: RunMode;
  readonly asOf?: string | undefined;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly fullRead?: boolean;
}): RunSyncOptions {
  const { config } = options.loaded;
  return {
    sync: config.name,
    crm: options.crm,
    mappings: mappingSourcesOf(options.loaded),
    store: options.store,
    usage: createUsageSource(options.loaded),
    joinOn: config.usage.joinOn,
    scoring: withTemplatesDir(options.loaded),
    writeBack: config.writeBack,
    learning: config.learning,
    deal: dealOf(options.loaded),
    mode: options.mode,
    log: options.log,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.fullRead ? { fullRead: true } : {}),
  };
}
