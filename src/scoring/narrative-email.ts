import type { Evidence, ExpansionOpportunity, Narrative, Timing } from '../model/assessment.ts';
import type { ViewObject } from '../templates/view.ts';
import { plural } from './evidence.ts';
import { citeSummary, companyName, noteCitations, ownerName, possessive, renderNarrative } from './narrative-common.ts';
import type { AccountNarrativeInput, Cite } from './narrative-inputs.ts';
import {
  behaviorPhrase,
  moduleLabel,
  moduleOf,
  powerUsers,
  targetPlanLabel,
  utilizationOf,
} from './narrative-opportunity.ts';
import { trendSentence } from './usage-trend.ts';

/** When to meet, as an email says it; a strong account is not on hold, but the wording stays sensible if one is. */
function emailWhen(timing: Timing): string {
  return timing === 'now' ? 'this week' : timing === '30d' ? 'in the next couple of weeks' : 'in the next few weeks';
}

/**
 * An outreach email draft for a strong account, addressed to the customer. For a seat add it follows
 * seed 004's "Expansion Email - Seat Limit"; a tier upgrade or a cross-sell gets the same shape. It signs
 * with the account owner's name from the CRM, and with a neutral sign-off only when there is none.
 * The words are templates/outreach-email.hbs; every number goes through `cite`.
 */
export function outreachEmail(input: AccountNarrativeInput): Narrative {
  const cited = noteCitations(input.config);
  const cite = cited.cite;
  const top = input.opportunities[0];
  const company = companyName(input.account, 'your team');
  const utilization = top?.motion === 'module_cross_sell' ? undefined : utilizationOf(input, top);
  const behavior = top?.motion === 'module_cross_sell' ? behaviorPhrase(top, input.config, cite) : undefined;
  const { trend } = input;
  const growing = top?.motion === 'tier_upgrade' && trend.evaluated && trend.direction === 'growth';
  const growth = growing ? trendSentence(trend.evidence, cite) : '';
  const power = powerUsers(input);
  const view: ViewObject = {
    product: input.productName.trim(),
    company,
    companyPossessive: possessive(company),
    owner: ownerName(input.account),
    when: emailWhen(input.timing),
    seatAdd: top?.motion === 'seat_add',
    tierUpgrade: top?.motion === 'tier_upgrade',
    crossSell: top?.motion === 'module_cross_sell',
    none: top === undefined,
    utilization: utilization === undefined ? '' : cite(utilization),
    ...newUsers(input, top?.motion === 'seat_add', cite),
    upgradePlan: top?.motion === 'seat_add' ? targetPlanLabel(input.opportunities.find(isTierUpgrade)) : '',
    plan: top?.motion === 'tier_upgrade' ? targetPlanLabel(top) || 'our next plan' : '',
    growth,
    module: top?.motion === 'module_cross_sell' ? moduleLabel(top, input.config) : '',
    outcome: moduleOf(top, input.config)?.outcome ?? '',
    behavior: behavior?.text ?? '',
    powerUsers: (power === undefined ? undefined : citeSummary(power, cite)) ?? '',
  };
  return renderNarrative({ name: 'outreach-email', view, cited, config: input.config });
}

const isTierUpgrade = (o: ExpansionOpportunity): boolean => o.motion === 'tier_upgrade';

/** "22 more active users" a day, last window vs the one before, when the trend is about users and grew. */
function newUsers(input: AccountNarrativeInput, wanted: boolean, cite: Cite): { newUsers: string; trendDays: string } {
  const { trend } = input;
  const none = { newUsers: '', trendDays: '' };
  if (!wanted || !trend.evaluated || trend.evidence.lastMean.unit !== 'users') return none;
  const { lastMean, priorMean, windowDays } = trend.evidence;
  const added = Math.round(lastMean.value - priorMean.value);
  if (added < 1) return none;
  const evidence: Evidence = {
    metric: 'active_users_added',
    value: added,
    unit: 'users',
    window: lastMean.window,
    comparison: `daily mean active users ${lastMean.value} vs ${priorMean.value} in ${priorMean.window}`,
    source: 'derived',
  };
  return { newUsers: plural(cite(evidence), added, 'more active user'), trendDays: cite(windowDays) };
}
