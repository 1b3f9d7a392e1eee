import { HealthSchema, TimingSchema } from '../model/assessment.ts';
import { MotionSchema } from '../model/account.ts';
import type { Entity } from './vocabulary.ts';

/** What a written output holds, so a check can tell whether a CRM field can take it. */
export interface OutputSpec {
  readonly kind: 'number' | 'date' | 'enum' | 'text' | 'owner';
  /** enum: every value the worker writes; the field's picklist must hold them all. */
  readonly values?: readonly string[];
  /** text: the longest value the worker writes; a shorter field is truncated, with a warning. */
  readonly maxLength?: number;
  /** text that may go into a picklist (the configured stage or pipeline: the CRM checks the value). */
  readonly picklistOk?: boolean;
  /** The upsert key: the field must be unique (HubSpot) or an External ID (Salesforce). */
  readonly key?: boolean;
}

export const OUTPUT_SPECS: Readonly<Record<Entity, Readonly<Record<string, OutputSpec>>>> = {
  account: {
    score: { kind: 'number' },
    health: { kind: 'enum', values: HealthSchema.options },
    timing: { kind: 'enum', values: TimingSchema.options },
    potentialArr: { kind: 'number' },
    topSignals: { kind: 'text', maxLength: 255 },
    reasons: { kind: 'text', maxLength: 4_000 },
    scoredAt: { kind: 'date' },
  },
  opportunity: {
    name: { kind: 'text', maxLength: 120 },
    amount: { kind: 'number' },
    stage: { kind: 'text', picklistOk: true },
    pipeline: { kind: 'text', picklistOk: true },
    closeDate: { kind: 'date' },
    ownerId: { kind: 'owner' },
    expansionKey: { kind: 'text', maxLength: 120, key: true },
    motion: { kind: 'enum', values: MotionSchema.options },
    probability: { kind: 'number' },
    signals: { kind: 'text', maxLength: 255 },
    expectedValue: { kind: 'number' },
  },
};
