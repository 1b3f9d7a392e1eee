/**
 * How each canonical output is stored when the worker has to create the HubSpot property for it.
 * Property types and field types as documented for the Properties API:
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
export interface PropertySpec {
  readonly label: string;
  readonly description: string;
  readonly type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  readonly fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'booleancheckbox';
  readonly options?: ReadonlyArray<{ readonly label: string; readonly value: string }>;
  /** Only the expansion key: the deal upsert key must be unique (`hasUniqueValue`, immutable once set). */
  readonly unique?: boolean;
}

const choice = (values: readonly string[]): ReadonlyArray<{ label: string; value: string }> => values.map((value, i) => ({ label: value, value, displayOrder: i }));

export const COMPANY_OUTPUTS: Readonly<Record<string, PropertySpec>> = {
  score: { label: 'Expansion score', description: 'Expansion readiness, 0-100, from expansion-sync.', type: 'number', fieldType: 'number' },
  health: { label: 'Expansion health', description: 'green, yellow or red; red means retention first.', type: 'enumeration', fieldType: 'select', options: choice(['green', 'yellow', 'red']) },
  timing: { label: 'Expansion timing', description: 'When to start the expansion conversation: now, 30d, 90d or hold.', type: 'enumeration', fieldType: 'select', options: choice(['now', '30d', '90d', 'hold']) },
  potentialArr: { label: 'Expansion potential ARR', description: 'Sum of the sized expansion opportunities.', type: 'number', fieldType: 'number' },
  topSignals: { label: 'Expansion top signals', description: 'The strongest expansion signals, ;-separated.', type: 'string', fieldType: 'text' },
  reasons: { label: 'Expansion reasons', description: 'Why the account scored as it did, citing its own numbers.', type: 'string', fieldType: 'textarea' },
  scoredAt: { label: 'Expansion scored at', description: 'Date the score fields last changed.', type: 'date', fieldType: 'date' },
};

export const DEAL_OUTPUTS: Readonly<Record<string, PropertySpec>> = {
  expansionKey: { label: 'Expansion key', description: 'Deterministic key of an expansion-sync deal (account, motion, cycle). Do not edit.', type: 'string', fieldType: 'text', unique: true },
  motion: { label: 'Expansion motion', description: 'seat_add, tier_upgrade or module_cross_sell.', type: 'enumeration', fieldType: 'select', options: choice(['seat_add', 'tier_upgrade', 'module_cross_sell']) },
  probability: { label: 'Expansion win probability', description: 'Estimated win probability, 0-1.', type: 'number', fieldType: 'number' },
  signals: { label: 'Expansion signals', description: 'Signals behind this deal, ;-separated.', type: 'string', fieldType: 'text' },
  expectedValue: { label: 'Expansion expected value', description: 'Potential ARR x win probability.', type: 'number', fieldType: 'number' },
};
