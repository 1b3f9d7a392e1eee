import type { Evidence, ExpansionOpportunity, Narrative, Signal, Timing } from '../model/assessment.ts';
import { citations, plural, upperFirst } from './evidence.ts';
import { citeSummary, companyName, evidenceIn, fitTitle, planLabel, possessive, supportingSummaries, whenPhrase, withArticle } from './narrative-common.ts';
import type { AccountNarrativeInput, Cite } from './narrative-inputs.ts';
import { SIGNAL } from './signals/context.ts';
import { trendSentence } from './usage-trend.ts';

/**
 * The strong-account narratives: a QBR agenda (seed 000, prompt 3) that opens with value realized and
 * leads to the top opportunity as a recommendation from observed usage, and an outreach email draft
 * (seed 004's seat-limit template for a seat add; the same shape for a tier upgrade or a cross-sell).
 * They cite the account's signal evidence and the opportunities' own narrative evidence, through `cite`,
 * so every number shown is in the narrative's evidence. Durations and counts of things are words.
 */

const SIGN_OFF = 'Best,\nYour customer success manager';

/** The module's display label: its sizing evidence carries it; the id, tidied, otherwise. */
function moduleLabel(opportunity: ExpansionOpportunity): string {
  const label = evidenceIn(opportunity.narrative.evidence, 'module_list_price')?.comparison?.trim();
  if (label !== undefined && label.length > 0 && !/\d/.test(label)) return label;
  return (opportunity.module ?? 'the module').split(/[_-]+/).map(upperFirst).join(' ');
}

const targetPlanLabel = (opportunity: ExpansionOpportunity | undefined): string | undefined =>
  opportunity?.targetPlan === undefined || opportunity.targetPlan.trim() === '' ? undefined : planLabel(opportunity.targetPlan);

/** "adding 12 seats", "an upgrade to Enterprise", "adding Automation". */
function motionPhrase(opportunity: ExpansionOpportunity, cite: Cite): string {
  switch (opportunity.motion) {
    case 'seat_add': {
      const seats = evidenceIn(opportunity.narrative.evidence, 'seats_to_add');
      return seats === undefined ? 'adding seats' : `adding ${plural(cite(seats), seats.value, 'seat')}`;
    }
    case 'tier_upgrade': {
      const plan = targetPlanLabel(opportunity);
      return plan === undefined ? 'a plan upgrade' : `an upgrade to ${plan}`;
    }
    case 'module_cross_sell':
      return `adding ${moduleLabel(opportunity)}`;
  }
}

/** "12 of the 15 customers whose usage looks most like yours", from a cross-sell narrative's evidence. */
function peerPhrase(opportunity: ExpansionOpportunity, cite: Cite): string | undefined {
  const owning = evidenceIn(opportunity.narrative.evidence, 'nearest_peers_owning_module');
  const nearest = evidenceIn(opportunity.narrative.evidence, 'nearest_peers');
  if (owning === undefined || nearest === undefined || owning.value === 0) return undefined;
  return `${cite(owning)} of the ${plural(cite(nearest), nearest.value, 'customer')} whose usage looks most like yours`;
}

function utilizationOf(input: AccountNarrativeInput, top: ExpansionOpportunity | undefined): Evidence | undefined {
  if (input.seat.evaluated) return input.seat.evidence.utilization;
  return top === undefined ? undefined : evidenceIn(top.narrative.evidence, 'seat_utilization');
}

const powerUsers = (input: AccountNarrativeInput): Signal | undefined => input.supporting.find((s) => s.id === SIGNAL.powerUsers);

// ---------------------------------------------------------------------------------------------------
// QBR agenda

/**
 * A sixty-minute QBR in seed 000's prompt-3 shape: recognition of value realized, review of the
 * quarter, strategic priorities, the transition to expanded capability, the recommendation, next steps;
 * each with its time (in words) and discussion questions.
 */
