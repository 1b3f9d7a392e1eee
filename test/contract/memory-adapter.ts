import {
  addField,
  addOpportunity,
  changeField,
  deleteField,
  editRecord,
  leaveCalls,
  newDay,
  refuseAccountWrites,
  resetCalls,
} from '../fake-crm/memory-records.ts';
import type { MemoryCrmState, Values } from '../fake-crm/memory-crm.ts';
import { MEMORY_MAPPINGS, memorySpec } from '../fake-crm/memory-harness.ts';
import { startCrmHarness, type CrmHarness } from '../support/harness.ts';
import type { ContractCrm, ContractStartOptions, CrmContractAdapter } from './crm-adapter.ts';
import { harnessMembers, type AdminMembers, type RecordMembers } from './harness-session.ts';

/** The memory CRM keeps every value as a string, as HubSpot does; an empty one is null. */
function asValues(fields: Readonly<Record<string, unknown>>): Values {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]),
  );
}

/**
 * The in-memory CRM of test/fake-crm behind the contract, registered through the CRM registry: the adapter
 * reads and edits its records directly. It has no `mappingsCheck`: the CLI's child process cannot reach a
 * CRM inside the test process.
 */
export const memoryAdapter: CrmContractAdapter = {
  name: 'memory',
  label: 'In-memory CRM',
  objects: { account: 'accounts', opportunity: 'opportunities' },
  fields: {
    score: 'mem_score',
    health: 'mem_health',
    timing: 'mem_timing',
    potentialArr: 'mem_potential_arr',
    topSignals: 'mem_top_signals',
    reasons: 'mem_reasons',
    scoredAt: 'mem_scored_at',
    plan: 'plan_tier',
    customerSince: 'customer_since',
    opportunityName: 'name',
    amount: 'amount',
    stage: 'stage',
    closeDate: 'close_date',
    motion: 'mem_motion',
    expansionKey: 'expansion_key',
    expectedValue: 'mem_expected_value',
  },
  values: {
    num: (n) => String(n),
    date: (iso) => iso,
    closeDate: (iso) => iso,
    empty: (value) => value === undefined || value === null || value === '',
    openStage: 'new',
    laterStage: 'qualified',
    closedStage: 'closed_won',
    lostStage: 'closed_lost',
  },
  mappings: { ...MEMORY_MAPPINGS, planLine: 24, potentialArrLine: 52, reasonsLine: 58 },
  // It has field permissions and text lengths; it reads every account on every run.
  capabilities: { readOnlyFields: true, textLengths: true, rerunAccountRead: 'full' },
  dailyQuota: { config: {}, code: 'memory_daily_limit', message: /daily API allowance is used up/ },
  start: async (options = {}) => session(await startCrmHarness(memorySpec, harnessOptions(options))),
};

function harnessOptions(options: ContractStartOptions): Parameters<typeof startCrmHarness>[1] {
  const { mappings, crm, ...rest } = options;
  const files = mappings ? { mappings: { account: mappings.account, opportunity: mappings.opportunity } } : {};
  return { ...rest, crm: { ...crm, ...files } };
}

function session(h: CrmHarness<MemoryCrmState>): ContractCrm {
  return { ...harnessMembers(h), ...records(h), ...admin(h) };
}

/** Accounts, opportunities and notes as the CRM holds them (copies), and a person's edits. */
function records(h: CrmHarness<MemoryCrmState>): RecordMembers {
  const state = h.emulator;
  const opportunities = () => [...state.opportunities.values()];
  return {
    accountValues: (field) =>
      Object.fromEntries([...state.accounts.values()].map((a) => [a['domain'], a[field] ?? null])),
    account: (domain) => ({ ...state.accounts.get(h.accountId(domain)) }),
    opportunitiesOf: (domain) =>
      opportunities()
        .filter((o) => o.accountId === h.accountId(domain))
        .map((o) => ({ id: o.id, fields: { ...o.values } })),
    opportunity: (id) => {
      const found = state.opportunities.get(id);
      return found && { ...found.values };
    },
    opportunityCount: () => state.opportunities.size,
    noteCount: () => state.notes.length,
    notesOn: (id) => state.notes.filter((n) => n.opportunityId === id).length,
    edit: (kind, id, fields) => editRecord(state, kind, id, asValues(fields)),
    createOpportunity: (domain, fields) => {
      const id = addOpportunity(state, h.accountId(domain), asValues(fields));
      // A CRM stamps its creation date: the memory CRM's AE deals get the harness clock's.
      const opened = state.opportunities.get(id);
      if (opened) state.opportunities.set(id, { ...opened, createdAt: new Date(h.clock()).toISOString() });
      return id;
    },
    closeOpportunity: async (id, won, amount) =>
      editRecord(state, 'opportunity', id, {
        stage: won ? 'closed_won' : 'closed_lost',
        ...(amount === undefined ? {} : { amount: String(amount) }),
      }),
    reopenOpportunity: async (id) => editRecord(state, 'opportunity', id, { stage: 'qualified' }),
    createdAt: (id) => state.opportunities.get(id)?.createdAt ?? '',
    requests: {
      reset: () => resetCalls(state),
      writes: () => state.writeCalls,
      opportunityWrites: () => state.calls.opportunity,
    },
    quota: {
      spent: () => state.quota.used,
      leave: (calls) => leaveCalls(state, calls),
      refill: () => newDay(state),
    },
  };
}

/** What an admin does to the CRM's fields, and the records it refuses. */
function admin(h: CrmHarness<MemoryCrmState>): AdminMembers {
  const state = h.emulator;
  return {
    fieldExists: async (kind, name) => state.fields[kind].has(name),
    deleteField: async (kind, name) => deleteField(state, kind, name),
    addDateField: async (kind, name) =>
      addField(state, kind, { name, kind: 'date', crmType: 'date', createable: true, updateable: true, unique: false }),
    restrictPicklist: async (kind, name, values) => changeField(state, kind, name, { picklist: [...values] }),
    makeReadOnly: async (kind, name) => changeField(state, kind, name, { updateable: false }),
    shortenText: async (kind, name, length) =>
      changeField(state, kind, name, { length }, (value) => value.slice(0, length)),
    failAccountWrites: (domain) => {
      const message = 'mem_reasons may not change during a renewal';
      const remove = refuseAccountWrites(state, h.accountId(domain), message);
      return { message, remove };
    },
  };
}
