import type { Assessment, Evidence, ExpansionOpportunity, Narrative, Signal } from '../model/assessment.ts';
import { formatEvidence } from '../scoring/evidence.ts';
import type { StoredAssessment } from '../state/store.ts';
import { money, motionLabel, pct } from './format.ts';
import { mustStabilise, rankedOpportunities, type Urgency } from './pipeline-model.ts';

export interface ExplainInput {
  readonly stored: StoredAssessment;
  readonly assessment: Assessment;
  readonly urgency: Urgency;
}

const UNIT_WORDS: Readonly<Record<Evidence['unit'], string>> = { percent: '', usd: '', ratio: '', count: '', seats: ' seats', days: ' days', weeks: ' weeks', users: ' users' };

/** `Acme [001]: score 72, health green, timing now; top: seat add, $12,000 potential ARR (35%, $4,200 expected, now)`. */
export function renderScoreLine(input: ExplainInput): string {
  const { stored, assessment: a } = input;
  const top = rankedOpportunities(a.opportunities, input.urgency)[0];
  const head = `${stored.accountName} [${stored.accountId}]: score ${Math.round(a.score)}, health ${a.health}, timing ${a.timing}`;
  if (!top) return `${head}; no expansion opportunity`;
  if (mustStabilise(input)) return `${head}; stabilise first: no expansion pitch (${a.opportunities.length} opportunit${a.opportunities.length === 1 ? 'y' : 'ies'} held back)`;
  const more = a.opportunities.length > 1 ? ` (+${a.opportunities.length - 1} more)` : '';
  return `${head}; top opportunity: ${motionLabel(top)}, ${money(top.arrPotential)} potential ARR (${pct(top.probability)}, ${money(top.expectedValue)} expected, ${top.timing})${more}`;
}

/** `score --explain`: everything the stored assessment says, and the evidence behind each claim. */
export function renderExplain(input: ExplainInput): string {
  const a = input.assessment;
  const sections = [
    header(input),
    list('Reasons', a.reasons.map((r) => `  - ${r}`)),
    list(`Signals (${a.signals.length})`, a.signals.flatMap(signalLines)),
    a.missing.length === 0 ? 'Not evaluated: nothing (every input was present).' : `Not evaluated: ${a.missing.join(', ')} (missing inputs; the signals needing them did not run).`,
    list(`Opportunities (${a.opportunities.length})`, rankedOpportunities(a.opportunities, input.urgency).flatMap(opportunityLines)),
  ];
  if (a.qbrAgenda) sections.push(narrativeBlock('QBR agenda', a.qbrAgenda));
  if (a.outreachEmail) sections.push(narrativeBlock('Outreach email', a.outreachEmail));
  return sections.join('\n\n');
}

function header(input: ExplainInput): string {
  const { stored, assessment: a } = input;
  const owner = stored.ownerId === undefined ? 'no owner' : `owner ${stored.ownerId}`;
  const lines = [
    `${stored.accountName} [${stored.accountId}] (${stored.system}, ${owner}), assessed as of ${a.asOf} in run ${stored.runId}`,
    `  score ${Math.round(a.score)}/100, health ${a.health}, timing ${a.timing}`,
  ];
  if (mustStabilise(input)) lines.push(`  stabilise first: ${a.health === 'red' ? 'health is red' : 'timing is on hold'}, so no expansion pitch; the opportunities below stay out of the pipeline`);
  return lines.join('\n');
}

function list(title: string, lines: readonly string[]): string {
  return lines.length === 0 ? `${title}: none` : `${title}:\n${lines.join('\n')}`;
}

function signalLines(signal: Signal): string[] {
  return [
    `  ${signal.id} (${signal.kind}, strength ${signal.strength.toFixed(2)}): ${signal.summary}`,
    ...signal.evidence.map((e) => `      evidence: ${evidenceText(e)}`),
  ];
}

/** `seat_utilization = 96% (window: last 30 days; comparison: threshold 85%; source: usage)`. */
export function evidenceText(e: Evidence): string {
  const comparison = e.comparison ? `; comparison: ${e.comparison}` : '';
  return `${e.metric} = ${formatEvidence(e)}${UNIT_WORDS[e.unit]} (window: ${e.window}${comparison}; source: ${e.source})`;
}

function opportunityLines(o: ExpansionOpportunity, i: number): string[] {
  const lines = [
    `  ${i + 1}. ${motionLabel(o)}${o.seatsToAdd === undefined ? '' : ` (+${o.seatsToAdd} seats)`}, timing ${o.timing}`,
    `     potential ${money(o.arrPotential)} ARR (range ${money(o.arrLow)}–${money(o.arrHigh)}), probability ${pct(o.probability)}, expected value ${money(o.expectedValue)}`,
  ];
  if (o.priority) lines.push(`     priority ${o.priority.tier}, rank ${o.priority.rank} in the portfolio${o.priority.queued ? ', queued (over the owner\'s capacity this period; not in the CRM yet)' : ''}`);
  if (o.peers && o.peers.length > 0) lines.push(`     peers that own it: ${o.peers.join(', ')}`);
  if (o.signalIds.length > 0) lines.push(`     signals: ${o.signalIds.join(', ')}`);
  lines.push(`     talking points: ${o.narrative.title}`, ...indent(o.narrative.body, '       '));
  return lines;
}

function narrativeBlock(label: string, n: Narrative): string {
  return [`${label}: ${n.title}`, ...indent(n.body, '  ')].join('\n');
}

const indent = (text: string, prefix: string): string[] => text.split('\n').map((line) => (line.trim() === '' ? '' : `${prefix}${line}`));
