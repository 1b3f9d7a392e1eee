import { z } from 'zod';
import { defineCrm, type CrmEntry } from '../../connectors/crm-registry.ts';
import type { CrmConnector, RawOpportunity, WriteOutcome, WriteTarget } from '../../src/engine/crm.ts';
import { objectFields, OUTPUT_SPECS, type CrmField } from '../../src/mapping/index.ts';
import type { Owner } from '../../src/model/account.ts';
import { SyncError } from '../../src/errors.ts';
import { fieldRefusal, STAGE_FIELD, stageFlags } from './memory-records.ts';

/**
 * A third CRM, in memory, written only against the narrow connector interface: raw records in and out,
 * no mapping files, no SDK. It lives in the test folder and joins the product through `registerCrm`.
 * What people and admins do to it (edits, field changes, refused records) is in memory-records.ts.
 */

export type Values = Record<string, string | null>;
export type MemoryKind = 'account' | 'opportunity';

export interface MemoryOpportunity {
  readonly id: string;
  readonly accountId: string;
  values: Values;
  closed: boolean;
  won: boolean;
  /** When it was created (ISO 8601), as a CRM's own creation date. */
  readonly createdAt?: string;
}

export interface MemoryNote {
  readonly id: string;
  readonly key: string;
  readonly opportunityId: string;
  readonly accountId: string;
  readonly title: string;
  readonly body: string;
}

/** The CRM's whole state, shared by every connector the entry creates (as a real CRM outlives runs). */
export interface MemoryCrmState {
  readonly owners: Owner[];
  readonly accounts: Map<string, Values>;
  readonly opportunities: Map<string, MemoryOpportunity>;
  readonly notes: MemoryNote[];
  /** Fields per object: those seeded, then those provisioning creates. */
  readonly fields: Record<MemoryKind, Map<string, CrmField>>;
  /** Write calls received, as the emulators count them. */
  writeCalls: number;
  /** Write calls per object, and upserts per opportunity id. */
  readonly calls: { account: number; opportunity: number; note: number };
  readonly opportunityWrites: Map<string, number>;
  /** Accounts the CRM refuses writes to, with its validation message (`failAccountWrites`). */
  readonly refused: Map<string, string>;
  /** The daily API allowance: every connector call counts, as HubSpot's daily limit counts requests. */
  readonly quota: { used: number; max: number };
}

const textField = (name: string, unique = false): CrmField => ({
  name,
  kind: 'text',
  crmType: 'text',
  createable: true,
  updateable: true,
  unique,
});

export interface MemorySeed {
  readonly owners: Owner[];
  readonly accounts: ReadonlyArray<Readonly<Values>>;
  /** Typed field definitions; fields the seed records hold but these do not name are text. */
  readonly fields?: { readonly account?: readonly CrmField[]; readonly opportunity?: readonly CrmField[] };
}

export function memoryState(seed: MemorySeed): MemoryCrmState {
  // Ids of word characters only, as the CRMs' own ids (reports and keys embed them).
  const accounts = new Map(seed.accounts.map((values, i) => [`acc${i + 1}`, { ...values }]));
  const seeded = [...new Set(seed.accounts.flatMap((a) => Object.keys(a)))].map((n) => textField(n));
  const byName = (fields: readonly CrmField[]) => new Map(fields.map((f) => [f.name, f]));
  return {
    owners: seed.owners,
    accounts,
    opportunities: new Map(),
    notes: [],
    fields: {
      account: new Map([...byName(seeded), ...byName(seed.fields?.account ?? [])]),
      opportunity: byName(seed.fields?.opportunity ?? []),
    },
    writeCalls: 0,
    calls: { account: 0, opportunity: 0, note: 0 },
    opportunityWrites: new Map(),
    refused: new Map(),
    quota: { used: 0, max: 100_000 },
  };
}

export const MemoryConfigSchema = z
  .object({
    mappings: z.object({ account: z.string(), opportunity: z.string() }).strict(),
    stage: z.string().default('new'),
  })
  .strict();

