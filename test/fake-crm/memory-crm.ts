import { z } from 'zod';
import { defineCrm, type CrmEntry } from '../../connectors/crm-registry.ts';
import type { CrmConnector, RawOpportunity, WriteOutcome, WriteTarget } from '../../src/engine/crm.ts';
import { objectFields, type CrmField } from '../../src/mapping/index.ts';
import type { Owner } from '../../src/model/account.ts';

/**
 * A third CRM, in memory, written only against the narrow connector interface: raw records in and out,
 * no mapping files, no SDK. It lives in the test folder and joins the product through `registerCrm`.
 */

type Values = Record<string, string | null>;

export interface MemoryOpportunity {
  readonly id: string;
  readonly accountId: string;
  values: Values;
  closed: boolean;
  won: boolean;
}

/** The CRM's whole state, shared by every connector the entry creates (as a real CRM outlives runs). */
export interface MemoryCrmState {
  readonly owners: Owner[];
  readonly accounts: Map<string, Values>;
  readonly opportunities: Map<string, MemoryOpportunity>;
  readonly notes: Array<{ id: string; key: string; opportunityId: string; accountId: string; title: string; body: string }>;
  /** Fields per object: those the seed records hold, then those provisioning creates. */
  readonly fields: { account: Map<string, CrmField>; opportunity: Map<string, CrmField> };
  /** Write calls received, as the emulators count them. */
  writeCalls: number;
}

const textField = (name: string, unique = false): CrmField => ({ name, kind: 'text', crmType: 'text', createable: true, updateable: true, unique });

export function memoryState(seed: { readonly owners: Owner[]; readonly accounts: ReadonlyArray<Readonly<Values>> }): MemoryCrmState {
  const accounts = new Map(seed.accounts.map((values, i) => [`acc-${i + 1}`, { ...values }]));
  const fieldNames = new Set(seed.accounts.flatMap((a) => Object.keys(a)));
  return {
    owners: seed.owners,
    accounts,
    opportunities: new Map(),
    notes: [],
    fields: { account: new Map([...fieldNames].map((n) => [n, textField(n)])), opportunity: new Map() },
    writeCalls: 0,
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
    mappings: (config) => ({ account: { path: config.mappings.account, object: 'accounts' }, opportunity: { path: config.mappings.opportunity, object: 'opportunities' } }),
    shippedMappings: { account: { path: 'memory.accounts.yaml', object: 'accounts' }, opportunity: { path: 'memory.opportunities.yaml', object: 'opportunities' } },
    create: async () => memoryConnector(state),
  });
}

export function memoryConnector(state: MemoryCrmState): CrmConnector {
  let keyField = 'expansion_key';
  const write = <T>(items: readonly T[], one: (item: T) => WriteOutcome): WriteOutcome[] => {
    if (items.length > 0) state.writeCalls += 1;
    return items.map(one);
  };
  return {
    system: 'memory',
    objects: { account: 'accounts', opportunity: 'opportunities', note: 'notes' },
    maxBatchSize: 50,
    check: async () => ({ ok: true, checks: [{ name: 'memory', ok: true, message: 'always there' }] }),
    provision: async ({ dryRun, targets }) => provision(state, { dryRun, targets, onKey: (field) => (keyField = field) }),
    describeFields: async () => ({
      account: objectFields('accounts', [...state.fields.account.values()], { caseInsensitive: false }),
      opportunity: objectFields('opportunities', [...state.fields.opportunity.values()], { caseInsensitive: false }),
    }),
    readOwners: async () => state.owners,
    readAccounts: async function* ({ fields }) {
      const records = [...state.accounts].map(([id, values]) => ({ id, values: pick(values, fields) }));
      // Two pages, to exercise the engine's paging.
      yield { records: records.slice(0, 2) };
      yield { records: records.slice(2) };
    },
    readOpportunities: async function* ({ fields, markers, accountIds }) {
      const page: RawOpportunity[] = [];
      for (const o of state.opportunities.values()) {
        if (!accountIds.has(o.accountId) || !markers.some((m) => o.values[m])) continue;
        page.push({ id: o.id, accountId: o.accountId, closed: o.closed, won: o.won, values: pick(o.values, fields) });
      }
      yield page;
    },
    updateAccounts: async (updates) =>
      write(updates, (u) => {
        const values = state.accounts.get(u.accountId);
        if (values === undefined) return { ref: u.accountId, status: 'failed', code: 'not_found', message: 'no such account', retryable: false };
        Object.assign(values, u.fields);
        return { ref: u.accountId, status: 'updated', crmId: u.accountId };
      }),
    upsertOpportunities: async (upserts) =>
      write(upserts, (u) => {
        const found = [...state.opportunities.values()].find((o) => o.values[keyField] === u.key);
        if (found) {
          Object.assign(found.values, u.fields);
          return { ref: u.key, status: 'updated', crmId: found.id };
        }
        const id = `opp-${state.opportunities.size + 1}`;
        state.opportunities.set(id, { id, accountId: u.accountId, values: { ...u.fields, [keyField]: u.key }, closed: false, won: false });
        return { ref: u.key, status: 'created', crmId: id };
      }),
    createNotes: async (notes) =>
      write(notes, (n) => {
        const id = `note-${state.notes.length + 1}`;
        state.notes.push({ id, key: n.key, opportunityId: n.opportunityId, accountId: n.accountId, title: n.title, body: n.body });
        return { ref: n.key, status: 'created', crmId: id };
      }),
    findNotes: async (pending) => new Map(state.notes.filter((n) => pending.some((p) => p.key === n.key)).map((n) => [n.key, n.id])),
    apiStats: () => ({ total: state.writeCalls, calls: { write: state.writeCalls }, retries: 0, rateLimited: 0 }),
    close: async () => {},
  };
}

function provision(state: MemoryCrmState, options: { readonly dryRun: boolean; readonly targets: readonly WriteTarget[]; readonly onKey: (field: string) => void }) {
  const created: string[] = [];
  const existing: string[] = [];
  const missing: string[] = [];
  for (const t of options.targets) {
    const key = t.entity === 'opportunity' && t.from === 'expansionKey';
    if (key) options.onKey(t.field);
    const fields = state.fields[t.entity];
    const label = `${t.entity}.${t.field}`;
    if (fields.has(t.field)) existing.push(label);
    else if (options.dryRun) missing.push(label);
    else {
      fields.set(t.field, textField(t.field, key));
      created.push(label);
    }
  }
  return { created, existing, missing };
}

function pick(values: Readonly<Values>, fields: readonly string[]): Values {
  return Object.fromEntries(fields.filter((f) => f in values).map((f) => [f, values[f] ?? null]));
}
