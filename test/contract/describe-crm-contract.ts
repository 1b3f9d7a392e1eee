import { describe } from 'vitest';
import type { CrmContractAdapter } from './crm-adapter.ts';
import { describeMappingsCheck } from './mappings-check.ts';
import { describeModelInputs } from './model-inputs.ts';
import { describeOutcomes } from './outcomes.ts';
import { describeSchemaDrift } from './schema-drift.ts';
import { describeSyncGuarantees } from './sync-guarantees.ts';
import { describeWritePolicies } from './write-policies.ts';

/**
 * The behaviour every CRM must show, written once: the write-back contract with AEs (write policies, edits
 * kept and reported, closed opportunities untouched, AE-owned opportunities adopted, idempotent reruns),
 * schema drift, `mappings check`, and the model inputs read from the CRM. A CRM runs it from its own test
 * file with its adapter: `describeCrmContract(hubspotAdapter)`.
 */
export function describeCrmContract(adapter: CrmContractAdapter): void {
  describe(`CRM contract: ${adapter.label}`, () => {
    describeSyncGuarantees(adapter);
    describeWritePolicies(adapter);
    describeSchemaDrift(adapter);
    describeMappingsCheck(adapter);
    describeModelInputs(adapter);
    describeOutcomes(adapter);
  });
}