/** The registry entry: what `registerCrm` takes. */
export function memoryCrmEntry(state: MemoryCrmState): CrmEntry {
  return defineCrm({
    id: 'memory',
    label: 'In-memory CRM',
    configKey: 'memory',
    configSchema: MemoryConfigSchema,
    secrets: [],
    deal: (config) => ({ pipeline: 'main', stage: config.stage }),
    callsPerBatch: 50,
    mappings: (config) => ({
      account: { path: config.mappings.account, object: 'accounts' },
      opportunity: { path: config.mappings.opportunity, object: 'opportunities' },
    }),
    shippedMappings: {
      account: { path: 'memory.accounts.yaml', object: 'accounts' },
      opportunity: { path: 'memory.opportunities.yaml', object: 'opportunities' },
    },
    create: async () => memoryConnector(state),
  });
}

const failed = (ref: string, code: string, message: string): WriteOutcome => ({
  ref,
  status: 'failed',
  code,
  message,
  retryable: false,
});

/** One API call against the daily allowance; once it is used up the CRM answers every call with an error. */
function spend(state: MemoryCrmState): void {
  if (state.quota.used >= state.quota.max) {
    const message = "the memory CRM's daily API allowance is used up; the next run resumes where this one stopped";
    throw new SyncError(message, { code: 'memory_daily_limit', kind: 'quota' });
  }
  state.quota.used += 1;
}

export function memoryConnector(state: MemoryCrmState): CrmConnector {
  const write = <T>(kind: keyof MemoryCrmState['calls'], items: readonly T[], one: (item: T) => WriteOutcome) => {
    if (items.length === 0) return [];
    spend(state);
    state.writeCalls += 1;
    state.calls[kind] += 1;
    return items.map(one);
  };
  return {
    system: 'memory',
    objects: { account: 'accounts', opportunity: 'opportunities', note: 'notes' },
    maxBatchSize: 50,
    check: async () => ({ ok: true, checks: [{ name: 'memory', ok: true, message: 'always there' }] }),
    provision: async ({ dryRun, targets }) => {
      spend(state);
      return provision(state, { dryRun, targets });
    },
    describeFields: async () => {
      spend(state);
      return fieldCatalog(state);
    },
    readOwners: async () => {
      spend(state);
      return state.owners;
    },
    readAccounts: async function* ({ fields }) {
      const records = [...state.accounts].map(([id, values]) => ({ id, values: pick(values, fields) }));
      // Two pages, to exercise the engine's paging.
      for (const page of [records.slice(0, 2), records.slice(2)]) {
        spend(state);
        yield { records: page };
      }
    },
    readOpportunities: async function* ({ fields, markers, accountIds }) {
      spend(state);
      const page: RawOpportunity[] = [];
      for (const o of state.opportunities.values()) {
        if (!accountIds.has(o.accountId) || !markers.some((m) => o.values[m])) continue;
        const created = o.createdAt === undefined ? {} : { createdAt: o.createdAt };
        page.push({
          id: o.id,
          accountId: o.accountId,
          closed: o.closed,
          won: o.won,
          ...created,
          values: pick(o.values, fields),
        });
      }
      yield page;
    },
    updateAccounts: async (updates) =>
      write('account', updates, (u) => {
        const values = state.accounts.get(u.accountId);
        if (values === undefined) return failed(u.accountId, 'not_found', 'no such account');
        const refusal = state.refused.get(u.accountId) ?? fieldRefusal(state, 'account', u.fields, 'update');
        if (refusal !== undefined) return failed(u.accountId, 'validation', refusal);
        Object.assign(values, u.fields);
        return { ref: u.accountId, status: 'updated', crmId: u.accountId };
      }),
    upsertOpportunities: async (upserts) => write('opportunity', upserts, (u) => upsert(state, u)),
    createNotes: async (notes) =>
      write('note', notes, (n) => {
        const id = `note${state.notes.length + 1}`;
        const { key, opportunityId, accountId, title, body } = n;
        state.notes.push({ id, key, opportunityId, accountId, title, body });
        return { ref: n.key, status: 'created', crmId: id };
      }),
    findNotes: async (pending) => {
      spend(state);
      return new Map(state.notes.filter((n) => pending.some((p) => p.key === n.key)).map((n) => [n.key, n.id]));
    },
    apiStats: () => ({ total: state.writeCalls, calls: { write: state.writeCalls }, retries: 0, rateLimited: 0 }),
    close: async () => {},
  };
}

