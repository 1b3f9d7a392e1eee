import path from 'node:path';
import { SchemaError } from '../../connectors/salesforce/emulator/schema.ts';
import { salesforceDemoAe } from '../../connectors/salesforce/demo-ae.ts';
import { connect } from '../support/salesforce-emulator.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';
import { SHIPPED_MAPPINGS } from '../support/harness.ts';
import type { ContractCrm, ContractStartOptions, CrmContractAdapter, RecordKind } from './crm-adapter.ts';
import { harnessMembers, type AdminMembers, type RecordMembers } from './harness-session.ts';
import { salesforceMappingsCheck } from './salesforce-mappings-check.ts';

const HOUR = 3_600_000;
const OBJECTS: Readonly<Record<RecordKind, string>> = { account: 'Account', opportunity: 'Opportunity' };

/** The Salesforce emulator behind the contract (jsforce talks to it): Accounts and Opportunities. */
export const salesforceAdapter: CrmContractAdapter = {
  name: 'salesforce',
  label: 'Salesforce',
  objects: OBJECTS,
  fields: {
    score: 'Expansion_Score__c',
    health: 'Expansion_Health__c',
    timing: 'Expansion_Timing__c',
    potentialArr: 'Expansion_Potential_ARR__c',
    topSignals: 'Expansion_Top_Signals__c',
    reasons: 'Expansion_Reasons__c',
    scoredAt: 'Expansion_Scored_At__c',
    plan: 'Plan__c',
    customerSince: 'Customer_Since__c',
    opportunityName: 'Name',
    amount: 'Amount',
    stage: 'StageName',
    closeDate: 'CloseDate',
    motion: 'Expansion_Motion__c',
    expansionKey: 'Expansion_Key__c',
    expectedValue: 'Expansion_Expected_Value__c',
  },
  values: {
    num: (n) => n,
    date: (iso) => iso,
    closeDate: (iso) => iso,
    empty: (value) => value === undefined || value === null || value === '',
    openStage: 'Prospecting',
    laterStage: 'Qualification',
    closedStage: 'Closed Won',
    lostStage: 'Closed Lost',
  },
  mappings: {
    account: path.join(SHIPPED_MAPPINGS, 'salesforce.accounts.yaml'),
    opportunity: path.join(SHIPPED_MAPPINGS, 'salesforce.opportunities.yaml'),
    planLine: 26,
    potentialArrLine: 55,
    reasonsLine: 61,
  },
  // Field-level security and text lengths, as Setup changes them.
  capabilities: { readOnlyFields: true, textLengths: true, rerunAccountRead: 'incremental' },
  // The whole allocation: the quota-share guard (crm.salesforce.maxDailyShare) would stop the run first.
  dailyQuota: { config: { maxDailyShare: 1 }, code: 'salesforce_daily_limit', message: /daily API request allocation/ },
  mappingsCheck: salesforceMappingsCheck,
  expansionDealType: { field: 'Type', value: 'Existing Customer - Upgrade' },
  start: async (options = {}) => session(await startSalesforceHarness(harnessOptions(options))),
};

function harnessOptions(options: ContractStartOptions): Parameters<typeof startSalesforceHarness>[0] {
  const { mappings, crm, ...rest } = options;
  // overlapSeconds 0: an incremental read fetches exactly the Accounts changed since the last run.
  const files = mappings
    ? { overlapSeconds: 0, mappings: { accounts: mappings.account, opportunities: mappings.opportunity } }
    : {};
  return { ...rest, salesforce: { ...crm, ...files } };
}

/** Tolerates the one error code that means "already as wanted". */
function unless(code: string, change: () => void): void {
  try {
    change();
  } catch (error) {
    if (!(error instanceof SchemaError && error.code === code)) throw error;
  }
}

function session(h: SalesforceHarness): ContractCrm {
  return { ...harnessMembers(h), ...records(h), ...admin(h) };
}

