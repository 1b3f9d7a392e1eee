import { fileURLToPath } from 'node:url';
import { registerCrm } from '../../connectors/crm-registry.ts';
import type { CrmField, FieldKind } from '../../src/mapping/index.ts';
import type { TestCompany } from '../support/companies.ts';
import type { CrmHarnessSpec } from '../support/harness.ts';
import { memoryCrmEntry, memoryState, type MemoryCrmState } from './memory-crm.ts';

/** The memory CRM's mapping files, kept next to it in the test folder (the product ships none for it). */
export const MEMORY_MAPPINGS = {
  account: fileURLToPath(new URL('./mappings/memory.accounts.yaml', import.meta.url)),
  opportunity: fileURLToPath(new URL('./mappings/memory.opportunities.yaml', import.meta.url)),
};

const field = (name: string, kind: FieldKind = 'text'): CrmField => ({
  name,
  kind,
  crmType: kind,
  createable: true,
  updateable: true,
  unique: false,
});

/** The memory CRM's standard fields, typed; provisioning adds the fields the write rules create. */
const FIELDS = {
  account: [
    field('arr', 'number'),
    field('employees', 'number'),
    field('renewal_date', 'date'),
    field('owner_id', 'reference'),
  ],
  opportunity: [
    field('name'),
    field('amount', 'number'),
    field('stage'),
    field('pipeline'),
    field('close_date', 'date'),
    field('owner_id', 'reference'),
  ],
};

/** Unregisters each started CRM when its harness stops. */
const registrations = new WeakMap<MemoryCrmState, () => void>();

/**
 * The memory CRM in the shared harness: each start seeds a fresh CRM from the test companies and
 * registers it through the CRM registry (nothing in src/ names it), and stopping unregisters it.
 */
export const memorySpec: CrmHarnessSpec<MemoryCrmState> = {
  key: 'memory',
  start: async ({ companies }) => {
    const state = memoryState(seedFor(companies));
    registrations.set(state, registerCrm(memoryCrmEntry(state)));
    return state;
  },
  config: () => ({ mappings: { ...MEMORY_MAPPINGS } }),
  env: () => ({}),
  accountIds: (state) => new Map([...state.accounts].map(([id, values]) => [values['domain'] ?? '', id])),
  stop: async (state) => {
    registrations.get(state)?.();
    registrations.delete(state);
  },
};

function seedFor(companies: readonly TestCompany[]) {
  return {
    owners: [
      { id: '2001', name: 'Dana Reyes', email: 'dana.ae@example.com', active: true },
      { id: '2002', name: 'Sam Okafor', email: 'sam.csm@example.com', active: true },
    ],
    accounts: companies.map((c) => ({
      name: c.name,
      domain: c.domain,
      owner_id: c.ownerId,
      arr: String(c.seats * 600),
      licensed_seats: String(c.seats),
      plan_tier: c.plan,
      modules_owned: 'core',
      renewal_date: c.renewalDate,
      employees: String(c.seats * 4),
    })),
    fields: FIELDS,
  };
}