/** The unique opportunity field upserts match on (the one provisioning made for the key), by default ours. */
function keyField(state: MemoryCrmState): string {
  return [...state.fields.opportunity.values()].find((f) => f.unique)?.name ?? 'expansion_key';
}

function upsert(state: MemoryCrmState, u: Parameters<CrmConnector['upsertOpportunities']>[0][number]): WriteOutcome {
  const key = keyField(state);
  const found = [...state.opportunities.values()].find((o) => o.id === u.crmId || o.values[key] === u.key);
  const refusal = fieldRefusal(state, 'opportunity', u.fields, found ? 'update' : 'create');
  if (refusal !== undefined) return failed(u.key, 'validation', refusal);
  const id = found?.id ?? `opp${state.opportunities.size + 1}`;
  state.opportunityWrites.set(id, (state.opportunityWrites.get(id) ?? 0) + 1);
  if (found) {
    Object.assign(found.values, u.fields);
    Object.assign(found, stageFlags(found.values[STAGE_FIELD]));
    return { ref: u.key, status: 'updated', crmId: found.id };
  }
  const values = { ...u.fields, [key]: u.key };
  const createdAt = new Date().toISOString();
  state.opportunities.set(id, { id, accountId: u.accountId, values, createdAt, ...stageFlags(values[STAGE_FIELD]) });
  return { ref: u.key, status: 'created', crmId: id };
}

function provision(
  state: MemoryCrmState,
  options: { readonly dryRun: boolean; readonly targets: readonly WriteTarget[] },
) {
  const created: string[] = [];
  const existing: string[] = [];
  const missing: string[] = [];
  for (const t of options.targets) {
    const fields = state.fields[t.entity];
    const label = `${t.entity}.${t.field}`;
    if (fields.has(t.field)) existing.push(label);
    else if (options.dryRun) missing.push(label);
    else {
      fields.set(t.field, createdField(t));
      created.push(label);
    }
  }
  return { created, existing, missing };
}

/** The memory CRM's translation of the catalog of written outputs into its own field types. */
function createdField(target: WriteTarget): CrmField {
  const spec = OUTPUT_SPECS[target.entity][target.from];
  const base = textField(target.field, spec?.key === true);
  switch (spec?.created?.shape ?? spec?.kind) {
    case 'score':
    case 'probability':
    case 'money':
    case 'number':
      return { ...base, kind: 'number', crmType: 'number' };
    case 'date':
      return { ...base, kind: 'date', crmType: 'date' };
    case 'enum':
      return { ...base, kind: 'picklist', crmType: 'picklist', picklist: [...(spec?.values ?? [])] };
    case 'short-text':
      return { ...base, length: 255 };
    case 'long-text':
      return { ...base, kind: 'textarea', crmType: 'textarea' };
    case 'owner':
      return { ...base, kind: 'reference', crmType: 'owner' };
    default:
      return base;
  }
}

function fieldCatalog(state: MemoryCrmState) {
  const options = { caseInsensitive: false };
  return {
    account: objectFields('accounts', [...state.fields.account.values()], options),
    opportunity: objectFields('opportunities', [...state.fields.opportunity.values()], options),
  };
}

function pick(values: Readonly<Values>, fields: readonly string[]): Values {
  return Object.fromEntries(fields.filter((f) => f in values).map((f) => [f, values[f] ?? null]));
}
