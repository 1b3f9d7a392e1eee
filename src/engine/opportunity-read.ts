import type { CrmOpportunity } from '../model/account.ts';
import type { MappingFile } from '../mapping/index.ts';
import { fieldsToRead, opportunityFromRaw, opportunityMarkers, type MapContext } from '../mapping/records.ts';
import type { CrmConnector, OpportunityRead, RecordProblem } from './crm.ts';

/**
 * The opportunities on our accounts that carry our key or a motion, open and closed: the contract needs
 * both (one open opportunity per motion; closed ones are never touched). The connector reads raw records;
 * the engine maps them with the opportunity mapping in force.
 */
export async function readOpportunities(
  crm: CrmConnector,
  mapping: MappingFile,
  accountIds: ReadonlySet<string>,
): Promise<OpportunityRead> {
  const ctx: MapContext = { system: crm.system, object: crm.objects.opportunity, mapping };
  const opportunities: CrmOpportunity[] = [];
  const problems: RecordProblem[] = [];
  const query = { fields: fieldsToRead(mapping), markers: opportunityMarkers(mapping), accountIds };
  for await (const page of crm.readOpportunities(query)) {
    for (const record of page) {
      if (!accountIds.has(record.accountId)) continue;
      const mapped = opportunityFromRaw(ctx, record);
      if (mapped.opportunity) opportunities.push(mapped.opportunity);
      if (mapped.issue) problems.push(mapped.issue);
    }
  }
  return { opportunities, problems };
}
