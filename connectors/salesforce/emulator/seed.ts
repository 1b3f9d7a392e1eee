import type { OrgState } from './state.ts';
import type { SalesforceSeed, SeedRecord } from './types.ts';

/** The user client-credentials tokens run as when the seed names none. */
export const DEFAULT_USER: SeedRecord = {
  Username: 'integration@expansion-sync.example',
  FirstName: 'Integration',
  LastName: 'User',
  Email: 'integration@expansion-sync.example',
};

const ORDER: ReadonlyArray<readonly [keyof SalesforceSeed, string]> = [
  ['accounts', 'Account'],
  ['opportunities', 'Opportunity'],
  ['tasks', 'Task'],
  ['notes', 'ContentNote'],
  ['links', 'ContentDocumentLink'],
];

/**
 * Creates one record through the same validation as the API; fields the API would not accept on create
 * (CreatedDate, SystemModstamp, …) are then written as given, so a seed can carry history.
 */
export function seedRecord(state: OrgState, object: string, input: SeedRecord): string {
  const writable: Record<string, unknown> = {};
  const system: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const def = state.schema.def(object, key);
    if (def && !def.createable && def.name !== 'Id')
      system[def.name] =
        def.type === 'datetime' && typeof value === 'string' ? new Date(Date.parse(value)).toISOString() : value;
    else writable[key] = value;
  }
  const result = state.store.create(object, writable);
  if (!result.ok)
    throw new Error(
      `Salesforce emulator: cannot seed ${object}: ${result.errors.map((e) => `${e.statusCode} ${e.message}`).join('; ')}`,
    );
  state.store.overwrite(object, result.id, system);
  return result.id;
}

export function applySeed(state: OrgState, seed: SalesforceSeed): void {
  const users = seed.users && seed.users.length > 0 ? seed.users : [DEFAULT_USER];
  for (const user of users) seedRecord(state, 'User', user);
  const runAs = state.store
    .list('User')
    .find((u) => state.runAsUsername === undefined || u['Username'] === state.runAsUsername);
  state.store.defaultOwnerId = runAs?.Id ?? '';
  for (const [object, fields] of Object.entries(seed.fields ?? {})) {
    for (const field of fields) {
      state.schema.addField(object, field);
      state.store.addColumn(object, field.name);
    }
  }
  for (const [key, object] of ORDER) {
    const records = seed[key] as readonly SeedRecord[] | undefined;
    for (const record of records ?? []) seedRecord(state, object, record);
  }
}