export function qbrAgenda(input: AccountNarrativeInput): Narrative {
  const cited = citations();
  const cite = cited.cite;
  const company = companyName(input.account);
  const top = input.opportunities[0];
  const title = fitTitle(top === undefined ? `QBR agenda: ${upperFirst(company)}, value review` : `QBR agenda: ${upperFirst(company)}, leading to ${motionPhrase(top, cite)}`);
  const paragraphs = [
    `A sixty-minute review for ${company}: open with the value the team has realized in its own numbers, then lead to one recommendation drawn from observed usage.`,
    recognition(input, cite),
    review(input, cite),
    section('Strategic priorities', 'fifteen minutes', ['Let the customer lead; listen for growth, new teams and the outcomes they are measured on.'], [
      'What are your priorities for the next six to twelve months?',
      'Where is the team growing: new hires, new teams, new regions?',
      'What would make this year a success for you personally?',
    ]),
    transition(input, top, cite),
    recommendation(input, cite),
    nextSteps(input, top),
  ];
  return { title, body: paragraphs.join('\n\n'), evidence: [...cited.evidence] };
}

function section(name: string, minutes: string, points: readonly string[], questions: readonly string[]): string {
  const label = questions.length === 1 ? 'Discussion question' : 'Discussion questions';
  return [`${name} (${minutes}):`, ...points.map((p) => `- ${p}`), `${label}: ${questions.join(' ')}`].join('\n');
}

function recognition(input: AccountNarrativeInput, cite: Cite): string {
  const points: string[] = [];
  const { trend, seat } = input;
  if (trend.evaluated && trend.direction !== 'decline') points.push(`${trendSentence(trend.evidence, cite)}.`);
  if (seat.evaluated) {
    const e = seat.evidence;
    points.push(`${cite(e.seatsUsed)} of ${cite(e.licensedSeats)} licensed seats in use (${cite(e.utilization)}): the product is part of how the team works.`);
  }
  const power = powerUsers(input);
  const powerSummary = power === undefined ? undefined : citeSummary(power, cite);
  if (powerSummary !== undefined) points.push(`${upperFirst(powerSummary)}: name them and thank them.`);
  if (points.length === 0) points.push('Usage history is still short: ask the team which results they would point to.');
  return section('Recognition of value realized', 'ten minutes', points, ['Which of these results has mattered most to your team, and who noticed?']);
}

function review(input: AccountNarrativeInput, cite: Cite): string {
  const others = input.supporting.filter((s) => s.id !== SIGNAL.powerUsers);
  const points = supportingSummaries(others, cite).map((s) => `${upperFirst(s)}.`);
  const { trend } = input;
  if (trend.evaluated && trend.direction === 'decline') points.push(`Address it openly: ${trendSentence(trend.evidence, cite)}.`);
  const risk = input.risks[0];
  const riskSummary = risk === undefined ? undefined : citeSummary(risk, cite);
  if (riskSummary !== undefined) points.push(`Open concern to own before any proposal: ${riskSummary}.`);
  if (points.length === 0) points.push('Walk through what the team shipped or changed this quarter with the product, in their words.');
  return section('Review of the quarter', 'ten minutes', points, ['What did the team accomplish this quarter that it could not before?', 'What still takes longer than it should?']);
}

function transition(input: AccountNarrativeInput, top: ExpansionOpportunity | undefined, cite: Cite): string {
  const name = 'How expanded capability could accelerate those priorities';
  if (top === undefined) return section(name, 'ten minutes', ['Connect their priorities to what the team already does well in the product.'], ['Where would more of the same help most?']);
  switch (top.motion) {
    case 'seat_add': {
      const utilization = utilizationOf(input, top);
      const point = utilization === undefined ? 'Connect their growth plans to capacity: new colleagues should not wait for a seat.' : `Connect their growth plans to capacity: with ${cite(utilization)} of seats in use, new colleagues will wait for access.`;
      return section(name, 'ten minutes', [point], ['How many people do you expect to join the team before the renewal?']);
    }
    case 'tier_upgrade': {
      const plan = targetPlanLabel(top) ?? 'the next plan';
      return section(name, 'ten minutes', [`Connect their priorities to the ${plan} features the team has already started using.`], ['Which of these features would you want every team to have?']);
    }
    case 'module_cross_sell': {
      const label = moduleLabel(top);
      return section(name, 'ten minutes', [`Connect their priorities to the work ${label} would take off the team's hands.`], ['Where does the team still do this work by hand or in another tool?']);
    }
  }
}