/** Accounts, Opportunities and notes (ContentNotes or Tasks) as the org holds them, and a person's edits. */
function records(h: SalesforceHarness): RecordMembers {
  const e = h.emulator;
  const ae = () => salesforceDemoAe({ url: e.url, clientId: e.clientId, clientSecret: e.clientSecret });
  const links = (id: string) => e.listRecords('ContentDocumentLink').filter((l) => l['LinkedEntityId'] === id).length;
  return {
    accountValues: (field) =>
      Object.fromEntries(e.listRecords('Account').map((a) => [String(a['Website']), a[field] ?? null])),
    account: (domain) => e.getRecord('Account', h.accountId(domain)) ?? {},
    opportunitiesOf: (domain) => h.opportunitiesOf(domain).map((o) => ({ id: o.Id, fields: o })),
    opportunity: (id) => e.getRecord('Opportunity', id),
    opportunityCount: () => e.listRecords('Opportunity').length,
    noteCount: () => e.listRecords('ContentNote').length + e.listRecords('Task').length,
    notesOn: (id) => links(id) + e.listRecords('Task').filter((t) => t['WhatId'] === id).length,
    // As a person in the Salesforce UI, an hour after the last run (so SystemModstamp moves past the cursor).
    edit: (kind, id, fields) => {
      h.advance(HOUR);
      e.updateRecord(OBJECTS[kind], id, { ...fields });
    },
    createOpportunity: (domain, fields) => {
      h.advance(HOUR);
      return e.createRecord('Opportunity', { AccountId: h.accountId(domain), ...fields });
    },
    // The standard stages: Salesforce derives IsClosed and IsWon from them.
    // An AE closes and reopens through the REST API (PATCH /sobjects/Opportunity/{id}).
    closeOpportunity: async (id, won, amount) => {
      h.advance(HOUR);
      const opp: Readonly<Record<string, unknown>> = e.getRecord('Opportunity', id) ?? {};
      const closeDate = String(opp['CloseDate'] ?? '') || new Date(h.clock()).toISOString().slice(0, 10);
      await ae().closeDeal(id, { won, amount: amount ?? Number(opp['Amount'] ?? 0), closeDate });
    },
    reopenOpportunity: async (id) => {
      h.advance(HOUR);
      await ae().reopenDeal(id);
    },
    createdAt: (id) => String(e.getRecord('Opportunity', id)?.['CreatedDate'] ?? ''),
    requests: {
      reset: () => e.requests.reset(),
      writes: () => e.requests.writes(),
      opportunityWrites: () => e.requests.log().filter((r) => r.write && r.path.includes('/Opportunity')).length,
    },
    quota: {
      spent: () => e.dailyUsage().used,
      leave: (calls) => e.setDailyUsage(e.dailyUsage().max - calls),
      refill: () => e.setDailyUsage(0),
    },
  };
}

/** What an admin does in Setup (fields, field-level security), and records the org refuses. */
function admin(h: SalesforceHarness): AdminMembers {
  const e = h.emulator;
  return {
    fieldExists: async (kind, name) => {
      const conn = await connect(e);
      const described = await conn.request<{ fields: Array<{ name: string }> }>(`/sobjects/${OBJECTS[kind]}/describe`);
      return described.fields.some((f) => f.name === name);
    },
    deleteField: async (kind, name) => unless('INVALID_FIELD', () => e.deleteField(OBJECTS[kind], name)),
    addDateField: async (kind, name) =>
      unless('DUPLICATE_DEVELOPER_NAME', () => e.addField(OBJECTS[kind], { name, label: name, type: 'date' })),
    restrictPicklist: async (kind, name, values) =>
      e.updateField(OBJECTS[kind], name, { picklistValues: values.map((value) => ({ value })) }),
    makeReadOnly: async (kind, name) => e.updateField(OBJECTS[kind], name, { updateable: false }),
    shortenText: async (kind, name, length) => e.updateField(OBJECTS[kind], name, { type: 'string', length }),
    failAccountWrites: (domain) => {
      const id = h.accountId(domain);
      const message = 'Expansion Reasons may not be changed during a renewal';
      const match = (r: Readonly<Record<string, unknown>>) => (r['Id'] ?? r['id']) === id;
      const statusCode = 'FIELD_CUSTOM_VALIDATION_EXCEPTION';
      const fault = e.faults.failRecords({ object: 'Account', match, statusCode, message });
      return { message, remove: () => fault.remove() };
    },
  };
}
