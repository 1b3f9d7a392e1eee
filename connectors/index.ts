/**
 * What `src/` wires connectors through: the CRM registry (connectors/crm-registry.ts) and the usage source.
 */
import type { LoadedConfig } from '../src/config/load.ts';
import type { UsageSource } from '../src/engine/usage-source.ts';
import { createUsageSource as createRegisteredUsageSource } from './usage-registry.ts';

export {
  configuredCrm,
  createCrmConnector,
  crmEntry,
  crmIds,
  registerCrm,
  CRMS,
  type WireOptions,
} from './crm-registry.ts';

/** The configured usage source, created through the usage-source registry (connectors/usage-registry.ts). */
export function createUsageSource(loaded: LoadedConfig): UsageSource {
  return createRegisteredUsageSource(loaded);
}