function hypothesis(input: AccountNarrativeInput, opportunity: ExpansionOpportunity, cite: Cite): string {
  const e = opportunity.narrative.evidence;
  switch (opportunity.motion) {
    case 'seat_add': {
      const seats = evidenceIn(e, 'seats_to_add');
      const licensed = evidenceIn(e, 'licensed_seats');
      const target = evidenceIn(e, 'licensed_seats_after_add');
      const utilization = utilizationOf(input, opportunity);
      const size = seats !== undefined && licensed !== undefined && target !== undefined ? `add ${plural(cite(seats), seats.value, 'seat')}, from ${cite(licensed)} to ${cite(target)}` : 'add seats ahead of demand';
      const because = utilization === undefined ? 'seat use has stayed high' : `the team has been at ${cite(utilization)} of its licensed seats`;
      return `${upperFirst(size)}, because ${because} and growth should not wait for a seat.`;
    }
    case 'tier_upgrade': {
      const plan = targetPlanLabel(opportunity) ?? 'the next plan';
      return `Move to ${plan}, because the team already uses ${plan} features and would get them for every seat.`;
    }
    case 'module_cross_sell': {
      const label = moduleLabel(opportunity);
      const peers = peerPhrase(opportunity, cite);
      return peers === undefined ? `Add ${label}, because the team's usage shows the work it is built for.` : `Add ${label}, because ${peers} already use it.`;
    }
  }
}

function recommendation(input: AccountNarrativeInput, cite: Cite): string {
  const [top, second] = input.opportunities;
  const name = 'Recommendation from observed usage';
  if (top === undefined) return section(name, 'ten minutes', ['No expansion to propose yet: agree what the team wants to achieve next and how you will measure it.'], ['What would you need from us to get there?']);
  const points = [hypothesis(input, top, cite)];
  if (second !== undefined) points.push(`If time allows, a second idea: ${motionPhrase(second, cite)}.`);
  return section(name, 'ten minutes', points, ['Does this match what you see?', 'What would you need to see to move forward?']);
}

function nextSteps(input: AccountNarrativeInput, top: ExpansionOpportunity | undefined): string {
  const when = whenPhrase(input.timing);
  const points: string[] = [];
  switch (top?.motion) {
    case 'seat_add':
      points.push(`Agree the seat count and book the pricing conversation ${when}; send the quote after it.`);
      break;
    case 'tier_upgrade':
      points.push(`Offer ${withArticle(targetPlanLabel(top) ?? 'next-plan')} trial for the people already using those features, with success criteria agreed in the room.`, 'Propose an executive alignment call to agree the plan change.');
      break;
    case 'module_cross_sell':
      points.push(`Agree ${withArticle(moduleLabel(top))} pilot with one team and what success looks like; schedule the check-in before leaving the room.`);
      break;
    case undefined:
      points.push('Agree the goals for next quarter and book the next review.');
      break;
  }
  return section('Next steps', 'five minutes', points, ['Who else should be part of this decision, and when do we meet next?']);
}

// ---------------------------------------------------------------------------------------------------
// Outreach email

/** When to meet, as an email says it; a strong account is not on hold, but the wording stays sensible if one is. */
function emailWhen(timing: Timing): string {
  return timing === 'now' ? 'this week' : timing === '30d' ? 'in the next couple of weeks' : 'in the next few weeks';
}

/**
 * An outreach email draft. For a seat add it follows seed 004's "Expansion Email - Seat Limit" template;
 * a tier upgrade or a cross-sell gets the same shape. No template placeholders: it greets generically and
 * signs as the customer success manager, for the owner to personalise before sending.
 */
export function outreachEmail(input: AccountNarrativeInput): Narrative {
  const cited = citations();
  const cite = cited.cite;
  const top = input.opportunities[0];
  const product = input.productName.trim();
  const { title, paragraphs } =
    top?.motion === 'seat_add'
      ? seatEmail(input, top, cite)
      : top?.motion === 'tier_upgrade'
        ? tierEmail(input, top, cite)
        : top?.motion === 'module_cross_sell'
          ? crossSellEmail(input, top, cite)
          : { title: `Checking in on how your team uses ${product}`, paragraphs: [`I've been looking at how your team uses ${product} and would love to hear what you want to achieve next.`, `Would you have twenty minutes ${emailWhen(input.timing)} to catch up?`] };
  const body = ['Hi there,', ...paragraphs, SIGN_OFF, postScript(input, cite)].filter((p) => p.length > 0).join('\n\n');
  return { title: fitTitle(title), body, evidence: [...cited.evidence] };
}

interface Email {
  readonly title: string;
  readonly paragraphs: readonly string[];
}

