import type { Narrative } from '../model/assessment.ts';
import { citations, plural } from './evidence.ts';
import { bulletList, citeSummary, featureLabel, fitTitle, listOf, objectionsParagraph, planLabel, riskObjection, sentence, supportingSummaries, whenPhrase, withArticle, type Objection } from './narrative-common.ts';
import type { Cite, TierNarrativeInput } from './narrative-inputs.ts';
import { renewalIn } from './renewal.ts';
import { trendSentence } from './usage-trend.ts';

/** How many explored features the title names; the body names them all. */
const TITLE_FEATURES = 2;

interface Names {
  readonly next: string;
  readonly current: string | undefined;
  /** Higher-plan features the team explored, as the text says them. */
  readonly features: readonly string[];
  /** What else the next plan brings that the team has not tried yet. */
  readonly rest: readonly string[];
}

/**
 * Talking points for a tier upgrade in seed 000's shape: open with the higher-plan features the team
 * already uses, recommend the next rung with its sizing, frame the impact, answer two or three likely
 * objections and make a clear ask. Every number goes through `cite`.
 */
export function tierUpgradeNarrative(input: TierNarrativeInput): Narrative {
  const cited = citations();
  const cite = cited.cite;
  const explored = new Set(input.exploredFeatures);
  const names: Names = {
    next: planLabel(input.next.name),
    current: input.account.plan === undefined || input.account.plan.trim() === '' ? undefined : planLabel(input.account.plan),
    features: input.exploredFeatures.map(featureLabel).filter((f) => f.length > 0),
    rest: input.next.features.filter((f) => !explored.has(f)).map(featureLabel).filter((f) => f.length > 0),
  };
  const shown = names.features.slice(0, TITLE_FEATURES);
  const why = shown.length > 0 ? `the team already uses ${listOf(shown)}` : `the team is exploring ${names.next} features`;
  const title = fitTitle(`Upgrade ${names.current === undefined ? '' : `from ${names.current} `}to ${names.next}: ${why}`);
  const paragraphs = [
    opener(input, names, cite),
    recommendation(input, names, cite),
    impact(input, names, cite),
    objectionsParagraph(objections(input, names, cite)),
    nextStep(input, names, cite),
  ];
  // Read only now: the evidence list is complete once the text is written.
  return { title, body: paragraphs.join('\n\n'), evidence: [...cited.evidence] };
}

function opener(input: TierNarrativeInput, names: Names, cite: Cite): string {
  const on = names.current === undefined ? '' : ` while still on ${names.current}`;
  const sentences = [
    names.features.length > 0
      ? `Your team is already using ${names.next} features${on}: ${listOf(names.features)} — here's what we're seeing.`
      : `Your team has started reaching for features that come with ${names.next}${on} — here's what we're seeing.`,
  ];
  const graduation = citeSummary(input.graduation, cite);
  if (graduation !== undefined) sentences.push(sentence(graduation));
  if (input.trend.evaluated) sentences.push(sentence(trendSentence(input.trend.evidence, cite)));
  const e = input.sizing.evidence;
  if (sentences.length < 3) sentences.push(`${cite(e.seatsInUse)} of ${cite(e.seats)} licensed seats are in use today.`);
  return sentences.slice(0, 3).join(' ');
}

function recommendation(input: TierNarrativeInput, names: Names, cite: Cite): string {
  const e = input.sizing.evidence;
  const from = names.current ?? 'their current plan';
  const lines = [
    `Recommendation: move the ${plural(cite(e.seats), e.seats.value, 'licensed seat')} from ${from} to ${names.next}, at ${cite(e.nextSeatPrice)} per seat a year instead of ${cite(e.currentSeatPrice)}.`,
    `That is ${cite(e.arrPotential)} in added ARR${range(input, cite)}.`,
    'The case comes from observed usage, not a pitch: the team found these features on its own.',
  ];
  if (names.rest.length > 0) lines.push(`${names.next} also brings ${listOf(names.rest)}.`);
  return [lines.join(' '), bulletList('Other signals point the same way:', supportingSummaries(input.supporting, cite))].filter((p) => p.length > 0).join('\n');
}

