import type { Motion } from '../model/account.ts';
import type { Assessment, ExpansionOpportunity, Signal } from '../model/assessment.ts';
import {
  count,
  firstSentence,
  money,
  motionName,
  ownerLabel,
  percent,
  scoreOutOfTen,
  signalName,
  TIMING_NAME,
} from './format.ts';
import type { Alert, AlertEntry, AlertField, AlertSection } from './types.ts';

/** The account an alert is about, as the run knows it. */
export interface AlertAccount {
  readonly id: string;
  readonly name: string;
  readonly ownerId?: string;
  /** The owner's name, when the CRM's owner list gave one; the id is shown otherwise. */
  readonly ownerName?: string;
  /** Current ARR, when the CRM holds it. */
  readonly arr?: number;
}

export interface OpportunityAlertInput {
  readonly account: AlertAccount;
  readonly assessment: Assessment;
  readonly opportunity: ExpansionOpportunity;
  /** The configured currency (scoring.pricing.currency): every amount is in it. */
  readonly currency: string;
}

/** How many of the opportunity's signals the alert discusses. */
const TOP_SIGNALS = 3;

interface Approach {
  readonly name: string;
  describe(o: ExpansionOpportunity): string;
  questions(o: ExpansionOpportunity): readonly string[];
}

/** Seed 004's "Suggested Approach" per motion, with its discovery questions. */
const APPROACH: Readonly<Record<Motion, Approach>> = {
  seat_add: {
    name: 'Seat expansion',
    describe: (o) =>
      `Add ${o.seatsToAdd === undefined ? 'seats' : count(o.seatsToAdd, 'seat')} ahead of demand so new colleagues are not waiting for access or sharing logins; offer an annual commitment with growth headroom.`,
    questions: () => [
      'How many people will join the team over the next quarter?',
      'Who is waiting for a seat or sharing a login today?',
      'Would adding seats now or at renewal suit your budget cycle better?',
    ],
  },
  tier_upgrade: {
    name: 'Tier upgrade',
    describe: (o) =>
      `Show how ${o.targetPlan ?? 'the next plan'} removes the limits the team is already working around, priced against the value of the features they are reaching for.`,
    questions: (o) => [
      `Which ${o.targetPlan ?? 'next-plan'} capabilities would the team use first?`,
      'Where are you hitting the limits of your current plan?',
      'Who else needs to sign off on a plan change?',
    ],
  },
  module_cross_sell: {
    name: 'Cross-sell',
    describe: (o) =>
      `Introduce ${o.module ?? 'the module'} as the replacement for the workaround the team runs today, with peers that already own it as the proof point.`,
    questions: (o) => [
      `How is the team handling ${o.module ?? 'this'} work today?`,
      'What would it be worth to stop the workaround?',
      'Who owns that process and should join the conversation?',
    ],
  },
};

/** account+motion+module: one alert per opportunity, however many runs see it. */
export function opportunityAlertKey(
  accountId: string,
  opportunity: { readonly motion: Motion; readonly module?: string | undefined },
): string {
  return `${accountId}|${opportunity.motion}|${opportunity.module ?? ''}`;
}

/**
 * Seed 004's "Expansion Opportunity Alert", filled from our data: the headline facts and score, why now
 * (the timing reason), what to discuss (the opportunity's strongest signals), the approach for its motion
 * with an opening line from the talking points, and the account context.
 */
export function opportunityAlert(input: OpportunityAlertInput): Alert {
  const { account, assessment, opportunity } = input;
  const tier = opportunity.priority?.tier ?? 'unranked';
  return {
    kind: 'opportunity',
    title: '💰 EXPANSION OPPORTUNITY DETECTED',
    summary:
      `New ${tier} expansion opportunity: ${account.name}: ${motionName(opportunity)}, ` +
      `${money(opportunity.arrPotential, input.currency)} potential ARR`,
    fields: headlineFields(input),
    sections: [
      { entries: [{ text: opportunity.narrative.title }] },
      { heading: '⏰ Why Now', entries: whyNow(assessment, opportunity).map((text) => ({ text, bullet: true })) },
      { heading: '📊 Signals Detected', entries: discussed(assessment, opportunity) },
      approachSection(opportunity),
      contextSection(assessment, opportunity),
    ],
    footer: `Signal detected: ${assessment.asOf}`,
    ...(account.ownerId === undefined ? {} : { ownerId: account.ownerId }),
    key: opportunityAlertKey(account.id, opportunity),
    data: opportunityData(input),
  };
}

