import type { Account } from '../model/account.ts';
import type { Evidence, Narrative, Signal, Timing } from '../model/assessment.ts';
import { templateRenderer } from '../templates/templates.ts';
import type { TemplateName, ViewObject } from '../templates/view.ts';
import type { ScoringConfig } from './config.ts';
import {
  citations,
  groupThousands,
  lowerFirst,
  numbersIn,
  shownEvidence,
  untracedNumbers,
  upperFirst,
  type Citations,
} from './evidence.ts';
import type { Cite } from './narrative-inputs.ts';
import { renewalIn, type RenewalFacts } from './renewal.ts';
import type { Evaluation } from './result.ts';
import { trendSentence, type TrendFacts } from './usage-trend.ts';

/**
 * Shared pieces of the talking points, QBR agenda and outreach email. The words live in the Handlebars
 * templates (templates/); the code builds each template's view from cited strings. The rule they all
 * keep: a number reaches the text only through `cite`, so each narrative's evidence holds every number
 * its text shows. Fixed wording is written in words ("twenty minutes", "this quarter"), never in digits.
 */

/** Longest title a narrative gets; CRM connectors truncate further where a field is shorter. */
export const MAX_TITLE = 120;

/** How many supporting signals a rationale quotes, so a busy account still reads compactly. */
const MAX_SUPPORTING = 3;

/** Citations for a narrative: amounts in the configured currency, counts and percents whole. */
export function noteCitations(config: ScoringConfig): Citations {
  return citations({ currency: config.pricing.currency, whole: true });
}

/** Renders a narrative from its template; the evidence is read after the view is built, so it is complete. */
export function renderNarrative(options: {
  readonly name: TemplateName;
  readonly view: ViewObject;
  readonly cited: Citations;
  readonly config: ScoringConfig;
}): Narrative {
  const { title, body } = templateRenderer(options.config.narrative.templatesDir).render(options.name, options.view);
  return { title: fitTitle(title), body, evidence: [...options.cited.evidence] };
}

/** The first evidence with this metric in a list (an opportunity narrative's evidence, say). */
export function evidenceIn(list: readonly Evidence[], metric: string): Evidence | undefined {
  return list.find((e) => e.metric === metric);
}

/**
 * A signal's summary with the evidence its numbers come from cited. Undefined when the summary shows a
 * number its own evidence does not hold: better to leave it out than to break the rule. A count shown
 * with a fraction ("4.2 power users") is rewritten whole, as the note cites it.
 */
export function citeSummary(signal: Signal, cite: Cite): string | undefined {
  let summary = signal.summary.trim();
  if (summary.length === 0 || untracedNumbers(summary, signal.evidence).length > 0) return undefined;
  for (const e of signal.evidence) {
    const whole = shownEvidence(e);
    if (whole.value === e.value) continue;
    const token = new RegExp(`(?<![\\d.,])${groupThousands(e.value).replace(/[.,]/g, '\\$&')}(?![\\d]|[.,]\\d)`, 'g');
    if (token.test(summary)) summary = summary.replace(token, cite(e));
  }
  const shown = new Set(numbersIn(summary));
  for (const e of signal.evidence) if (shown.has(Math.abs(shownEvidence(e).value))) cite(e);
  return summary;
}

/** Up to three supporting-signal summaries as sentences, cited; in the order given (deterministic). */
export function supportingSentences(signals: readonly Signal[], cite: Cite): string[] {
  const out: string[] = [];
  for (const signal of signals) {
    if (out.length === MAX_SUPPORTING) break;
    const summary = citeSummary(signal, cite);
    if (summary !== undefined) out.push(sentence(summary));
  }
  return out;
}

/** The first fired risk's summary, cited, for the objection to answer first; `''` when there is none. */
export function riskSummary(risks: readonly Signal[], cite: Cite): string {
  const risk = risks[0];
  return (risk === undefined ? undefined : citeSummary(risk, cite)) ?? '';
}

/** `a Growth walkthrough`, `an Enterprise walkthrough`: the indefinite article for the word that follows. */
export function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase.trim()) ? 'an' : 'a'} ${phrase}`;
}

/** `Acme's`, `Acme Analytics'`. */
export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/** Ends a clause as a sentence unless it already ends in punctuation. */
export function sentence(text: string): string {
  const trimmed = upperFirst(text.trim());
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

const ACRONYMS = new Set(['api', 'sso', 'csv', 'sql', 'crm', 'sla', 'ip']);

/** `audit_log` -> `audit log`, `sso` -> `SSO`: usage event names as the text says them. */
export function featureLabel(event: string): string {
  return event
    .trim()
    .split(/[_\s.-]+/)
    .filter((w) => w.length > 0)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()))
    .join(' ');
}

/** `enterprise` -> `Enterprise`; the plan names come from config and are compared lowercase. */
export function planLabel(plan: string): string {
  return plan
    .trim()
    .split(/\s+/)
    .map((w) => upperFirst(w.toLowerCase()))
    .join(' ');
}

/**
 * The company as the text names it. A CRM name is free text; one holding digits ("3Sixty Labs") would put
 * numbers in the text that no evidence holds, so those read as the fallback instead.
 */
export function companyName(account: Account, fallback = 'the customer'): string {
  const name = account.name.trim();
  return name.length === 0 || /\d/.test(name) ? fallback : name;
}

/** The account owner's name from the CRM, for a sign-off; `''` when absent (or holding digits, as names above). */
export function ownerName(account: Account): string {
  const name = account.ownerName?.trim() ?? '';
  return /\d/.test(name) ? '' : name;
}

/** When to make the ask, in words. */
export function whenPhrase(timing: Timing): string {
  switch (timing) {
    case 'now':
      return 'this week';
    case '30d':
      return 'this month';
    case '90d':
      return 'this quarter';
    case 'hold':
      // Only a renewal evaluation holds an account that still has opportunities (red has none).
      return 'as part of the renewal conversation';
  }
}

/** Cuts a title at a word boundary (numbers hold no spaces, so a cited number is never split). */
export function fitTitle(title: string, max = MAX_TITLE): string {
  if (title.length <= max) return title;
  const cut = title.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut).replace(/[\s,:;—-]+$/, '')}…`;
}

/**
 * The usage trend for a template: which way it went, and the sentence (`Active users grew 24% (...)`)
 * with its lowercase form for use mid-sentence. Every field is present whatever the trend, so a
 * template's variables are the same on every render.
 */
export function trendView(trend: Evaluation<TrendFacts>, cite: Cite): ViewObject {
  if (!trend.evaluated) return { growth: false, decline: false, flat: false, missing: true, sentence: '', clause: '' };
  const text = trendSentence(trend.evidence, cite);
  const { direction } = trend;
  const way = { growth: direction === 'growth', decline: direction === 'decline', flat: direction === 'flat' };
  return { ...way, missing: false, sentence: text, clause: lowerFirst(text) };
}

/** The renewal for a template: `conversation` inside the conversation window, `soon` unless it is far out. */
export function renewalView(renewal: Evaluation<RenewalFacts>, cite: Cite): ViewObject {
  if (!renewal.evaluated) return { conversation: false, soon: false, in: '' };
  const { phase } = renewal;
  const when = `the ${renewalIn(renewal.evidence, cite)}`;
  return { conversation: phase === 'conversation', soon: phase !== 'later', in: when };
}
