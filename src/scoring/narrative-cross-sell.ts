import type { Narrative } from '../model/assessment.ts';
import type { AffinityEvidence } from './affinity.ts';
import { citations, plural } from './evidence.ts';
import { bulletList, citeSummary, fitTitle, objectionsParagraph, riskObjection, sentence, supportingSummaries, whenPhrase, type Objection } from './narrative-common.ts';
import type { Cite, CrossSellNarrativeInput } from './narrative-inputs.ts';
import { renewalIn } from './renewal.ts';
import { trendSentence } from './usage-trend.ts';

/**
 * Talking points for a module cross-sell in seed 000's shape: open with the customer's own usage (the
 * workaround the module replaces) and how similar customers use the module, recommend it with its
 * sizing, frame the impact, answer two or three objections and make a clear ask. Peers are counted,
 * never named: the text is meant to be said to the customer. Every number goes through `cite`.
 */
export function crossSellNarrative(input: CrossSellNarrativeInput): Narrative {
  const cited = citations();
  const cite = cited.cite;
  const label = input.module.label;
  const peers = input.affinity?.evidence;
  const title = fitTitle(peers !== undefined && peers.adopterNeighbours.value > 0 ? `Add ${label}: ${peerCount(peers, cite)} use it` : `Add ${label}: ${input.module.outcome}`);
  const paragraphs = [
    opener(input, cite),
    recommendation(input, cite),
    impact(input, cite),
    objectionsParagraph(objections(input, cite)),
    nextStep(input),
  ];
  // Read only now: the evidence list is complete once the text is written.
  return { title, body: paragraphs.join('\n\n'), evidence: [...cited.evidence] };
}

/** "12 of the 15 most similar customers" */
function peerCount(peers: AffinityEvidence, cite: Cite): string {
  return `${cite(peers.adopterNeighbours)} of the ${plural(cite(peers.neighbours), peers.neighbours.value, 'most similar customer')}`;
}

function opener(input: CrossSellNarrativeInput, cite: Cite): string {
  const { module } = input;
  const sentences: string[] = [];
  const workaround = input.workaround === undefined ? undefined : citeSummary(input.workaround, cite);
  if (workaround !== undefined) sentences.push(`Here's what we're seeing in your team's own usage: ${sentence(workaround)}`);
  else if (input.trend.evaluated) sentences.push(`Here's what we're seeing in your team's own usage: ${sentence(trendSentence(input.trend.evidence, cite))}`);
  else sentences.push(`Your team's usage shows work that ${module.label} is built to take on — here's what we're seeing.`);
  const peers = input.affinity?.evidence;
  if (peers !== undefined && peers.adopterNeighbours.value > 0) {
    sentences.push(`${cite(peers.adopterNeighbours)} of the ${plural(cite(peers.neighbours), peers.neighbours.value, 'customer')} whose usage looks most like yours already use ${module.label}.`);
  }
  sentences.push(`With ${module.label}, the team gets ${module.outcome}.`);
  return sentences.join(' ');
}

function recommendation(input: CrossSellNarrativeInput, cite: Cite): string {
  const { module, sizing } = input;
  const e = sizing.evidence;
  const seats = e.seats;
  const price = seats === undefined ? `${cite(e.listPrice)} a year` : `${cite(e.listPrice)} per seat a year for ${plural(cite(seats), seats.value, 'licensed seat')}`;
  const lines = [`Recommendation: add ${module.label} at ${price}, which is ${cite(e.arrPotential)} in added ARR at list${range(input, cite)}.`];
  const affinity = input.affinity?.evidence;
  if (affinity !== undefined) {
    lines.push(`Weighted by how common ${module.label} is across our ${plural(cite(affinity.portfolio), affinity.portfolio.value, 'customer')} (${cite(affinity.adopters)} own it), the usage match puts the fit at ${cite(affinity.probability)}.`);
  }
  if (input.workaround !== undefined) lines.push(`The rationale is the team's own behaviour: the workaround above is the work ${module.label} replaces.`);
  return [lines.join(' '), bulletList('Other signals point the same way:', supportingSummaries(input.supporting, cite))].filter((p) => p.length > 0).join('\n');
}

function range(input: CrossSellNarrativeInput, cite: Cite): string {
  const { sizing } = input;
  const e = sizing.evidence;
  const parts: string[] = [];
  if (sizing.arrLow !== sizing.arrPotential) parts.push(`${cite(e.arrLow)} after the usual ${cite(e.discount)} discount`);
  if (sizing.arrHigh !== sizing.arrPotential) parts.push(`${cite(e.arrHigh)} with seat headroom`);
  return parts.length === 0 ? '' : ` (${parts.join(', up to ')})`;
}

function impact(input: CrossSellNarrativeInput, cite: Cite): string {
  const { module } = input;
  const lines = [`Why it matters to them: ${module.label} means ${module.outcome}.`];
  lines.push(
    input.workaround !== undefined
      ? 'The time the team spends on that workaround today goes back to the work itself, and the results stop living in side files only one person understands.'
      : 'It extends what the team already does in the product instead of adding another tool to keep in sync.',
  );
  const { renewal } = input;
  if (renewal.evaluated && renewal.phase === 'conversation') lines.push(`With ${renewalIn(renewal.evidence, cite)}, adding it now means it is proven before the renewal conversation.`);
  return lines.join(' ');
}

function objections(input: CrossSellNarrativeInput, cite: Cite): Objection[] {
  const { module, sizing } = input;
  const e = sizing.evidence;
  const list: Objection[] = [
    input.workaround !== undefined
      ? { says: 'We manage fine the way we do it now.', respond: `Show them their own numbers from the usage above and ask what that work costs each month; offer a short trial so they can measure the time ${module.label} saves.` }
      : { says: "We're not sure we need it.", respond: `Ask where the team spends manual effort today; ${module.label} gives the team ${module.outcome}, and a short trial with one team will answer the question with their own results.` },
    {
      says: "It isn't in this year's budget.",
      respond:
        sizing.arrLow !== sizing.arrPotential
          ? `Start from ${cite(e.arrLow)} after the usual discount, or a pilot with one team, and co-term it with the contract so there is one renewal.`
          : 'Offer a pilot with one team first, and co-term it with the contract so there is one renewal.',
    },
  ];
  const risk = input.risks[0];
  const riskFirst = risk === undefined ? undefined : riskObjection(risk, cite);
  list.push(riskFirst ?? { says: 'We already have another tool for that.', respond: `Ask what it costs to keep data in sync between the two; ${module.label} works on the data already in the product, with no exports or imports in between.` });
  return list;
}

function nextStep(input: CrossSellNarrativeInput): string {
  const label = input.module.label;
  return `Next step: propose a short ${label} demo ${whenPhrase(input.timing)} with the people doing this work today. The ask: agree a trial with one team and what success looks like, then send a quote for ${label}.`;
}
