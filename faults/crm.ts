import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { demoSeed } from '../connectors/hubspot/demo-seed.ts';
import { startHubspotEmulator, type HubspotEmulator } from '../connectors/hubspot/emulator/index.ts';
import { salesforceDemoSeed } from '../connectors/salesforce/demo-seed.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from '../connectors/salesforce/emulator/index.ts';
import { noteKeyIn } from '../connectors/shared/note-ref.ts';
import type { SyntheticCompany } from '../src/demo/portfolio.ts';
import { startProxy, type FaultProxy, type RequestKind } from './proxy.ts';

export type CrmName = 'hubspot' | 'salesforce';
export const CRM_NAMES: readonly CrmName[] = ['hubspot', 'salesforce'];

const MAPPINGS = fileURLToPath(new URL('../mappings/', import.meta.url));

/** A deal or opportunity as the comparison sees it; values as strings, empty ones left out. */
export interface DealView {
  readonly id: string;
  readonly accountIds: readonly string[];
  readonly key: string | undefined;
  readonly motion: string | undefined;
  readonly owner: string | undefined;
  readonly fields: Readonly<Record<string, string>>;
}

export interface NoteView {
  readonly id: string;
  readonly key: string | undefined;
  readonly dealIds: readonly string[];
  readonly accountIds: readonly string[];
}

/** The CRM's state after a trial, read from the emulator's store. */
export interface Snapshot {
  /** Account id -> the score fields the worker writes (non-empty ones). */
  readonly accounts: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly deals: readonly DealView[];
  readonly notes: readonly NoteView[];
  /** Links to the same record more than once (Salesforce ContentDocumentLink), each extra one counted. */
  readonly duplicateLinks: number;
}

/** The human edits the trials make between runs, by the field names of this CRM. */
export interface HumanEdits {
  clearHealth(accountId: string): void;
  setDealAmount(dealId: string, amount: number): void;
  clearDealAmount(dealId: string): void;
  /** Field names as they appear in the snapshot. */
  readonly healthField: string;
  readonly amountField: string;
}

/**
 * The date of the last scoring: sent only with a real change to another score field (mappings/README.md),
 * so an account whose score did not change keeps an older date by design.
 */
export const SCORED_AT: Readonly<Record<CrmName, string>> = {
  hubspot: 'es_scored_at',
  salesforce: 'Expansion_Scored_At__c',
};

/** Deal fields written only when the deal is created (the mapping's create-only rules). */
export const CREATE_ONLY: Readonly<Record<CrmName, ReadonlySet<string>>> = {
  hubspot: new Set([
    'dealname',
    'dealstage',
    'pipeline',
    'closedate',
    'hubspot_owner_id',
    'expansion_key',
    'es_motion',
  ]),
  salesforce: new Set(['Name', 'StageName', 'CloseDate', 'OwnerId', 'Expansion_Key__c', 'Expansion_Motion__c']),
};

/** One emulator, seeded with the demo book, behind a fault proxy. */
export interface CrmTarget {
  readonly crm: CrmName;
  readonly proxy: FaultProxy;
  readonly companies: readonly SyntheticCompany[];
  /** The `crm` config block, pointing at the proxy. */
  crmConfig(): object;
  /** Environment for the CLI (the secret). */
  env(): Record<string, string>;
  snapshot(): Snapshot;
  readonly edits: HumanEdits;
  /** Makes the current credentials fail (401) from now on; `renewAuth` makes the next run's work. */
  expireAuth(): void;
  renewAuth(): void;
  stop(): Promise<void>;
}

export interface BookOptions {
  readonly companies: number;
  readonly asOf: string;
  readonly seed: number;
}

export async function startTarget(crm: CrmName, book: BookOptions): Promise<CrmTarget> {
  return crm === 'hubspot' ? startHubspot(book) : startSalesforce(book);
}

const text = (v: unknown): string | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  return typeof v === 'string' ? v : String(v as number | boolean);
};

