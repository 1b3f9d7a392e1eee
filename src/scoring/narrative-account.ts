import type { ExpansionOpportunity, Narrative } from '../model/assessment.ts';
import type { ViewObject } from '../templates/view.ts';
import { lowerFirst, plural, upperFirst } from './evidence.ts';
import {
  citeSummary,
  companyName,
  evidenceIn,
  noteCitations,
  renderNarrative,
  riskSummary,
  supportingSentences,
  whenPhrase,
  withArticle,
} from './narrative-common.ts';
import type { AccountNarrativeInput, Cite } from './narrative-inputs.ts';
import {
  behaviorPhrase,
  moduleLabel,
  motionPhrase,
  powerUsers,
  targetPlanLabel,
  utilizationOf,
} from './narrative-opportunity.ts';
import { SIGNAL } from './signals/context.ts';
import { trendSentence } from './usage-trend.ts';

export { outreachEmail } from './narrative-email.ts';

/**
 * The QBR agenda for a strong account (seed 000, prompt three), written to the AE: it opens with value
 * realized and leads to the top opportunity as a recommendation from observed usage. It cites the
 * account's signal evidence and the opportunities' own narrative evidence through `cite`, so every
 * number shown is in its evidence. The words are templates/qbr-agenda.hbs.
 */
export function qbrAgenda(input: AccountNarrativeInput): Narrative {
  const cited = noteCitations(input.config);
  const cite = cited.cite;
  const company = companyName(input.account);
  const [top, second] = input.opportunities;
  const view: ViewObject = {
    company,
    Company: upperFirst(company),
    leadingTo: top === undefined ? '' : motionPhrase(top, cite, input.config),
    recognition: recognitionView(input, cite),
    review: reviewView(input, cite),
    top: topView(input, top, cite),
    second: second === undefined ? '' : motionPhrase(second, cite, input.config),
    when: whenPhrase(input.timing),
  };
  return renderNarrative({ name: 'qbr-agenda', view, cited, config: input.config });
}

function recognitionView(input: AccountNarrativeInput, cite: Cite): ViewObject {
  const { trend, seat } = input;
  const trendText = trend.evaluated && trend.direction === 'growth' ? trendSentence(trend.evidence, cite) : '';
  const power = powerUsers(input);
  const powerText = (power === undefined ? undefined : citeSummary(power, cite)) ?? '';
  const seats = seat.evaluated ? seat.evidence : undefined;
  return {
    trend: trendText,
    seats: seats !== undefined,
    seatsUsed: seats === undefined ? '' : cite(seats.seatsUsed),
    licensedSeats: seats === undefined ? '' : cite(seats.licensedSeats),
    utilization: seats === undefined ? '' : cite(seats.utilization),
    powerUsers: upperFirst(powerText),
    empty: trendText === '' && seats === undefined && powerText === '',
  };
}

function reviewView(input: AccountNarrativeInput, cite: Cite): ViewObject {
  const points = supportingSentences(
    input.supporting.filter((s) => s.id !== SIGNAL.powerUsers),
    cite,
  );
  const { trend } = input;
  const declining = trend.evaluated && trend.direction === 'decline';
  const decline = declining ? lowerFirst(trendSentence(trend.evidence, cite)) : '';
  const risk = riskSummary(input.risks, cite);
  return { points, decline, risk, empty: points.length === 0 && decline === '' && risk === '' };
}

function topView(input: AccountNarrativeInput, top: ExpansionOpportunity | undefined, cite: Cite): ViewObject {
  const utilization = top?.motion === 'seat_add' ? utilizationOf(input, top) : undefined;
  const e = top?.narrative.evidence ?? [];
  const seats = top?.motion === 'seat_add' ? evidenceIn(e, 'seats_to_add') : undefined;
  const licensed = evidenceIn(e, 'licensed_seats');
  const target = evidenceIn(e, 'licensed_seats_after_add');
  const sized = seats !== undefined && licensed !== undefined && target !== undefined;
  const plan = targetPlanLabel(top);
  const module = top?.motion === 'module_cross_sell' ? moduleLabel(top, input.config) : '';
  const behavior = top?.motion === 'module_cross_sell' ? behaviorPhrase(top, input.config, cite) : undefined;
  return {
    seatAdd: top?.motion === 'seat_add',
    tierUpgrade: top?.motion === 'tier_upgrade',
    crossSell: top?.motion === 'module_cross_sell',
    none: top === undefined,
    utilization: utilization === undefined ? '' : cite(utilization),
    seats: sized ? plural(cite(seats), seats.value, 'seat') : '',
    licensedSeats: sized ? cite(licensed) : '',
    targetSeats: sized ? cite(target) : '',
    plan: plan === '' ? 'the next plan' : plan,
    planWithArticle: withArticle(plan === '' ? 'next-plan' : plan),
    module,
    moduleWithArticle: module === '' ? '' : withArticle(module),
    behavior: behavior?.text ?? '',
    milestone: behavior?.milestone ?? false,
  };
}
