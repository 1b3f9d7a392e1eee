import type { Account, CrmOpportunity } from '../model/account.ts';
import type { Artifact, FailedWrite, StateStore } from '../state/store.ts';
import type { CrmConnector } from './crm.ts';

export interface WriteState {
  readonly accountLedgers: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  readonly opportunityLedgers: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  readonly artifacts: ReadonlyMap<string, Artifact>;
  readonly failures: ReadonlyMap<string, FailedWrite>;
}

/** Loads what the plan compares against, with one query per kind rather than one per record. */
export async function loadWriteState(options: {
  readonly store: StateStore;
  readonly crm: CrmConnector;
  readonly accounts: readonly Account[];
  readonly opportunities: readonly CrmOpportunity[];
}): Promise<WriteState> {
  const { store, crm } = options;
  const accountLedgers = await store.getLedgers(
    crm.system,
    crm.objects.account,
    options.accounts.map((a) => a.id),
  );
  const artifactList = await store.listArtifacts(crm.system);
  const artifacts = new Map(artifactList.map((a) => [a.key, a]));
  const oppKeys = new Set<string>(artifactList.filter((a) => a.kind === 'opportunity').map((a) => a.key));
  for (const opp of options.opportunities) if (opp.expansionKey) oppKeys.add(opp.expansionKey);
  const opportunityLedgers = await store.getLedgers(crm.system, crm.objects.opportunity, [...oppKeys]);
  const failureList = await store.listFailures({ system: crm.system });
  const failures = new Map(failureList.map((f) => [`${f.objectType}:${f.recordKey}`, f]));
  return { accountLedgers, opportunityLedgers, artifacts, failures };
}