function compact(record: Readonly<Record<string, unknown>>, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = text(record[f]);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- HubSpot

const HS_ACCOUNT_FIELDS = [
  'es_score',
  'es_health',
  'es_timing',
  'es_potential_arr',
  'es_top_signals',
  'es_reasons',
  'es_scored_at',
];
const HS_DEAL_FIELDS = [
  'dealname',
  'amount',
  'dealstage',
  'pipeline',
  'closedate',
  'hubspot_owner_id',
  'expansion_key',
  'es_motion',
  'es_probability',
  'es_signals',
  'es_expected_value',
];

function classifyHubspot(method: string, p: string): RequestKind {
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (/\/search$|\/batch\/read$/.test(p)) return 'read';
  if (p.startsWith('/crm/v3/properties') || p.startsWith('/crm/v3/schemas')) return 'schema';
  if (p === '/crm/v3/objects/companies/batch/update') return 'account.update';
  if (p === '/crm/v3/objects/deals/batch/upsert') return 'deal.upsert';
  if (p.startsWith('/crm/v4/associations/deals/companies/')) return 'deal.associate';
  if (p === '/crm/v3/objects/notes/batch/create') return 'note.create';
  return 'other.write';
}

async function startHubspot(book: BookOptions): Promise<CrmTarget> {
  const { seed, companies } = demoSeed(book);
  const emulator: HubspotEmulator = await startHubspotEmulator({ port: 0, seed });
  const proxy = await startProxy({ upstream: emulator.url, classify: (m, p) => classifyHubspot(m, p) });
  const mappings = {
    companies: path.join(MAPPINGS, 'hubspot.companies.yaml'),
    deals: path.join(MAPPINGS, 'hubspot.deals.yaml'),
  };
  return {
    crm: 'hubspot',
    proxy,
    companies,
    crmConfig: () => ({ hubspot: { token: { env: 'HUBSPOT_TOKEN' }, basePath: proxy.url, mappings } }),
    env: () => ({ HUBSPOT_TOKEN: emulator.token }),
    snapshot: () => {
      const accounts = new Map<string, Record<string, string>>();
      for (const c of emulator.listObjects('companies')) accounts.set(c.id, compact(c.properties, HS_ACCOUNT_FIELDS));
      const deals = emulator.listObjects('deals').map((d) => ({
        id: d.id,
        accountIds: emulator.associationsOf('deals', d.id, 'companies'),
        key: text(d.properties['expansion_key']),
        motion: text(d.properties['es_motion']),
        owner: text(d.properties['hubspot_owner_id']),
        fields: compact(d.properties, HS_DEAL_FIELDS),
      }));
      const notes = emulator.listObjects('notes').map((n) => ({
        id: n.id,
        key: noteKeyIn(n.properties['hs_note_body']),
        dealIds: emulator.associationsOf('notes', n.id, 'deals'),
        accountIds: emulator.associationsOf('notes', n.id, 'companies'),
      }));
      return { accounts, deals, notes, duplicateLinks: 0 };
    },
    edits: {
      healthField: 'es_health',
      amountField: 'amount',
      clearHealth: (id) => void emulator.updateProperties('companies', id, { es_health: '' }),
      setDealAmount: (id, amount) => void emulator.updateProperties('deals', id, { amount: String(amount) }),
      clearDealAmount: (id) => void emulator.updateProperties('deals', id, { amount: '' }),
    },
    expireAuth: () => emulator.faults.expireToken(),
    renewAuth: () => emulator.setToken(`pat-na1-${randomUUID()}`),
    stop: async () => {
      await proxy.stop();
      await emulator.stop();
    },
  };
}

// ------------------------------------------------------------------------------------------- Salesforce

const SF_ACCOUNT_FIELDS = [
  'Expansion_Score__c',
  'Expansion_Health__c',
  'Expansion_Timing__c',
  'Expansion_Potential_ARR__c',
  'Expansion_Top_Signals__c',
  'Expansion_Reasons__c',
  'Expansion_Scored_At__c',
];
const SF_DEAL_FIELDS = [
  'Name',
  'Amount',
  'StageName',
  'CloseDate',
  'OwnerId',
  'Expansion_Key__c',
  'Expansion_Motion__c',
  'Expansion_Probability__c',
  'Expansion_Signals__c',
  'Expansion_Expected_Value__c',
];

const SF_KIND_BY_TYPE: Readonly<Record<string, RequestKind>> = {
  Account: 'account.update',
  Opportunity: 'deal.upsert',
  ContentNote: 'note.create',
  ContentDocumentLink: 'link.create',
};

function classifySalesforce(method: string, p: string, body: string): RequestKind {
  if (p.endsWith('/oauth2/token')) return 'auth';
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (p.includes('/jobs/query') || p.endsWith('/query') || p.endsWith('/queryAll')) return 'read';
  if (p.includes('/tooling/')) return 'schema';
  if (p.includes('/composite/sobjects/Opportunity/')) return 'deal.upsert';
  const type = /"type"\s*:\s*"(\w+)"/.exec(body)?.[1] ?? /\/sobjects\/(\w+)/.exec(p)?.[1];
  if (type === undefined) return 'other.write';
  if (/^(PermissionSet|PermissionSetAssignment|FieldPermissions|ObjectPermissions)$/.test(type)) return 'schema';
  return SF_KIND_BY_TYPE[type] ?? 'other.write';
}

async function startSalesforce(book: BookOptions): Promise<CrmTarget> {
  const { seed, companies } = salesforceDemoSeed(book);
  const emulator: SalesforceEmulator = await startSalesforceEmulator({ port: 0, seed });
  const proxy = await startProxy({ upstream: emulator.url, classify: classifySalesforce });
  const mappings = {
    accounts: path.join(MAPPINGS, 'salesforce.accounts.yaml'),
    opportunities: path.join(MAPPINGS, 'salesforce.opportunities.yaml'),
  };
  return {
    crm: 'salesforce',
    proxy,
    companies,
    crmConfig: () => ({
      salesforce: {
        loginUrl: proxy.url,
        auth: {
          flow: 'client_credentials',
          clientId: emulator.clientId,
          clientSecret: { env: 'SALESFORCE_CLIENT_SECRET' },
        },
        mappings,
      },
    }),
    env: () => ({ SALESFORCE_CLIENT_SECRET: emulator.clientSecret }),
    snapshot: () => {
      const accounts = new Map<string, Record<string, string>>();
      for (const a of emulator.listRecords('Account')) accounts.set(a.Id, compact(a, SF_ACCOUNT_FIELDS));
      const deals = emulator.listRecords('Opportunity').map((o) => ({
        id: o.Id,
        accountIds: text(o['AccountId']) === undefined ? [] : [String(o['AccountId'])],
        key: text(o['Expansion_Key__c']),
        motion: text(o['Expansion_Motion__c']),
        owner: text(o['OwnerId']),
        fields: compact(o, SF_DEAL_FIELDS),
      }));
      const links = emulator.listRecords('ContentDocumentLink');
      const seenLinks = new Set<string>();
      let duplicateLinks = 0;
      const linksOf = new Map<string, string[]>();
      for (const l of links) {
        const doc = String(l['ContentDocumentId']);
        const entity = String(l['LinkedEntityId']);
        const pair = `${doc}>${entity}`;
        if (seenLinks.has(pair)) duplicateLinks += 1;
        seenLinks.add(pair);
        linksOf.set(doc, [...(linksOf.get(doc) ?? []), entity]);
      }
      const notes = emulator.listRecords('ContentNote').map((n) => {
        const linked = [...new Set(linksOf.get(n.Id) ?? [])];
        return {
          id: n.Id,
          key: noteKeyIn(contentText(n['Content'])),
          dealIds: linked.filter((id) => id.startsWith('006')),
          accountIds: linked.filter((id) => id.startsWith('001')),
        };
      });
      return { accounts, deals, notes, duplicateLinks };
    },
    edits: {
      healthField: 'Expansion_Health__c',
      amountField: 'Amount',
      clearHealth: (id) => void emulator.updateRecord('Account', id, { Expansion_Health__c: null }),
      setDealAmount: (id, amount) => void emulator.updateRecord('Opportunity', id, { Amount: amount }),
      clearDealAmount: (id) => void emulator.updateRecord('Opportunity', id, { Amount: null }),
    },
    expireAuth: () => emulator.expireSessions(),
    renewAuth: () => undefined,
    stop: async () => {
      await proxy.stop();
      await emulator.stop();
    },
  };
}

/** A ContentNote's Content as stored: base64 of the HTML, or the HTML itself. */
function contentText(content: unknown): string | undefined {
  const raw = text(content);
  if (raw === undefined) return undefined;
  if (raw.includes('expansion-sync ref')) return raw;
  return Buffer.from(raw, 'base64').toString('utf8');
}