/** "with about 6 more active users a day over the last 30 days than the 30 before", when the trend shows growth. */
function newUsersClause(input: AccountNarrativeInput, cite: Cite): string {
  const { trend } = input;
  if (!trend.evaluated) return '';
  const { lastMean, priorMean, windowDays } = trend.evidence;
  const added = Math.round(lastMean.value - priorMean.value);
  if (added < 1) return '';
  const evidence: Evidence = {
    metric: 'active_users_added',
    value: added,
    unit: 'users',
    window: lastMean.window,
    comparison: `daily mean active users ${lastMean.value} vs ${priorMean.value} in ${priorMean.window}`,
    source: 'derived',
  };
  const days = cite(windowDays);
  return `, with about ${plural(cite(evidence), added, 'more active user')} a day over the last ${days} days than the ${days} before`;
}

function seatEmail(input: AccountNarrativeInput, top: ExpansionOpportunity, cite: Cite): Email {
  const product = input.productName.trim();
  const company = companyName(input.account);
  const utilization = utilizationOf(input, top);
  const at = utilization === undefined ? "you're getting close to your licensed seats" : `you're now at ${cite(utilization)} of your licensed seats`;
  const tier = input.opportunities.find((o) => o.motion === 'tier_upgrade');
  const plan = targetPlanLabel(tier);
  const options = [
    '- Add seats à la carte: add exactly what you need, when you need it.',
    ...(plan === undefined ? [] : [`- Upgrade to ${plan}: unlock the ${plan} features your team has already started exploring, for every seat.`]),
    "- Annual commitment: lock in today's pricing with room to grow.",
  ];
  return {
    title: `Your team is growing! Let's talk about scaling ${product}`,
    paragraphs: [
      `I noticed your team's usage of ${product} has really taken off — ${at}${newUsersClause(input, cite)}.`,
      `This is great to see! It means ${product} is becoming essential to how ${company} works.`,
      ['As you approach your seat limit, I wanted to reach out proactively to discuss options:', ...options].join('\n'),
      `Would you have twenty minutes ${emailWhen(input.timing)} to discuss what makes the most sense for ${possessive(company)} growth plans?`,
    ],
  };
}

function tierEmail(input: AccountNarrativeInput, top: ExpansionOpportunity, cite: Cite): Email {
  const product = input.productName.trim();
  const company = companyName(input.account);
  const plan = targetPlanLabel(top) ?? 'our next plan';
  const utilization = input.seat.evaluated ? input.seat.evidence.utilization : undefined;
  const seats = utilization === undefined ? '' : `, and you're at ${cite(utilization)} of your licensed seats`;
  const { trend } = input;
  const growth = trend.evaluated && trend.direction === 'growth' ? ` ${trendSentence(trend.evidence, cite)}.` : '';
  return {
    title: `Getting more from ${product}: a look at ${plan}`,
    paragraphs: [
      `I noticed your team has started using features that come with our ${plan} plan${seats}.${growth}`,
      `That usually means ${product} has become part of how ${company} works, and the team is ready for more than its current plan covers.`,
      `I'd love to show you what ${plan} would add: the features your team is exploring today, available to everyone, plus the rest of the plan.`,
      `Would you have twenty minutes ${emailWhen(input.timing)} for a short walkthrough?`,
    ],
  };
}

function crossSellEmail(input: AccountNarrativeInput, top: ExpansionOpportunity, cite: Cite): Email {
  const product = input.productName.trim();
  const company = companyName(input.account);
  const label = moduleLabel(top);
  const peers = peerPhrase(top, cite);
  return {
    title: `An idea for ${company}: ${label}`,
    paragraphs: [
      `I've been looking at how your team uses ${product}, and one idea stood out: ${label}.${peers === undefined ? '' : ` ${upperFirst(peers)} already use it.`}`,
      `It works on the data already in ${product}, so there is nothing new to keep in sync, and it is built for work many teams still do by hand.`,
      `Would you have twenty minutes ${emailWhen(input.timing)} to see whether it fits ${possessive(company)} workflows?`,
    ],
  };
}

/** Seed 004's P.S.: the power users, when that signal fired. */
function postScript(input: AccountNarrativeInput, cite: Cite): string {
  const power = powerUsers(input);
  const summary = power === undefined ? undefined : citeSummary(power, cite);
  if (summary === undefined) return '';
  return `P.S. I also noticed a few people on your team have become real power users (${summary}). Happy to connect them with our advanced training if helpful!`;
}
