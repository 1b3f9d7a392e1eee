import path from 'node:path';
import { startSalesforceEmulator } from '../../connectors/salesforce/emulator/index.ts';
import { salesforceDemoSeed } from '../../connectors/salesforce/demo-seed.ts';
import { SHIPPED_MAPPINGS } from '../support/harness.ts';
import '../support/salesforce-emulator.ts';
import {
  cutToFit,
  enumMapsMissing,
  failedSummary,
  missing,
  notAWholeNumber,
  picklistLacks,
  problem,
  readOnly,
} from './check-messages.ts';
import type { CheckOrg, MappingsCheckAdapter } from './crm-adapter.ts';

const DEMO = { companies: 20, asOf: '2026-11-20', seed: 1 } as const;
const SIGNALS = 'Expansion_Top_Signals__c';
const MOTION = 'Expansion_Motion__c';

/** The org the demo seeds, started here so the test can change its fields as an admin would in Setup. */
async function startOrg(): Promise<CheckOrg> {
  const e = await startSalesforceEmulator({ port: 0, seed: salesforceDemoSeed(DEMO).seed });
  const mappings = {
    accounts: path.join(SHIPPED_MAPPINGS, 'salesforce.accounts.yaml'),
    opportunities: path.join(SHIPPED_MAPPINGS, 'salesforce.opportunities.yaml'),
  };
  const auth = { flow: 'client_credentials', clientId: e.clientId, clientSecret: { env: 'SALESFORCE_CLIENT_SECRET' } };
  return {
    crmConfig: { loginUrl: e.url, auth, mappings },
    env: { SALESFORCE_CLIENT_SECRET: e.clientSecret },
    writes: () => e.writes(),
    // Fields an admin made before the worker ever ran: a health Text field retyped to a picklist without
    // "yellow", reasons as a Text(255), top signals as a Text(20), and a motion picklist without module_cross_sell.
    prepareBroken: async () => {
      e.addField('Account', { name: 'Expansion_Health__c', type: 'string', length: 40 });
      const greenRed = [{ value: 'green' }, { value: 'red' }];
      e.updateField('Account', 'Expansion_Health__c', { type: 'picklist', picklistValues: greenRed });
      e.addField('Account', { name: 'Expansion_Reasons__c', type: 'string', length: 255 });
      e.addField('Account', { name: 'Expansion_Top_Signals__c', type: 'string', length: 255 });
      e.updateField('Account', 'Expansion_Top_Signals__c', { length: 20 });
      const motions = [{ value: 'seat_add' }, { value: 'tier_upgrade' }];
      e.addField('Opportunity', { name: 'Expansion_Motion__c', type: 'picklist', picklistValues: motions });
    },
    prepareNonUniqueKey: async () => e.addField('Opportunity', { name: 'Legacy_Key__c', type: 'string', length: 120 }),
    stop: () => e.stop(),
  };
}

export const salesforceMappingsCheck: MappingsCheckAdapter = {
  keys: { account: 'accounts', opportunity: 'opportunities' },
  freshNotes: 12,
  scoreLine: 46,
  startOrg,
  broken: {
    accountEdits: [
      ['- field: Plan__c\n', '- field: Plan_Level__c\n'], // does not exist
      ['- field: Licensed_Seats__c\n', '- field: Renewal_Date__c\n'], // a date, read as a whole number
      ['field: Expansion_Scored_At__c\n', 'field: CreatedDate\n'], // a system field: not updateable
    ],
    opportunityEdits: [],
    errors: [
      problem('account', 'read', 'Renewal_Date__c', notAWholeNumber('Renewal_Date__c', 'date')),
      problem('account', 'read', 'Plan_Level__c', missing('Plan_Level__c', 'Account')),
      problem('account', 'write', 'Expansion_Health__c', picklistLacks('Expansion_Health__c', 'yellow')),
      problem('account', 'write', 'CreatedDate', readOnly('CreatedDate')),
      problem('opportunity', 'write', 'Expansion_Motion__c', picklistLacks('Expansion_Motion__c', 'module_cross_sell')),
    ],
    warnings: [
      problem('account', 'write', SIGNALS, cutToFit(SIGNALS, 20, 'topSignals', 255)),
      problem('account', 'write', 'Expansion_Reasons__c', cutToFit('Expansion_Reasons__c', 255, 'reasons', 4000)),
      problem('opportunity', 'read', MOTION, enumMapsMissing(MOTION, 'module_cross_sell')),
    ],
    accountLines: { Renewal_Date__c: 23, Plan_Level__c: 26, Expansion_Health__c: 49, CreatedDate: 64 },
    summary: failedSummary('5 errors, 3 warnings, \\d+ notes'),
  },
  nonUniqueKey: {
    accountEdit: ['- field: Plan__c\n', '- field: Plan_Level__c\n'],
    opportunityEdit: ['field: Expansion_Key__c #', 'field: Legacy_Key__c #'],
    fields: { missing: 'Plan_Level__c', oldKey: 'Expansion_Key__c', newKey: 'Legacy_Key__c' },
  },
};
