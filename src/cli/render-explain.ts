import { ownerLabel, WITHHELD_LABEL } from '../format.ts';
import type { Assessment, Evidence, ExpansionOpportunity, Narrative, Signal } from '../model/assessment.ts';
import { formatEvidence } from '../scoring/evidence.ts';
import type { StoredAssessment } from '../state/store.ts';
import { money, motionLabel, pct } from './format.ts';
import { mustStabilize, rankedOpportunities, withheldOf, type Urgency } from './pipeline-model.ts';
import { terminalSafe } from './terminal-text.ts';

export interface ExplainInput {
  readonly stored: StoredAssessment;
  readonly assessment: Assessment;
  readonly urgency: Urgency;
  /** The configured currency (scoring.pricing.currency): every amount is in it. */
  readonly currency: string;
}

const UNIT_WORDS: Readonly<Record<Evidence['unit'], string>> = {
  percent: '',
  money: '',
  usd: '',
  ratio: '',
  count: '',
  seats: ' seats',
  days: ' days',
  weeks: ' weeks',
  users: ' users',
  events: ' events',
};

/**
 * `Acme [001]: score 72, health green, timing now; top opportunity: seat add, $12,000 potential ARR (35%, $4,200
 * expected, now)`, and how many more are pitched or withheld.
 */
export function renderScoreLine(unsafe: ExplainInput): string {
  const input = terminalSafe(unsafe);
  const { stored, assessment: a } = input;
  const m = (value: number): string => money(value, input.currency);
  const head = `${stored.accountName} [${stored.accountId}]: score ${Math.round(a.score)}, health ${a.health}, timing ${a.timing}`;
  if (a.opportunities.length === 0) return `${head}; no expansion opportunity`;
  if (mustStabilize(input))
    return `${head}; stabilize first: no expansion pitch (${count(a.opportunities.length)} held back)`;
  const ranked = rankedOpportunities(input, input.urgency);
  const pitched = ranked.filter((o) => withheldOf(input, o) === undefined);
  const withheld = ranked.length - pitched.length;
  const top = pitched[0];
  if (!top) return `${head}; nothing pitched: ${count(withheld)} withheld (${withheldStates(input, ranked)})`;
  const more = pitched.length > 1 ? ` (+${pitched.length - 1} more)` : '';
  const held = withheld > 0 ? `; ${count(withheld)} withheld (${withheldStates(input, ranked)})` : '';
  const figures = `${pct(top.probability)}, ${m(top.expectedValue)} expected, ${top.timing}`;
  return `${head}; top opportunity: ${motionLabel(top)}, ${m(top.arrPotential)} potential ARR (${figures})${more}${held}`;
}

const count = (n: number): string => `${n} opportunit${n === 1 ? 'y' : 'ies'}`;

function withheldStates(input: ExplainInput, opportunities: readonly ExpansionOpportunity[]): string {
  const states = new Set(
    opportunities.flatMap((o) => {
      const withheld = withheldOf(input, o);
      return withheld === undefined ? [] : [WITHHELD_LABEL[withheld]];
    }),
  );
  return [...states].join('; ');
}

/** `score --explain`: everything the stored assessment says, and the evidence behind each claim. */
export function renderExplain(unsafe: ExplainInput): string {
  const input = terminalSafe(unsafe);
  const a = input.assessment;
  const sections = [
    header(input),
    list(
      'Reasons',
      a.reasons.map((r) => `  - ${r}`),
    ),
    list(
      `Signals (${a.signals.length})`,
      a.signals.flatMap((s) => signalLines(s, input.currency)),
    ),
    a.missing.length === 0
      ? 'Not evaluated: nothing (every input was present).'
      : `Not evaluated: ${a.missing.join(', ')} (missing inputs; the signals needing them did not run).`,
    list(
      `Opportunities (${a.opportunities.length})`,
      rankedOpportunities(input, input.urgency).flatMap((o, i) => opportunityLines(input, o, i)),
    ),
  ];
  if (a.qbrAgenda) sections.push(narrativeBlock('QBR agenda', a.qbrAgenda));
  if (a.outreachEmail) sections.push(narrativeBlock('Outreach email', a.outreachEmail));
  return sections.join('\n\n');
}

function header(input: ExplainInput): string {
  const { stored, assessment: a } = input;
  const owner = stored.ownerId === undefined ? 'unassigned' : `owner ${ownerLabel(stored)}`;
  const lines = [
    `${stored.accountName} [${stored.accountId}] (${stored.system}, ${owner}), assessed as of ${a.asOf} in run ${stored.runId}`,
    `  score ${Math.round(a.score)}/100, health ${a.health}, timing ${a.timing}`,
  ];
  if (mustStabilize(input)) {
    lines.push(
      '  stabilize first: health is red, so no expansion pitch; the opportunities below stay out of the pipeline',
    );
  }
  return lines.join('\n');
}

function list(title: string, lines: readonly string[]): string {
  return lines.length === 0 ? `${title}: none` : `${title}:\n${lines.join('\n')}`;
}

function signalLines(signal: Signal, currency: string): string[] {
  return [
    `  ${signal.id} (${signal.kind}, strength ${signal.strength.toFixed(2)}): ${signal.summary}`,
    ...signal.evidence.map((e) => `      evidence: ${evidenceText(e, currency)}`),
  ];
}

/** `seat_utilization = 96% (window: last 30 days; comparison: threshold 85%; source: usage)`. */
export function evidenceText(e: Evidence, currency: string): string {
  const comparison = e.comparison ? `; comparison: ${e.comparison}` : '';
  // `usd` is what older versions wrote for every amount, whatever the currency: both read as the configured one.
  const value = e.unit === 'money' || e.unit === 'usd' ? money(e.value, currency) : formatEvidence(e);
  return `${e.metric} = ${value}${UNIT_WORDS[e.unit]} (window: ${e.window}${comparison}; source: ${e.source})`;
}

function opportunityLines(input: ExplainInput, o: ExpansionOpportunity, i: number): string[] {
  const m = (value: number): string => money(value, input.currency);
  const withheld = withheldOf(input, o);
  const lines = [
    `  ${i + 1}. ${motionLabel(o)}${o.seatsToAdd === undefined ? '' : ` (+${o.seatsToAdd} seats)`}, timing ${o.timing}`,
    `     potential ${m(o.arrPotential)} ARR (range ${m(o.arrLow)}–${m(o.arrHigh)}), ` +
      `probability ${pct(o.probability)}, expected value ${m(o.expectedValue)}`,
  ];
  if (withheld !== undefined) {
    lines.push(`     withheld: ${WITHHELD_LABEL[withheld]} (identified, not pitched: no CRM deal, note or alert)`);
  }
  if (o.priority)
    lines.push(
      `     priority ${o.priority.tier}, rank ${o.priority.rank} in the portfolio${o.priority.queued ? ", queued (over the owner's capacity this period; not in the CRM yet)" : ''}`,
    );
  if (o.peers && o.peers.length > 0) lines.push(`     peers that own it: ${o.peers.join(', ')}`);
  if (o.signalIds.length > 0) lines.push(`     signals: ${o.signalIds.join(', ')}`);
  lines.push(`     talking points: ${o.narrative.title}`, ...indent(o.narrative.body, '       '));
  return lines;
}

function narrativeBlock(label: string, n: Narrative): string {
  return [`${label}: ${n.title}`, ...indent(n.body, '  ')].join('\n');
}

const indent = (text: string, prefix: string): string[] =>
  text.split('\n').map((line) => (line.trim() === '' ? '' : `${prefix}${line}`));
