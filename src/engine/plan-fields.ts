/**
 * The field-level rules of the write-back contract (DESIGN.md "Write-back"): send a field only when the
 * new value differs from what we last wrote and from what the CRM holds, and never overwrite a value a
 * person changed since our last write unless the field's policy says so. Clearing a field is such a change.
 */
import type { WritePolicy } from '../mapping/vocabulary.ts';

export type { WritePolicy };

export interface FieldInput {
  readonly field: string;
  readonly policy: WritePolicy;
  /** What we want the CRM to hold (already formatted as the CRM stores it). */
  readonly desired: string | null;
  /** What the CRM holds now; undefined when the record does not exist yet. */
  readonly current: string | null | undefined;
  /** What we last wrote; undefined when we never wrote this field. */
  readonly ledger: string | null | undefined;
  readonly creating: boolean;
  /**
   * The CRM field did not exist before this run: provisioning (re)created it, so it is empty because it is
   * new, not because a person cleared it.
   */
  readonly createdThisRun?: boolean;
}

export type FieldDecision =
  | { readonly action: 'write'; readonly field: string; readonly from: string | null; readonly to: string | null }
  | { readonly action: 'unchanged'; readonly field: string }
  | {
      readonly action: 'conflict';
      readonly field: string;
      readonly ours: string | null;
      readonly theirs: string | null;
      readonly wanted: string | null;
    }
  | { readonly action: 'kept'; readonly field: string; readonly reason: 'create-only' | 'if-empty' };

export type Normalize = (field: string, value: string | null | undefined) => string | null;

const isEmpty = (value: string | null | undefined): boolean => value === null || value === undefined || value === '';

export function decideField(input: FieldInput, normalize: Normalize): FieldDecision {
  const { field } = input;
  const desired = normalize(field, input.desired);
  if (input.creating) return { action: 'write', field, from: null, to: input.desired };
  const current = normalize(field, input.current);
  if (desired === current) return { action: 'unchanged', field };
  switch (input.policy) {
    case 'always':
      return { action: 'write', field, from: current, to: input.desired };
    case 'create-only':
      return { action: 'kept', field, reason: 'create-only' };
    case 'if-empty':
      return isEmpty(current)
        ? { action: 'write', field, from: current, to: input.desired }
        : { action: 'kept', field, reason: 'if-empty' };
    case 'unless-edited': {
      if (isEmpty(current)) {
        // Empty where we last wrote a value: a person cleared it, and a clear is an edit like any other.
        // Unless the field is new this run: provisioning (re)created it, so nobody can have cleared it.
        const ours = input.ledger === undefined ? null : normalize(field, input.ledger);
        if (ours !== null && input.createdThisRun !== true)
          return { action: 'conflict', field, ours, theirs: null, wanted: input.desired };
        return { action: 'write', field, from: current, to: input.desired };
      }
      // We never wrote this field, yet it holds a value: a person (or another tool) owns it.
      if (input.ledger === undefined)
        return { action: 'conflict', field, ours: null, theirs: current, wanted: input.desired };
      const ours = normalize(field, input.ledger);
      if (ours !== current) return { action: 'conflict', field, ours, theirs: current, wanted: input.desired };
      return { action: 'write', field, from: current, to: input.desired };
    }
  }
}

/** Numbers compare numerically and timestamps as instants, so "12000" and "12000.0" are the same value. */
export function defaultNormalize(_field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return String(Number(trimmed));
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) {
    const ms = Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  return trimmed;
}