function headlineFields({ account, assessment, opportunity, currency }: OpportunityAlertInput): AlertField[] {
  const m = (value: number): string => money(value, currency);
  const range =
    opportunity.arrLow === opportunity.arrHigh ? '' : ` (${m(opportunity.arrLow)}–${m(opportunity.arrHigh)})`;
  const priority = opportunity.priority;
  return [
    { label: 'Account', value: account.name },
    ...(account.arr === undefined ? [] : [{ label: 'Current ARR', value: m(account.arr) }]),
    { label: 'Potential Expansion', value: `${m(opportunity.arrPotential)}${range}: ${motionName(opportunity)}` },
    { label: 'Owner', value: ownerLabel(account) },
    { label: 'Opportunity Score', value: `${scoreOutOfTen(assessment.score)} ⭐` },
    { label: 'Timing', value: TIMING_NAME[opportunity.timing] },
    ...(priority ? [{ label: 'Priority', value: `${priority.tier} (#${priority.rank} in the portfolio)` }] : []),
    {
      label: 'Expected Value',
      value: `${m(opportunity.expectedValue)} at ${percent(opportunity.probability)} probability`,
    },
  ];
}

const TIMING_REASON = /^(Now|Within the month|In about three months|Hold):/;

/** The timing reason the scorer gave, and the renewal when it frames the conversation. */
function whyNow(assessment: Assessment, opportunity: ExpansionOpportunity): string[] {
  const reasons = assessment.reasons.filter((r) => TIMING_REASON.test(r));
  const renewal = assessment.signals.find((s) => s.id === 'renewal_window' && !opportunity.signalIds.includes(s.id));
  const lines = [...reasons, ...(renewal ? [renewal.summary] : [])];
  return lines.length > 0
    ? lines
    : [`${TIMING_NAME[opportunity.timing]}: the opportunity's signals are firing on a ${assessment.health} account.`];
}

/** The opportunity's own signals, strongest first: what to discuss. */
function discussed(assessment: Assessment, opportunity: ExpansionOpportunity): AlertEntry[] {
  const own = new Set(opportunity.signalIds);
  const signals = assessment.signals.filter((s) => own.has(s.id) || (s.kind === 'expansion' && own.size === 0));
  return strongest(signals, TOP_SIGNALS).map((s) => ({
    label: `${signalName(s.id)} (${percent(s.strength)} strength)`,
    text: s.summary,
  }));
}

function strongest(signals: readonly Signal[], limit: number): Signal[] {
  return [...signals].sort((a, b) => b.strength - a.strength || a.id.localeCompare(b.id)).slice(0, limit);
}

function approachSection(opportunity: ExpansionOpportunity): AlertSection {
  const approach = APPROACH[opportunity.motion];
  const opener = firstSentence(opportunity.narrative.body);
  return {
    heading: `💡 Recommended Approach: ${approach.name}`,
    entries: [
      { text: approach.describe(opportunity) },
      ...(opener ? [{ label: 'Suggested Opening:', text: `“${opener}”` }] : []),
      { label: 'Key Questions to Ask:' },
      ...approach.questions(opportunity).map((text) => ({ text, bullet: true })),
    ],
  };
}

function contextSection(assessment: Assessment, opportunity: ExpansionOpportunity): AlertSection {
  const allRisks = assessment.signals.filter((s) => s.kind === 'risk');
  const expansion = assessment.signals.length - allRisks.length;
  const risks = strongest(allRisks, 2);
  return {
    heading: '📈 Account Context',
    fields: [
      { label: 'Health', value: assessment.health },
      { label: 'Readiness Score', value: `${Math.round(assessment.score)}/100` },
      { label: 'Win Probability', value: percent(opportunity.probability) },
      { label: 'Signals', value: `${expansion} expansion, ${allRisks.length} risk` },
    ],
    entries: risks.map((s) => ({ label: `⚠️ ${signalName(s.id)}`, text: s.summary })),
  };
}

function opportunityData({
  account,
  assessment,
  opportunity,
  currency,
}: OpportunityAlertInput): Record<string, unknown> {
  return {
    accountId: account.id,
    accountName: account.name,
    ...(account.ownerId === undefined ? {} : { ownerId: account.ownerId }),
    ...(account.ownerName === undefined ? {} : { ownerName: account.ownerName }),
    currency,
    ...(account.arr === undefined ? {} : { currentArr: account.arr }),
    asOf: assessment.asOf,
    score: assessment.score,
    health: assessment.health,
    motion: opportunity.motion,
    ...(opportunity.module === undefined ? {} : { module: opportunity.module }),
    ...(opportunity.targetPlan === undefined ? {} : { targetPlan: opportunity.targetPlan }),
    arrPotential: opportunity.arrPotential,
    arrLow: opportunity.arrLow,
    arrHigh: opportunity.arrHigh,
    probability: opportunity.probability,
    expectedValue: opportunity.expectedValue,
    timing: opportunity.timing,
    ...(opportunity.priority ? { priority: opportunity.priority } : {}),
    title: opportunity.narrative.title,
    signals: opportunity.signalIds,
  };
}
