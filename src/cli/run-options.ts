import { createUsageSource } from '../../connectors/index.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { CrmConnector } from '../engine/crm.ts';
import type { RunMode } from '../engine/report.ts';
import type { ProgressEvent, RunSyncOptions } from '../engine/run.ts';
import type { Logger } from '../logger.ts';
import type { StateStore } from '../state/store.ts';

/** The scoring config with a custom narrative template directory resolved against the config file's folder. */
function withTemplatesDir(loaded: LoadedConfig): LoadedConfig['config']['scoring'] {
  const { scoring } = loaded.config;
  const dir = scoring.narrative.templatesDir;
  return dir === undefined ? scoring : { ...scoring, narrative: { ...scoring.narrative, templatesDir: loaded.resolvePath(dir) } };
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
    store: options.store,
    usage: createUsageSource(options.loaded),
    joinOn: config.usage.joinOn,
    scoring: withTemplatesDir(options.loaded),
    writeBack: config.writeBack,
    deal: config.crm.salesforce ? { pipeline: '', stage: config.crm.salesforce.stage } : { pipeline: config.crm.hubspot?.pipeline ?? 'default', stage: config.crm.hubspot?.stage ?? 'appointmentscheduled' },
    mode: options.mode,
    log: options.log,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.fullRead ? { fullRead: true } : {}),
  };
}
