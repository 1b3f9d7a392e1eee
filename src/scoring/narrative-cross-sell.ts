import type { Evidence, Narrative, Signal } from '../model/assessment.ts';
import type { ViewObject } from '../templates/view.ts';
import { plural, wholePercent } from './evidence.ts';
import {
  citeSummary,
  featureLabel,
  listOf,
  noteCitations,
  renderNarrative,
  renewalView,
  riskSummary,
  sentence,
  supportingSentences,
  trendView,
  whenPhrase,
} from './narrative-common.ts';
import type { Cite, CrossSellNarrativeInput } from './narrative-inputs.ts';

/**
 * Talking points for a module cross-sell in seed 000's shape, written to the AE. It leads with behavior:
 * the workaround the module replaces, or the adjacent-feature use that preceded adoption for other
 * customers; never with a usage trend. Resemblance to adopters is mentioned only when it supports the
 * deal (lift and probability at the cross-sell thresholds), and then as the deal's own probability, so
 * the note and the deal show one number. Peers are never named or counted. The words are
 * templates/cross-sell.hbs; every number goes through `cite`.
 */
export function crossSellNarrative(input: CrossSellNarrativeInput): Narrative {
  const cited = noteCitations(input.config);
  const cite = cited.cite;
  const { module } = input;
  const resemblance = supportsDeal(input);
  const view: ViewObject = {
    module: module.label,
    outcome: module.outcome,
    workarounds: listOf(module.workarounds.map(featureLabel)),
    adjacent: listOf(module.adjacent.map(featureLabel)),
    behavior: behaviorView(input.workaround, input.milestone, cite),
    resemblance,
    probability: resemblance ? cite(dealProbability(input.probability)) : '',
    sizing: sizingView(input, cite),
    when: whenPhrase(input.timing),
    trend: trendView(input.trend, cite),
    renewal: renewalView(input.renewal, cite),
    risk: riskSummary(input.risks, cite),
    supporting: supportingSentences(input.supporting, cite),
  };
  return renderNarrative({ name: 'cross-sell', view, cited, config: input.config });
}

/** Looking like the module's adopters supports the deal only above the thresholds the cross-sell itself uses. */
function supportsDeal(input: CrossSellNarrativeInput): boolean {
  const { affinity } = input;
  const { minLift, minProbability } = input.config.crossSell;
  return affinity !== undefined && affinity.lift >= minLift && affinity.probability >= minProbability;
}

/** The deal's win probability, as the CRM deal shows it. */
function dealProbability(probability: number): Evidence {
  return {
    metric: 'deal_probability',
    value: wholePercent(probability),
    unit: 'percent',
    window: 'this run',
    comparison: 'win probability of the cross-sell deal',
    source: 'derived',
  };
}

function behaviorView(workaround: Signal | undefined, milestone: Signal | undefined, cite: Cite): ViewObject {
  const workaroundSummary = workaround === undefined ? undefined : citeSummary(workaround, cite);
  const milestoneSummary = milestone === undefined ? undefined : citeSummary(milestone, cite);
  const hasWorkaround = workaroundSummary !== undefined;
  const hasMilestone = milestoneSummary !== undefined;
  return {
    workaround: hasWorkaround,
    milestone: hasMilestone,
    both: hasWorkaround && hasMilestone,
    milestoneOnly: hasMilestone && !hasWorkaround,
    workaroundSummary: workaroundSummary === undefined ? '' : sentence(workaroundSummary),
    milestoneSummary: milestoneSummary === undefined ? '' : sentence(milestoneSummary),
  };
}

function sizingView(input: CrossSellNarrativeInput, cite: Cite): ViewObject {
  const { sizing } = input;
  const e = sizing.evidence;
  const discounted = sizing.arrLow !== sizing.arrPotential;
  const headroom = sizing.arrHigh !== sizing.arrPotential;
  return {
    listPrice: cite(e.listPrice),
    perSeat: e.seats !== undefined,
    seats: e.seats === undefined ? '' : plural(cite(e.seats), e.seats.value, 'licensed seat'),
    minPrice: e.minPrice === undefined ? '' : cite(e.minPrice),
    arrPotential: cite(e.arrPotential),
    discounted,
    arrLow: discounted ? cite(e.arrLow) : '',
    discount: discounted ? cite(e.discount) : '',
    headroom,
    arrHigh: headroom ? cite(e.arrHigh) : '',
  };
}
