/**
 * The custom fields the worker writes, as Metadata API CustomField definitions
 * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm), keyed by
 * the canonical output a write mapping takes them from. Provisioning creates them through the Tooling
 * API under whatever API name the mapping gives; `setup salesforce --print` prints the same definitions.
 */
export interface CustomFieldSpec {
  readonly label: string;
  readonly description: string;
  readonly type: 'Text' | 'LongTextArea' | 'Number' | 'Currency' | 'Date' | 'Picklist';
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly visibleLines?: number;
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly picklist?: readonly string[];
}

const picklist = (label: string, description: string, values: readonly string[]): CustomFieldSpec => ({ label, description, type: 'Picklist', picklist: values });

export const ACCOUNT_FIELDS: Readonly<Record<string, CustomFieldSpec>> = {
  score: { label: 'Expansion Score', description: 'Expansion readiness, 0 to 100, set by expansion-sync.', type: 'Number', precision: 3, scale: 0 },
  health: picklist('Expansion Health', 'green, yellow or red; red means retention first. Set by expansion-sync.', ['green', 'yellow', 'red']),
  timing: picklist('Expansion Timing', 'When to start the expansion conversation: now, 30d, 90d or hold. Set by expansion-sync.', ['now', '30d', '90d', 'hold']),
  potentialArr: { label: 'Expansion Potential ARR', description: 'ARR of the sized expansion opportunities. Set by expansion-sync.', type: 'Currency', precision: 16, scale: 2 },
  topSignals: { label: 'Expansion Top Signals', description: 'The strongest signals, comma-separated. Set by expansion-sync.', type: 'Text', length: 255 },
  reasons: { label: 'Expansion Reasons', description: 'Why the account scored as it did, citing its own usage. Set by expansion-sync.', type: 'LongTextArea', length: 32768, visibleLines: 5 },
  scoredAt: { label: 'Expansion Scored At', description: 'The date of the last scoring by expansion-sync.', type: 'Date' },
};

export const OPPORTUNITY_FIELDS: Readonly<Record<string, CustomFieldSpec>> = {
  // External ID + Unique: the upsert key, so reruns, retries and crashes never create a second opportunity.
  expansionKey: { label: 'Expansion Key', description: 'Deterministic key of an opportunity created by expansion-sync (account, motion, cycle).', type: 'Text', length: 120, externalId: true, unique: true },
  motion: picklist('Expansion Motion', 'seat_add, tier_upgrade or module_cross_sell. Set by expansion-sync.', ['seat_add', 'tier_upgrade', 'module_cross_sell']),
  probability: { label: 'Expansion Win Probability', description: 'Estimated win probability, 0 to 1. Set by expansion-sync.', type: 'Number', precision: 3, scale: 2 },
  signals: { label: 'Expansion Signals', description: 'The signals behind the opportunity. Set by expansion-sync.', type: 'Text', length: 255 },
  expectedValue: { label: 'Expansion Expected Value', description: 'Potential ARR times win probability. Set by expansion-sync.', type: 'Currency', precision: 16, scale: 2 },
};

/** The Tooling API body for one field: `{FullName: 'Account.X__c', Metadata: {...}}`. */
export function customFieldBody(object: string, name: string, spec: CustomFieldSpec): { FullName: string; Metadata: Record<string, unknown> } {
  const { picklist: values, ...rest } = spec;
  const metadata: Record<string, unknown> = { ...rest };
  if (values) metadata['valueSet'] = { restricted: false, valueSetDefinition: { sorted: false, value: values.map((v) => ({ fullName: v, label: v, default: false })) } };
  return { FullName: `${object}.${name}`, Metadata: metadata };
}
