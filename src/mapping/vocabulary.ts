import { MotionSchema } from '../model/account.ts';

/**
 * The canonical fields a mapping may read into and write from, per entity. Fixed here (not in the
 * mapping files) because scoring and planning are written against exactly these names.
 */
export type ValueKind = 'text' | 'number' | 'integer' | 'date' | 'boolean';

export interface TargetSpec {
  readonly kind: ValueKind;
  /** A list of values (split from one CRM field). */
  readonly list?: boolean;
  /** Smallest allowed number. */
  readonly min?: number;
  /** The only values allowed. */
  readonly oneOf?: readonly string[];
  /** For messages: what the worker uses it for. */
  readonly about: string;
}

export const ENTITIES = ['account', 'opportunity'] as const;
export type Entity = (typeof ENTITIES)[number];

export const ACCOUNT_READ_TARGETS = {
  name: { kind: 'text', about: 'company name' },
  domain: { kind: 'text', about: 'web domain, joins usage when usage.joinOn is domain' },
  ownerId: { kind: 'text', about: 'CRM owner id' },
  arr: { kind: 'number', min: 0, about: 'annual recurring revenue' },
  licensedSeats: { kind: 'integer', min: 0, about: 'seats under contract' },
  plan: { kind: 'text', about: 'plan or tier name' },
  modulesOwned: { kind: 'text', list: true, about: 'modules the account already has' },
  renewalDate: { kind: 'date', about: 'next renewal date' },
  customerSince: { kind: 'date', about: 'when the first contract started: a newer customer is still ramping' },
  employees: { kind: 'integer', min: 0, about: 'company headcount' },
  usageKey: { kind: 'text', about: 'joins usage when usage.joinOn is usageKey' },
  headcountGrowth: { kind: 'number', min: -1, about: 'enrichment: year-over-year headcount growth as a fraction' },
  nps: { kind: 'number', min: 0, about: 'latest NPS response, 0-10' },
  csat: { kind: 'number', min: 0, about: 'CSAT, percent satisfied' },
  openEscalations: { kind: 'integer', min: 0, about: 'open support escalations' },
  paymentOverdueDays: { kind: 'integer', min: 0, about: 'days the oldest unpaid invoice is past due' },
  championDepartedOn: { kind: 'date', about: 'when the champion left' },
  executiveEngagedOn: { kind: 'date', about: 'latest meeting with a customer executive' },
} as const satisfies Record<string, TargetSpec>;

/** What `dealType` reads into: the CRM's standard deal type, reduced to whether it is an expansion. */
export const DEAL_TYPES = ['expansion', 'other'] as const;

export const OPPORTUNITY_READ_TARGETS = {
  expansionKey: { kind: 'text', about: 'the deterministic key of a deal the worker created' },
  motion: { kind: 'text', oneOf: MotionSchema.options, about: 'expansion motion' },
  name: { kind: 'text', about: 'deal name' },
  stage: { kind: 'text', about: 'deal stage' },
  amount: { kind: 'number', min: 0, about: 'deal amount' },
  closeDate: { kind: 'date', about: 'expected close date' },
  ownerId: { kind: 'text', about: 'CRM owner id' },
  dealType: {
    kind: 'text',
    oneOf: DEAL_TYPES,
    about: "the CRM's deal type as expansion or other: an AE's expansion deal is read for its outcome",
  },
} as const satisfies Record<string, TargetSpec>;

export const ACCOUNT_WRITE_SOURCES = [
  'score',
  'health',
  'timing',
  'potentialArr',
  'topSignals',
  'reasons',
  'scoredAt',
] as const;

export const OPPORTUNITY_WRITE_SOURCES = [
  'name',
  'amount',
  'stage',
  'pipeline',
  'closeDate',
  'ownerId',
  'expansionKey',
  'motion',
  'probability',
  'signals',
  'expectedValue',
] as const;

export const READ_TARGETS: Readonly<Record<Entity, Readonly<Record<string, TargetSpec>>>> = {
  account: ACCOUNT_READ_TARGETS,
  opportunity: OPPORTUNITY_READ_TARGETS,
};
export const WRITE_SOURCES: Readonly<Record<Entity, readonly string[]>> = {
  account: ACCOUNT_WRITE_SOURCES,
  opportunity: OPPORTUNITY_WRITE_SOURCES,
};

export const WRITE_POLICIES = ['always', 'if-empty', 'unless-edited', 'create-only'] as const;
export type WritePolicy = (typeof WRITE_POLICIES)[number];
