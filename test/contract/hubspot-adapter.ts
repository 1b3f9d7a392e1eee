import path from 'node:path';
import type { HubspotEmulator } from '../../connectors/hubspot/emulator/index.ts';
import { hubspotDemoAe } from '../../connectors/hubspot/demo-ae.ts';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';
import { SHIPPED_MAPPINGS } from '../support/harness.ts';
import type { ContractCrm, ContractStartOptions, CrmContractAdapter, RecordKind } from './crm-adapter.ts';
import { harnessMembers, type AdminMembers, type RecordMembers } from './harness-session.ts';
import { hubspotMappingsCheck } from './hubspot-mappings-check.ts';

const TYPES: Readonly<Record<RecordKind, string>> = { account: 'companies', opportunity: 'deals' };

/** HubSpot keeps every property value as a string; an empty one is ''. */
function asProperties(fields: Readonly<Record<string, unknown>>): Record<string, string> {
  const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, text(v)]));
}

/** The HubSpot emulator behind the contract: companies are accounts, deals are opportunities. */
export const hubspotAdapter: CrmContractAdapter = {
  name: 'hubspot',
  label: 'HubSpot',
  objects: { account: 'companies', opportunity: 'deals' },
  fields: {
    score: 'es_score',
    health: 'es_health',
    timing: 'es_timing',
    potentialArr: 'es_potential_arr',
    topSignals: 'es_top_signals',
    reasons: 'es_reasons',
    scoredAt: 'es_scored_at',
    plan: 'plan_tier',
    customerSince: 'customer_since',
    opportunityName: 'dealname',
    amount: 'amount',
    stage: 'dealstage',
    closeDate: 'closedate',
    motion: 'es_motion',
    expansionKey: 'expansion_key',
    expectedValue: 'es_expected_value',
  },
  values: {
    num: (n) => String(n),
    date: (iso) => iso,
    closeDate: (iso) => `${iso}T00:00:00.000Z`,
    empty: (value) => value === undefined || value === null || value === '',
    openStage: 'appointmentscheduled',
    laterStage: 'qualifiedtobuy',
    closedStage: 'closedwon',
    lostStage: 'closedlost',
  },
  mappings: {
    account: path.join(SHIPPED_MAPPINGS, 'hubspot.companies.yaml'),
    opportunity: path.join(SHIPPED_MAPPINGS, 'hubspot.deals.yaml'),
    planLine: 26,
    potentialArrLine: 54,
    reasonsLine: 60,
  },
  // Properties have no length, the token edits every custom property, a rerun lists every company again.
  capabilities: { readOnlyFields: false, textLengths: false, rerunAccountRead: 'full' },
  dailyQuota: { config: {}, code: 'hubspot_daily_limit', message: /HubSpot's daily API limit/ },
  mappingsCheck: hubspotMappingsCheck,
  expansionDealType: { field: 'dealtype', value: 'existingbusiness' },
  start: async (options = {}) => session(await startHarness(harnessOptions(options))),
};

function harnessOptions(options: ContractStartOptions): Parameters<typeof startHarness>[0] {
  const { mappings, crm, ...rest } = options;
  const files = mappings ? { mappings: { companies: mappings.account, deals: mappings.opportunity } } : {};
  return { ...rest, hubspot: { ...crm, ...files } };
}

function session(h: Harness): ContractCrm {
  return { ...harnessMembers(h), ...records(h), ...admin(h) };
}

/** Companies, deals and notes as the portal holds them, and a person's edits. */
function records(h: Harness): RecordMembers {
  const e = h.emulator;
  const ae = () => hubspotDemoAe({ url: e.url, token: e.token });
  const properties = (type: string, id: string) => e.getObject(type, id)?.properties;
  return {
    accountValues: (field) =>
      Object.fromEntries(e.listObjects('companies').map((c) => [c.properties['domain'], c.properties[field] ?? null])),
    account: (domain) => properties('companies', h.companyId(domain)) ?? {},
    opportunitiesOf: (domain) =>
      e
        .associationsOf('companies', h.companyId(domain), 'deals')
        .map((id) => ({ id, fields: properties('deals', id) ?? {} })),
    opportunity: (id) => properties('deals', id),
    opportunityCount: () => e.listObjects('deals').length,
    noteCount: () => e.listObjects('notes').length,
    notesOn: (id) => e.associationsOf('deals', id, 'notes').length,
    edit: (kind, id, fields) => {
      e.updateProperties(TYPES[kind], id, asProperties(fields));
    },
    createOpportunity: (domain, fields) => {
      const company = [{ toType: 'companies', toId: h.companyId(domain) }];
      return e.createObject('deals', { pipeline: 'default', ...asProperties(fields) }, company).id;
    },
    // An AE closes and reopens through the CRM API (PATCH on the deal), on the default pipeline's closed
    // stages; HubSpot sets hs_is_closed and hs_is_closed_won from them.
    closeOpportunity: async (id, won, amount) => {
      const deal = properties('deals', id) ?? {};
      const closeDate = String(deal['closedate'] ?? '').slice(0, 10) || new Date(h.clock()).toISOString().slice(0, 10);
      await ae().closeDeal(id, { won, amount: amount ?? Number(deal['amount'] ?? 0), closeDate });
    },
    reopenOpportunity: (id) => ae().reopenDeal(id),
    createdAt: (id) => String(properties('deals', id)?.['createdate'] ?? ''),
    requests: {
      reset: () => e.requests.reset(),
      writes: () => e.requests.writes(),
      opportunityWrites: () => e.requests.log().filter((r) => r.write && r.path.includes('/deals')).length,
    },
    quota: {
      spent: () => e.requests.count(),
      leave: (calls) => e.limits.setDailyRemaining(calls),
      refill: () => e.limits.setDailyRemaining(100_000),
    },
  };
}

/** What a portal admin (or another integration) does: the Properties API, and records HubSpot refuses. */
function admin(h: Harness): AdminMembers {
  const e = h.emulator;
  const exists = async (type: string, name: string) => (await propertyRequest(e, type, name)).status === 200;
  return {
    fieldExists: (kind, name) => exists(TYPES[kind], name),
    deleteField: async (kind, name) => {
      if (await exists(TYPES[kind], name)) e.deleteProperty(TYPES[kind], name);
    },
    addDateField: async (kind, name) => {
      if (await exists(TYPES[kind], name)) return;
      const group = kind === 'account' ? 'companyinformation' : 'dealinformation';
      const body = { name, label: name, type: 'date', fieldType: 'date', groupName: group };
      await expectOk(await propertyRequest(e, TYPES[kind], undefined, { method: 'POST', body }), 201);
    },
    restrictPicklist: async (kind, name, values) => {
      // PATCH /crm/v3/properties/{objectType}/{propertyName}:
      // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
      const options = values.map((value) => ({ label: value, value }));
      await expectOk(await propertyRequest(e, TYPES[kind], name, { method: 'PATCH', body: { options } }), 200);
    },
    failAccountWrites: (domain) => {
      const id = h.companyId(domain);
      const message = 'Property values were not valid: es_reasons is too long';
      const match = (input: { readonly id?: string }) => input.id === id;
      const fault = e.faults.failRecords({ objectType: 'companies', match, category: 'VALIDATION_ERROR', message });
      return { message, remove: () => fault.remove() };
    },
  };
}

/** A call to the Properties API, as an admin (or another integration) makes it. */
function propertyRequest(
  e: HubspotEmulator,
  type: string,
  name?: string,
  init?: { readonly method: string; readonly body: object },
): Promise<Response> {
  const url = `${e.url}/crm/v3/properties/${type}${name ? `/${name}` : ''}`;
  const headers = { authorization: `Bearer ${e.token}`, 'content-type': 'application/json' };
  return fetch(url, init ? { method: init.method, headers, body: JSON.stringify(init.body) } : { headers });
}

async function expectOk(response: Response, status: number): Promise<void> {
  if (response.status !== status) throw new Error(`${response.status}: ${await response.text()}`);
}
