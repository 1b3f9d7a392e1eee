import type { Evidence, Narrative } from '../model/assessment.ts';
import type { ViewObject } from '../templates/view.ts';
import { plural } from './evidence.ts';
import {
  companyName,
  noteCitations,
  renderNarrative,
  renewalView,
  riskSummary,
  supportingSentences,
  trendView,
  whenPhrase,
} from './narrative-common.ts';
import type { Cite, SeatNarrativeInput } from './narrative-inputs.ts';
import { sustainedPhrase } from './seat-utilization.ts';
import type { SeatSizing } from './sizing.ts';

export type { SeatNarrativeInput } from './narrative-inputs.ts';

/**
 * Talking points for a seat add in seed 000's shape, written to the AE: the line to open with (the
 * customer's own numbers), the recommendation and why that size, the impact for them, two or three
 * likely objections, and the ask. The words are templates/seat-add.hbs; every number in the view is
 * written through `cite`, so the narrative's evidence holds each number its text shows.
 */
export function seatAddNarrative(input: SeatNarrativeInput): Narrative {
  const cited = noteCitations(input.config);
  const cite = cited.cite;
  const { seat } = input;
  const seats = (e: Evidence): string => plural(cite(e), e.value, 'seat');
  const view: ViewObject = {
    company: companyName(input.account),
    when: whenPhrase(input.timing),
    seat: {
      utilization: cite(seat.utilization),
      sustained: sustainedPhrase(seat, cite),
      seatsUsed: cite(seat.seatsUsed),
      licensedSeats: cite(seat.licensedSeats),
      threshold: cite(seat.threshold),
      daysSustained: plural(cite(seat.daysSustained), seat.daysSustained.value, 'day'),
      averageSeatsUsed: cite(seat.averageSeatsUsed),
    },
    sizing: sizingView(input.sizing, { cite, seats }),
    trend: trendView(input.trend, cite),
    renewal: renewalView(input.renewal, cite),
    risk: riskSummary(input.risks, cite),
    supporting: supportingSentences(input.supporting, cite),
  };
  return renderNarrative({ name: 'seat-add', view, cited, config: input.config });
}

interface Writers {
  readonly cite: Cite;
  /** `12 seats`, cited. */
  readonly seats: (e: Evidence) => string;
}

function sizingView(sizing: SeatSizing, text: Writers): ViewObject {
  const { cite, seats } = text;
  const e = sizing.evidence;
  const range = sizing.seatsLow !== sizing.seatsHigh;
  return {
    seatsToAdd: seats(e.seatsToAdd),
    targetSeats: cite(e.targetSeats),
    seatPrice: cite(e.seatPrice),
    arrPotential: cite(e.arrPotential),
    recentDays: cite(e.recentDays),
    seatsUsedP90: cite(e.seatsUsedP90),
    targetUtilization: cite(e.targetUtilization),
    // Worth a clause only when hiring, a trend or the cap moved it off the target.
    afterShown: e.utilizationAfter.value !== e.targetUtilization.value,
    utilizationAfter: e.utilizationAfter.value === e.targetUtilization.value ? '' : cite(e.utilizationAfter),
    hiring: sizing.hiring,
    hiringSeats: sizing.hiring ? plural(cite(e.hiringSeats), e.hiringSeats.value, 'more seat') : '',
    trend: sizing.trendProjected,
    trendSeats: sizing.trendProjected ? plural(cite(e.trendSeats), e.trendSeats.value, 'more seat') : '',
    horizonDays: sizing.trendProjected ? cite(e.horizonDays) : '',
    capped: sizing.capped,
    maxAddShare: sizing.capped ? cite(e.maxAddShare) : '',
    range,
    seatsLow: range ? seats(e.seatsLow) : '',
    seatsHigh: range ? seats(e.seatsHigh) : '',
    arrLow: range ? cite(e.arrLow) : '',
    arrHigh: range ? cite(e.arrHigh) : '',
  };
}