function range(input: TierNarrativeInput, cite: Cite): string {
  const { sizing } = input;
  const e = sizing.evidence;
  const parts: string[] = [];
  if (sizing.arrLow !== sizing.arrPotential) parts.push(`${cite(e.arrLow)} if only the ${plural(cite(e.seatsInUse), e.seatsInUse.value, 'seat')} in use today move`);
  if (sizing.arrHigh !== sizing.arrPotential) parts.push(`${cite(e.arrHigh)} with headroom to ${plural(cite(e.seatsWithHeadroom), e.seatsWithHeadroom.value, 'seat')}`);
  return parts.length === 0 ? '' : ` (${parts.join(', up to ')})`;
}

function impact(input: TierNarrativeInput, names: Names, cite: Cite): string {
  const what = names.features.length > 0 ? listOf(names.features) : `${names.next} features`;
  const lines = [
    `Why it matters to them: the team is already building its work around ${what}. On ${names.next} those become part of the plan for everyone, so the people relying on them today are not working around limits tomorrow, and the rest of the team can follow.`,
  ];
  if (input.trend.evaluated && input.trend.direction === 'growth') lines.push('With usage growing, the gap between what the team needs and what its plan covers only widens.');
  const { renewal } = input;
  if (renewal.evaluated && renewal.phase === 'conversation') lines.push(`With ${renewalIn(renewal.evidence, cite)}, folding the upgrade into the renewal keeps one contract and one conversation.`);
  return lines.join(' ');
}

function objections(input: TierNarrativeInput, names: Names, cite: Cite): Objection[] {
  const { sizing } = input;
  const e = sizing.evidence;
  const what = names.features.length > 0 ? listOf(names.features) : `the ${names.next} features`;
  const list: Objection[] = [
    {
      says: 'The per-seat price is too high.',
      respond:
        sizing.arrLow !== sizing.arrPotential
          ? `Anchor on the seats in use: moving only the ${plural(cite(e.seatsInUse), e.seatsInUse.value, 'active seat')} is ${cite(e.arrLow)} a year, and the rest can follow at renewal.`
          : `Tie the step to ${what}, which the team already depends on, and offer to phase the upgrade in at renewal.`,
    },
    {
      says: 'We only need one or two of those features.',
      respond:
        names.rest.length > 0
          ? `Ask which workflows depend on ${what}; ${names.next} also includes ${listOf(names.rest)}, so weigh the plan against all of it, not one feature.`
          : `Ask which workflows depend on ${what} and what it costs the team to work without them.`,
    },
  ];
  const risk = input.risks[0];
  const riskFirst = risk === undefined ? undefined : riskObjection(risk, cite);
  if (riskFirst !== undefined) list.push(riskFirst);
  else list.push(timingObjection(input, names, cite));
  return list;
}

function timingObjection(input: TierNarrativeInput, names: Names, cite: Cite): Objection {
  const { renewal } = input;
  if (renewal.evaluated && renewal.phase !== 'later') {
    return { says: "Let's revisit this at renewal.", respond: `With ${renewalIn(renewal.evidence, cite)}, offer to make ${names.next} part of the renewal itself, so the team is not waiting and there is one decision to make.` };
  }
  return { says: 'Now is not the right time.', respond: `Offer a time-boxed trial of ${names.next} for the people already using these features, with success criteria agreed up front, so the decision rests on their own results.` };
}

function nextStep(input: TierNarrativeInput, names: Names, cite: Cite): string {
  const e = input.sizing.evidence;
  const focus = names.features.length > 0 ? `, focused on ${listOf(names.features)}` : '';
  return `Next step: propose ${withArticle(names.next)} walkthrough with the team lead ${whenPhrase(input.timing)}${focus}. The ask: agree whether to move all ${plural(cite(e.seats), e.seats.value, 'seat')} or start with the people using these features, then send a quote for ${names.next}.`;
}
