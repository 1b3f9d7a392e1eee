import type { Narrative } from '../model/assessment.ts';
import type { ViewObject } from '../templates/view.ts';
import { plural } from './evidence.ts';
import {
  citeSummary,
  featureLabel,
  listOf,
  noteCitations,
  planLabel,
  renderNarrative,
  renewalView,
  riskSummary,
  sentence,
  supportingSentences,
  trendView,
  whenPhrase,
  withArticle,
} from './narrative-common.ts';
import type { Cite, TierNarrativeInput } from './narrative-inputs.ts';

/** How many explored features the title names; the body names them all. */
const TITLE_FEATURES = 2;

/**
 * Talking points for a tier upgrade in seed 000's shape, written to the AE: the line to open with (the
 * higher-plan features the team already uses), the next rung with its sizing, the impact, two or three
 * likely objections and the ask. The words are templates/tier-upgrade.hbs; every number goes through `cite`.
 */
export function tierUpgradeNarrative(input: TierNarrativeInput): Narrative {
  const cited = noteCitations(input.config);
  const cite = cited.cite;
  const explored = new Set(input.exploredFeatures);
  const next = planLabel(input.next.name);
  const plan = input.account.plan?.trim() ?? '';
  const current = plan === '' ? '' : planLabel(plan);
  const features = input.exploredFeatures.map(featureLabel).filter((f) => f.length > 0);
  const rest = input.next.features
    .filter((f) => !explored.has(f))
    .map(featureLabel)
    .filter((f) => f.length > 0);
  const graduation = citeSummary(input.graduation, cite);
  const view: ViewObject = {
    next,
    nextWithArticle: withArticle(next),
    current,
    currentOrPlan: current === '' ? 'their current plan' : current,
    features: listOf(features),
    titleFeatures: listOf(features.slice(0, TITLE_FEATURES)),
    featuresOrPlan: features.length > 0 ? listOf(features) : `the ${next} features`,
    rest: listOf(rest),
    graduation: graduation === undefined ? '' : sentence(graduation),
    ...sizingView(input, cite),
    when: whenPhrase(input.timing),
    trend: trendView(input.trend, cite),
    renewal: renewalView(input.renewal, cite),
    risk: riskSummary(input.risks, cite),
    supporting: supportingSentences(input.supporting, cite),
  };
  return renderNarrative({ name: 'tier-upgrade', view, cited, config: input.config });
}

function sizingView(input: TierNarrativeInput, cite: Cite): ViewObject {
  const { sizing } = input;
  const e = sizing.evidence;
  const rangeLow = sizing.arrLow !== sizing.arrPotential;
  const rangeHigh = sizing.arrHigh !== sizing.arrPotential;
  return {
    licensed: plural(cite(e.seats), e.seats.value, 'licensed seat'),
    inUseCount: cite(e.seatsInUse),
    inUse: plural(cite(e.seatsInUse), e.seatsInUse.value, 'seat'),
    nextSeatPrice: cite(e.nextSeatPrice),
    currentSeatPrice: cite(e.currentSeatPrice),
    arrPotential: cite(e.arrPotential),
    rangeLow,
    arrLow: rangeLow ? cite(e.arrLow) : '',
    rangeHigh,
    arrHigh: rangeHigh ? cite(e.arrHigh) : '',
    headroomSeats: rangeHigh ? plural(cite(e.seatsWithHeadroom), e.seatsWithHeadroom.value, 'seat') : '',
  };
}
