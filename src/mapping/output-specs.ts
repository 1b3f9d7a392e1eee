import { HealthSchema, TimingSchema } from '../model/assessment.ts';
import { MotionSchema } from '../model/account.ts';
import type { Entity } from './vocabulary.ts';

/**
 * How a field the worker creates is shaped, whatever the CRM: each connector translates it to its own
 * types (connectors/hubspot/property-catalog.ts, connectors/salesforce/field-catalog.ts).
 */
export type CreatedShape = 'score' | 'probability' | 'money' | 'short-text' | 'long-text' | 'date' | 'enum' | 'key';

/** A field the worker creates when a write mapping names one that does not exist. */
export interface CreatedField {
  readonly label: string;
  readonly description: string;
  readonly shape: CreatedShape;
}

/**
 * The one catalog of written outputs: what each holds, so a check can tell whether a CRM field can take
 * it, and for the outputs the worker creates fields for, how that field looks. Enum values come from the
 * canonical zod schemas.
 */
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
  /** Present when the worker creates the field; absent for the CRM's standard fields (name, amount, stage). */
  readonly created?: CreatedField;
}

const created = (label: string, description: string, shape: CreatedShape): { readonly created: CreatedField } => ({
  created: { label, description, shape },
});

export const OUTPUT_SPECS: Readonly<Record<Entity, Readonly<Record<string, OutputSpec>>>> = {
  account: {
    score: {
      kind: 'number',
      ...created('Expansion score', 'Expansion readiness, 0 to 100, set by expansion-sync.', 'score'),
    },
    health: {
      kind: 'enum',
      values: HealthSchema.options,
      ...created('Expansion health', 'green, yellow or red; red means retention first. Set by expansion-sync.', 'enum'),
    },
    timing: {
      kind: 'enum',
      values: TimingSchema.options,
      ...created('Expansion timing', 'When to start the expansion conversation: now, 30d, 90d or hold.', 'enum'),
    },
    potentialArr: {
      kind: 'number',
      ...created(
        'Expansion potential ARR',
        'ARR of the sized expansion opportunities. Set by expansion-sync.',
        'money',
      ),
    },
    // The engine joins the signals with ";" (src/engine/outputs.ts), as HubSpot multi-selects do.
    topSignals: {
      kind: 'text',
      maxLength: 255,
      ...created('Expansion top signals', 'The strongest expansion signals, ;-separated.', 'short-text'),
    },
    reasons: {
      kind: 'text',
      maxLength: 4_000,
      ...created('Expansion reasons', 'Why the account scored as it did, citing its own numbers.', 'long-text'),
    },
    scoredAt: {
      kind: 'date',
      ...created('Expansion scored at', 'The date of the last scoring by expansion-sync.', 'date'),
    },
  },
  opportunity: {
    name: { kind: 'text', maxLength: 120 },
    amount: { kind: 'number' },
    stage: { kind: 'text', picklistOk: true },
    pipeline: { kind: 'text', picklistOk: true },
    closeDate: { kind: 'date' },
    ownerId: { kind: 'owner' },
    expansionKey: {
      kind: 'text',
      maxLength: 120,
      key: true,
      ...created(
        'Expansion key',
        'Deterministic key of an expansion-sync opportunity (account, motion, cycle). Do not edit.',
        'key',
      ),
    },
    motion: {
      kind: 'enum',
      values: MotionSchema.options,
      ...created('Expansion motion', 'seat_add, tier_upgrade or module_cross_sell. Set by expansion-sync.', 'enum'),
    },
    probability: {
      kind: 'number',
      ...created(
        'Expansion win probability',
        'Estimated win probability, 0 to 1. Set by expansion-sync.',
        'probability',
      ),
    },
    signals: {
      kind: 'text',
      maxLength: 255,
      ...created('Expansion signals', 'The signals behind this opportunity, ;-separated.', 'short-text'),
    },
    expectedValue: {
      kind: 'number',
      ...created('Expansion expected value', 'Potential ARR times win probability. Set by expansion-sync.', 'money'),
    },
  },
};

/** The catalog entry of an output the worker creates a field for, or undefined. */
export function createdOutput(
  entity: Entity,
  from: string,
): (OutputSpec & { readonly created: CreatedField }) | undefined {
  const spec = OUTPUT_SPECS[entity][from];
  return spec?.created ? { ...spec, created: spec.created } : undefined;
}
