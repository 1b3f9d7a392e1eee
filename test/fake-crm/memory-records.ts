import type { CrmField } from '../../src/mapping/index.ts';
import type { MemoryCrmState, MemoryKind, Values } from './memory-crm.ts';

/**
 * What happens to the memory CRM outside the worker: a person's edits in its UI, an admin's field changes,
 * and the validation it applies to writes, so the contract suite can drive it as it drives the emulators.
 */

/** The CRM's stage field, which closes an opportunity when set to a closed stage. */
export const STAGE_FIELD = 'stage';

/** Stages that close an opportunity, and whether as won (HubSpot's closedwon/closedlost, in this CRM's words). */
const CLOSED_STAGES: ReadonlyMap<string, boolean> = new Map([
  ['closed_won', true],
  ['closed_lost', false],
]);

export function stageFlags(stage: string | null | undefined): { closed: boolean; won: boolean } {
  const won = stage === null || stage === undefined ? undefined : CLOSED_STAGES.get(stage);
  return { closed: won !== undefined, won: won === true };
}

/**
 * Why the CRM refuses a write of these fields, or undefined: a field that does not exist, that the
 * integration may not set, a value outside a picklist, or text longer than the field holds.
 */
export function fieldRefusal(
  state: MemoryCrmState,
  kind: MemoryKind,
  fields: Readonly<Values>,
  op: 'create' | 'update',
): string | undefined {
  for (const [name, value] of Object.entries(fields)) {
    const field = state.fields[kind].get(name);
    if (field === undefined) return `field ${name} does not exist`;
    if (op === 'update' ? !field.updateable : !field.createable) return `field ${name} is read-only`;
    if (value === null) continue;
    if (field.kind === 'picklist' && !field.picklist?.includes(value)) return `"${value}" is not a value of ${name}`;
    if (field.length !== undefined && value.length > field.length) return `${name} holds ${field.length} characters`;
  }
  return undefined;
}

/** A person's edit in the CRM's UI: `null` clears a field; a closed stage closes the opportunity. */
export function editRecord(state: MemoryCrmState, kind: MemoryKind, id: string, fields: Readonly<Values>): void {
  if (kind === 'account') {
    const values = state.accounts.get(id);
    if (values === undefined) throw new Error(`no account ${id}`);
    Object.assign(values, fields);
    return;
  }
  const opportunity = state.opportunities.get(id);
  if (opportunity === undefined) throw new Error(`no opportunity ${id}`);
  Object.assign(opportunity.values, fields);
  Object.assign(opportunity, stageFlags(opportunity.values[STAGE_FIELD]));
}

/** An opportunity a person opens on the account; returns its id. */
export function addOpportunity(state: MemoryCrmState, accountId: string, fields: Readonly<Values>): string {
  const id = `opp${state.opportunities.size + 1}`;
  const values = { ...fields };
  state.opportunities.set(id, { id, accountId, values, ...stageFlags(values[STAGE_FIELD]) });
  return id;
}

/** The CRM refuses every write to this account with `message` until the returned function is called. */
export function refuseAccountWrites(state: MemoryCrmState, accountId: string, message: string): () => void {
  state.refused.set(accountId, message);
  return () => {
    state.refused.delete(accountId);
  };
}

/** Forgets the write calls counted so far. */
export function resetCalls(state: MemoryCrmState): void {
  state.writeCalls = 0;
  Object.assign(state.calls, { account: 0, opportunity: 0, note: 0 });
  state.opportunityWrites.clear();
}

/** Leaves exactly this many calls of today's allowance. */
export function leaveCalls(state: MemoryCrmState, calls: number): void {
  state.quota.max = state.quota.used + calls;
}

/** A new day: the whole allowance again. */
export function newDay(state: MemoryCrmState): void {
  Object.assign(state.quota, { used: 0, max: 100_000 });
}

function recordsOf(state: MemoryCrmState, kind: MemoryKind): Values[] {
  return kind === 'account' ? [...state.accounts.values()] : [...state.opportunities.values()].map((o) => o.values);
}

/** An admin deletes a field, with its values; nothing happens when it does not exist. */
export function deleteField(state: MemoryCrmState, kind: MemoryKind, name: string): void {
  if (!state.fields[kind].delete(name)) return;
  for (const values of recordsOf(state, kind)) delete values[name];
}

/** An admin adds a field (unless one of that name exists). */
export function addField(state: MemoryCrmState, kind: MemoryKind, field: CrmField): void {
  if (!state.fields[kind].has(field.name)) state.fields[kind].set(field.name, field);
}

/** An admin changes a field's definition; `cut` is how stored values change with it. */
export function changeField(
  state: MemoryCrmState,
  kind: MemoryKind,
  name: string,
  change: Partial<Omit<CrmField, 'name'>>,
  cut?: (value: string) => string,
): void {
  const field = state.fields[kind].get(name);
  if (field === undefined) throw new Error(`no ${kind} field ${name}`);
  state.fields[kind].set(name, { ...field, ...change });
  if (cut === undefined) return;
  for (const values of recordsOf(state, kind)) {
    const value = values[name];
    if (typeof value === 'string') values[name] = cut(value);
  }
}
