import type { Evidence, Narrative } from '../model/assessment.ts';
import { citations, lowerFirst, plural } from './evidence.ts';
import { renewalIn, type RenewalFacts } from './renewal.ts';
import type { Evaluation } from './result.ts';
import { sustainedPhrase, type SeatEvidence } from './seat-utilization.ts';
import type { SeatSizing } from './sizing.ts';
import { trendSentence, type TrendFacts } from './usage-trend.ts';

export interface SeatNarrativeInput {
  readonly seat: SeatEvidence;
  readonly sizing: SeatSizing;
  readonly trend: Evaluation<TrendFacts>;
  readonly renewal: Evaluation<RenewalFacts>;
}

type Cite = (evidence: Evidence) => string;

/**
 * Talking points for a seat add in seed 000's shape: open with the customer's own numbers, then the
 * recommendation and its rationale, the impact for them, two or three likely objections, and a clear ask.
 * Every number is written through `cite`, so the narrative's evidence holds each number its text shows.
 */
export function seatAddNarrative(input: SeatNarrativeInput): Narrative {
  const cited = citations();
  const cite = cited.cite;
  const { seat } = input;
  const seats = input.sizing.evidence.seatsToAdd;
  const title = `Add ${plural(cite(seats), seats.value, 'seat')}: ${cite(seat.utilization)} seat utilization for ${sustainedPhrase(seat, cite)}`;
  const paragraphs = [
    opener(seat, cite),
    usageContext(input, cite),
    recommendation(input.sizing, seat, cite),
    impact(input, cite),
    objections(input, cite),
    `Next step: propose a short call this week with the team lead to confirm hiring plans and agree the seat count, then send a quote for ${plural(cite(seats), seats.value, 'seat')}.`,
  ].filter((p) => p.length > 0);
  // Read only now: the evidence list is complete once the text is written.
  return { title, body: paragraphs.join('\n\n'), evidence: [...cited.evidence] };
}

function opener(seat: SeatEvidence, cite: Cite): string {
  return [
    `Your team has been at ${cite(seat.utilization)} seat utilization for ${sustainedPhrase(seat, cite)} — here's what we're seeing.`,
    `${cite(seat.seatsUsed)} of ${cite(seat.licensedSeats)} licensed seats were in use on the latest day, and utilization has stayed around ${cite(seat.threshold)} or more for ${plural(cite(seat.daysSustained), seat.daysSustained.value, 'consecutive day')}.`,
  ].join(' ');
}

function usageContext(input: SeatNarrativeInput, cite: Cite): string {
  const parts: string[] = [];
  const { trend } = input;
  if (trend.evaluated) {
    const sentence = trendSentence(trend.evidence, cite);
    if (trend.direction === 'growth') parts.push(`${sentence}: the team is growing into the product.`);
    else if (trend.direction === 'decline') parts.push(`One caution: ${lowerFirst(sentence)}; ask what changed before proposing numbers.`);
    else parts.push(`${sentence}.`);
  } else {
    parts.push('Usage history is still short, so treat the sizing below as a first estimate.');
  }
  const growth = input.sizing.evidence.seatGrowthPerWeek;
  // Under half a seat a week is noise in a talking point, not a trend.
  if (growth.value >= 0.5) parts.push(`Seats in use are rising by about ${cite(growth)} a week.`);
  return parts.join(' ');
}

function recommendation(sizing: SeatSizing, seat: SeatEvidence, cite: Cite): string {
  const e = sizing.evidence;
  const lines = [
    `Recommendation: add ${plural(cite(e.seatsToAdd), e.seatsToAdd.value, 'seat')}, from ${cite(seat.licensedSeats)} to ${cite(e.targetSeats)}.`,
    `At the current pace the team will use about ${plural(cite(e.projectedSeats), e.projectedSeats.value, 'seat')} within ${cite(e.horizonDays)} days; with ${cite(e.headroom)} headroom that is ${cite(e.seatsWithHeadroom)}.`,
  ];
  if (sizing.capped) lines.push(`That pace would ask for more, so the recommendation stops at ${cite(e.maxAddShare)} of today's licence; revisit once the new seats fill.`);
  if (sizing.atMinimum) lines.push(`That leaves little to spare, so the recommendation is the minimum add of ${plural(cite(e.minSeats), e.minSeats.value, 'seat')}.`);
  const range = e.arrLow.value === e.arrHigh.value ? '' : ` (${cite(e.arrLow)} to ${cite(e.arrHigh)} depending on the headroom the team wants)`;
  lines.push(`At ${cite(e.seatPrice)} per seat a year, that is ${cite(e.arrPotential)} in added ARR${range}.`);
  return lines.join(' ');
}

function impact(input: SeatNarrativeInput, cite: Cite): string {
  const lines = ['Why it matters to them: at this level new colleagues wait for a seat or share logins, which slows adoption just as the product is proving its value. Adding seats ahead of demand keeps the team moving.'];
  const { renewal } = input;
  if (renewal.evaluated && renewal.phase === 'conversation') {
    lines.push(`With ${renewalIn(renewal.evidence, cite)}, settling the seat count now keeps the renewal itself simple.`);
  }
  return lines.join(' ');
}

/** Seed 000 asks for two or three likely objections, each with how to respond. */
function objections(input: SeatNarrativeInput, cite: Cite): string {
  const { seat, sizing, renewal } = input;
  const e = sizing.evidence;
  const lines = [
    'Likely objections:',
    `- If they ask whether idle seats could be reassigned instead: ${cite(seat.averageSeatsUsed)} seats were in use on average over the past week, so there is little slack to reassign.`,
    `- If they would rather wait until every seat is taken: with ${cite(e.headroom)} headroom the team needs ${plural(cite(e.seatsWithHeadroom), e.seatsWithHeadroom.value, 'seat')} within ${cite(e.horizonDays)} days, and waiting means new colleagues queue for access or share logins.`,
    renewal.evaluated && renewal.phase !== 'later'
      ? `- If the budget is set until renewal: with ${renewalIn(renewal.evidence, cite)}, offer to co-term the added seats so they renew with the contract and the cost this year is prorated.`
      : '- If the budget is set for the year: offer to co-term the added seats with the contract, so the cost this year is prorated and there is one renewal.',
  ];
  return lines.join('\n');
}
