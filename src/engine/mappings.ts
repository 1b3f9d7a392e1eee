import type { CrmSystem } from '../model/account.ts';
import { loadMappingFile } from '../mapping/index.ts';
import type { ActiveMappings, WriteTarget } from './crm.ts';

/** Where a run's mapping files are: absolute paths and the CRM objects they map. */
export interface MappingSources {
  readonly system: CrmSystem;
  readonly account: { readonly path: string; readonly object: string };
  readonly opportunity: { readonly path: string; readonly object: string };
}

/** The engine loads the RevOps mapping files (checked against the CRM they name); connectors never do. */
export async function loadMappings(sources: MappingSources): Promise<ActiveMappings> {
  const { system } = sources;
  // One after the other, so a broken account mapping is the error reported first.
  const account = await loadMappingFile(sources.account.path, { system, object: sources.account.object });
  const opportunity = await loadMappingFile(sources.opportunity.path, { system, object: sources.opportunity.object });
  return { account, opportunity };
}

/** Every field a write rule writes, for the connector to create where missing. */
export function writeTargets(mappings: ActiveMappings): WriteTarget[] {
  return [
    ...mappings.account.write.map((w) => ({ entity: 'account' as const, field: w.field, from: w.from })),
    ...mappings.opportunity.write.map((w) => ({ entity: 'opportunity' as const, field: w.field, from: w.from })),
  ];
}
