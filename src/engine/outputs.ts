import { MOTION_LABELS, type Account, type Motion } from '../model/account.ts';
import type { Assessment, ExpansionOpportunity, Timing } from '../model/assessment.ts';

/**
 * Canonical outputs of one assessment, as the strings a CRM stores. Write mappings rename them to CRM
 * fields; nothing here knows a CRM field name.
 */
export type Outputs = Readonly<Record<string, string | null>>;

/** Days from asOf to the expected close, by timing: a pitch now closes in about a month. */
const CLOSE_OFFSET_DAYS: Record<Timing, number> = { now: 30, '30d': 60, '90d': 120, hold: 180 };

export function accountOutputs(assessment: Assessment): Outputs {
  // Only what is pitched: a withheld opportunity (renewal evaluation, ramping, watch) is no pipeline yet.
  const pitched = assessment.opportunities.filter((opp) => opp.withheld === undefined);
  const potential = pitched.reduce((sum, opp) => sum + opp.arrPotential, 0);
  const top = [...assessment.signals]
    .filter((signal) => signal.kind === 'expansion')
    .sort((a, b) => b.strength - a.strength)
    .slice(0, 3)
    .map((signal) => signal.id);
  return {
    score: String(Math.round(assessment.score)),
    health: assessment.health,
    timing: assessment.timing,
    potentialArr: String(Math.round(potential)),
    topSignals: top.join(';'),
    reasons: assessment.reasons.join('\n'),
    scoredAt: assessment.asOf,
  };
}

/** The cycle in an opportunity key: one expansion opportunity per account, motion and quarter. */
export function cycleOf(asOf: string): string {
  const [year, month] = asOf.split('-');
  return `${year}q${Math.floor((Number(month) - 1) / 3) + 1}`;
}

export function opportunityKey(options: {
  readonly system: string;
  readonly accountId: string;
  readonly motion: Motion;
  readonly module?: string | undefined;
  readonly cycle: string;
}): string {
  const module = options.module ? `-${options.module.toLowerCase().replace(/[^a-z0-9]+/g, '_')}` : '';
  return `${options.system}-${options.accountId}-${options.motion}${module}-${options.cycle}`;
}

export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

export interface OpportunityOutputOptions {
  readonly account: Account;
  readonly opportunity: ExpansionOpportunity;
  readonly key: string;
  readonly asOf: string;
  readonly pipeline: string;
  readonly stage: string;
  /** Module id -> the catalog's label, for a cross-sell's deal name; the id is used without one. */
  readonly moduleLabels?: Readonly<Record<string, string>>;
}

/**
 * `Acme · Seat expansion`, `Acme · Module cross-sell (Advanced Reporting)`. The name is written once, at
 * create, while the amount follows the sizing: so it carries nothing that changes (no seat count, no
 * amount) and can never contradict the deal's current figures.
 */
export function dealName(
  account: Account,
  opportunity: ExpansionOpportunity,
  moduleLabels: Readonly<Record<string, string>> = {},
): string {
  const id = opportunity.module;
  const label = id !== undefined && Object.hasOwn(moduleLabels, id) ? moduleLabels[id] : id;
  const module = opportunity.motion === 'module_cross_sell' && label !== undefined ? ` (${label})` : '';
  return `${account.name} · ${MOTION_LABELS[opportunity.motion]}${module}`;
}

export function opportunityOutputs(options: OpportunityOutputOptions): Outputs {
  const { account, opportunity } = options;
  return {
    name: dealName(account, opportunity, options.moduleLabels),
    amount: String(Math.round(opportunity.arrPotential)),
    stage: options.stage,
    pipeline: options.pipeline,
    closeDate: addDays(options.asOf, CLOSE_OFFSET_DAYS[opportunity.timing]),
    ownerId: account.ownerId ?? null,
    expansionKey: options.key,
    motion: opportunity.motion,
    probability: opportunity.probability.toFixed(2),
    signals: opportunity.signalIds.join(';'),
    expectedValue: String(Math.round(opportunity.expectedValue)),
  };
}

/**
 * A note is written once per material change of the recommendation, never once per run: the
 * fingerprint moves when the motion, module, seats, timing or size (to the nearest $100) changes.
 */
export function noteFingerprint(opportunity: ExpansionOpportunity): string {
  const parts = [
    opportunity.motion,
    opportunity.module ?? '',
    opportunity.seatsToAdd ?? '',
    opportunity.timing,
    Math.round(opportunity.arrPotential / 100),
  ];
  return fnv1a(parts.join('|'));
}

/** Small stable hash for keys (not security-relevant). */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
