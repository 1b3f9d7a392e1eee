import type { Account } from '../model/account.ts';
import type { Evidence, Signal, Timing } from '../model/assessment.ts';
import { numbersIn, untracedNumbers, upperFirst } from './evidence.ts';
import type { Cite } from './narrative-inputs.ts';

/**
 * Shared pieces of the talking points, QBR agenda and outreach email. The rule they all keep: a number
 * reaches the text only through `cite`, so each narrative's evidence holds every number its text shows.
 * Fixed wording is written in words ("twenty minutes", "this quarter"), never in digits.
 */

/** Longest title a narrative gets; CRM connectors truncate further where a field is shorter. */
export const MAX_TITLE = 120;

/** How many supporting signals a rationale quotes, so a busy account still reads compactly. */
const MAX_SUPPORTING = 3;

/** A signal's evidence by metric name, when the signal carries it. */
export function evidenceOf(signal: Signal | undefined, metric: string): Evidence | undefined {
  return signal?.evidence.find((e) => e.metric === metric);
}

/** The first evidence with this metric in a list (an opportunity narrative's evidence, say). */
export function evidenceIn(list: readonly Evidence[], metric: string): Evidence | undefined {
  return list.find((e) => e.metric === metric);
}

/**
 * A signal's summary, verbatim, with the evidence its numbers come from cited. Undefined when the
 * summary shows a number its own evidence does not hold: better to leave it out than to break the rule.
 */
export function citeSummary(signal: Signal, cite: Cite): string | undefined {
  const summary = signal.summary.trim();
  if (summary.length === 0 || untracedNumbers(summary, signal.evidence).length > 0) return undefined;
  const shown = new Set(numbersIn(summary));
  for (const e of signal.evidence) if (shown.has(Math.abs(e.value))) cite(e);
  return summary;
}

/** Up to three supporting-signal summaries, cited; in the order given (the caller's order is deterministic). */
export function supportingSummaries(signals: readonly Signal[], cite: Cite): string[] {
  const out: string[] = [];
  for (const signal of signals) {
    if (out.length === MAX_SUPPORTING) break;
    const summary = citeSummary(signal, cite);
    if (summary !== undefined) out.push(summary);
  }
  return out;
}

/** `a Growth walkthrough`, `an Enterprise walkthrough`: the indefinite article for the word that follows. */
export function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase.trim()) ? 'an' : 'a'} ${phrase}`;
}

/** `Acme's`, `Acme Analytics'`. */
export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/** Supporting-signal summaries as bullets under a lead-in, so each keeps its own capitalisation. */
export function bulletList(lead: string, items: readonly string[]): string {
  return items.length === 0 ? '' : [lead, ...items.map((i) => `- ${sentence(i)}`)].join('\n');
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
 * numbers in the text that no evidence holds, so those read as "your team" instead.
 */
export function companyName(account: Account, fallback = 'your team'): string {
  const name = account.name.trim();
  return name.length === 0 || /\d/.test(name) ? fallback : name;
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
      return 'once the open concerns are settled';
  }
}

/** Cuts a title at a word boundary (numbers hold no spaces, so a cited number is never split). */
export function fitTitle(title: string, max = MAX_TITLE): string {
  if (title.length <= max) return title;
  const cut = title.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut).replace(/[\s,:;—-]+$/, '')}…`;
}

export interface Objection {
  /** What the customer may say, in their words. */
  readonly says: string;
  /** How to respond. */
  readonly respond: string;
}

/** The "Likely objections:" paragraph: one bullet per objection and response. */
export function objectionsParagraph(objections: readonly Objection[]): string {
  return ['Likely objections:', ...objections.map((o) => `- "${o.says}" ${o.respond}`)].join('\n');
}

/** A fired risk as an objection the customer may raise first: acknowledge it before the expansion. */
export function riskObjection(risk: Signal, cite: Cite): Objection | undefined {
  const summary = citeSummary(risk, cite);
  if (summary === undefined) return undefined;
  return {
    says: 'Before we talk about more, there is something that is not working for us.',
    respond: `Expect this to come up (${summary}). Acknowledge it, agree an owner and a date to fix it, and only then return to the proposal.`,
  };
}
