import { describe, expect, it } from 'vitest';
import { generateCompanies, generateUsage, syntheticAccount } from '../../../src/demo/portfolio.ts';
import type { PortfolioOptions } from '../../../src/demo/portfolio.ts';
import type { Account } from '../../../src/model/account.ts';
import type { Assessment, Evidence, ExpansionOpportunity, Narrative } from '../../../src/model/assessment.ts';
import { numbersIn } from '../../../src/scoring/evidence.ts';
import { assessPortfolio } from '../../../src/scoring/portfolio.ts';
import { config } from './helpers.ts';

/**
 * The notes an AE would forward, over a generated portfolio under two currencies: one voice, no
 * sentence said twice, money in the configured currency, the owner signing the email, and every
 * number on the page held by the note's evidence.
 */

const OWNER = 'Dana Whitfield';
const options: PortfolioOptions = { companies: 400, days: 90, asOf: '2026-11-20', seed: 7 };

/** Every other account has its owner's name from the CRM; the rest have none. */
function withOwner(account: Account, i: number): Account {
  return i % 2 === 0 ? { ...account, ownerName: OWNER } : account;
}

interface Run {
  readonly currency: string;
  readonly assessments: readonly Assessment[];
  readonly accounts: ReadonlyMap<string, Account>;
}

function run(currency: string): Run {
  const companies = generateCompanies(options);
  const inputs = companies.map((c, i) => ({
    account: withOwner(syntheticAccount(c), i),
    usage: [...generateUsage(c, options)],
  }));
  const assessments = assessPortfolio(inputs, { asOf: options.asOf, config: config({ pricing: { currency } }) });
  return { currency, assessments, accounts: new Map(inputs.map((i) => [i.account.id, i.account])) };
}

interface Note {
  readonly kind: string;
  readonly narrative: Narrative;
  readonly opportunity?: ExpansionOpportunity;
  readonly account: string;
}

/** Every opportunity's narrative (a withheld one's too: it is already written) and the account narratives. */
function notes(r: Run): Note[] {
  return r.assessments.flatMap((a) => [
    ...a.opportunities.map((o) => ({ kind: o.motion, narrative: o.narrative, opportunity: o, account: a.accountId })),
    ...(a.qbrAgenda === undefined ? [] : [{ kind: 'qbr', narrative: a.qbrAgenda, account: a.accountId }]),
    ...(a.outreachEmail === undefined ? [] : [{ kind: 'email', narrative: a.outreachEmail, account: a.accountId }]),
  ]);
}

/** Sentences of a text, normalized so near-identical ones compare equal: case, numbers and punctuation aside. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) =>
      s
        .toLowerCase()
        .replace(/[\d,.$€%]+/g, '#')
        .replace(/[^a-z#]+/g, ' ')
        .trim(),
    )
    .filter((s) => s.split(' ').length >= 4);
}

const money = (value: number, currency: string): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);

/** Units a reader counts in whole steps; a ratio ("2.1 per active user a week") may carry a decimal. */
const WHOLE = new Set<Evidence['unit']>(['count', 'seats', 'users', 'events', 'days', 'weeks', 'percent', 'money']);

describe.each(['USD', 'EUR'])('notes an AE would forward (%s)', (currency) => {
  const r = run(currency);
  const all = notes(r);

  it('covers every motion, the QBR agenda and the email', () => {
    const kinds = new Set(all.map((n) => n.kind));
    expect(kinds).toEqual(new Set(['seat_add', 'tier_upgrade', 'module_cross_sell', 'qbr', 'email']));
  });

  it('never says the same sentence twice in one note', () => {
    const repeats: string[] = [];
    for (const { narrative, account } of all) {
      const seen = new Set<string>();
      for (const s of sentences(narrative.body)) {
        if (seen.has(s)) repeats.push(`${account} "${narrative.title}": ${s}`);
        seen.add(s);
      }
    }
    expect(repeats).toEqual([]);
  });

  it('does not lean on one phrase: no five words in a row appear four times in one note', () => {
    const worn: string[] = [];
    for (const { narrative } of all) {
      const words =
        narrative.body
          .toLowerCase()
          .replace(/[\d,.$€%]+/g, '#')
          .match(/[a-z#']+/g) ?? [];
      const counts = new Map<string, number>();
      for (let i = 0; i + 5 <= words.length; i += 1) {
        const phrase = words.slice(i, i + 5).join(' ');
        counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
      }
      for (const [phrase, count] of counts) if (count >= 4) worn.push(`"${phrase}" x${count} in "${narrative.title}"`);
    }
    expect(worn).toEqual([]);
  });

  it("every number on the page is in the note's evidence, and counts and percents are whole", () => {
    const problems: string[] = [];
    for (const { narrative } of all) {
      const values = new Set(narrative.evidence.map((e) => Math.abs(e.value)));
      for (const n of numbersIn(`${narrative.title}\n${narrative.body}`)) {
        if (!values.has(n)) problems.push(`${n} untraced in "${narrative.title}"`);
      }
      for (const e of narrative.evidence) {
        if (WHOLE.has(e.unit) && !Number.isInteger(e.value)) problems.push(`${e.metric}=${e.value} is not whole`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes money in the configured currency, as the deal amount shows it', () => {
    const symbol = currency === 'EUR' ? '€' : '$';
    const other = currency === 'EUR' ? '$' : '€';
    for (const { narrative, opportunity } of all) {
      expect(`${narrative.title}\n${narrative.body}`).not.toContain(other);
      if (opportunity !== undefined) expect(narrative.body).toContain(money(opportunity.arrPotential, currency));
    }
    expect(all.some((n) => n.narrative.body.includes(symbol))).toBe(true);
  });

  it("signs the email with the owner's name from the CRM, and neutrally only when there is none", () => {
    const emails = all.filter((n) => n.kind === 'email');
    const named = emails.filter((n) => r.accounts.get(n.account)?.ownerName !== undefined);
    const unnamed = emails.filter((n) => r.accounts.get(n.account)?.ownerName === undefined);
    expect(named.length).toBeGreaterThan(0);
    expect(unnamed.length).toBeGreaterThan(0);
    for (const n of named) expect(n.narrative.body).toMatch(new RegExp(`\\nBest,\\n${OWNER}(\\n|$)`));
    for (const n of emails) expect(n.narrative.body).not.toMatch(/customer success manager/i);
    for (const n of unnamed) expect(n.narrative.body).not.toContain(OWNER);
  });

  it('talks to the AE about the customer: "your" only inside the lines quoted for the customer', () => {
    const slips: string[] = [];
    for (const { narrative, kind } of all) {
      if (kind === 'email') continue;
      const unquoted = narrative.body.replace(/"[^"\n]*"/g, '""');
      const slip = /[^.\n]*\byour?\b[^.\n]*/i.exec(unquoted);
      if (slip !== null) slips.push(`"${narrative.title}": ${slip[0]}`);
    }
    expect(slips).toEqual([]);
  });

  it('writes US English', () => {
    const british = /\b(behaviour|licence|realis|prioritis|normalis|organis|analys(e|ing)|colour|favour|centre)\w*/i;
    for (const { narrative } of all) expect(`${narrative.title}\n${narrative.body}`).not.toMatch(british);
  });

  it("opens a cross-sell with behavior, never a usage trend, and quotes fit only as the deal's probability", () => {
    const crossSells = all.filter((n) => n.kind === 'module_cross_sell');
    expect(crossSells.length).toBeGreaterThan(0);
    for (const { narrative, opportunity } of crossSells) {
      const opener = narrative.body.split('\n\n')[0] ?? '';
      expect(opener).not.toMatch(/fell|declin|grew|held steady|active users/i);
      expect(narrative.body).not.toMatch(/most similar|fit (is|at)/i);
      const fit = /the deal sits at (\d+)%/.exec(narrative.body);
      if (fit !== null) expect(Number(fit[1])).toBe(Math.round((opportunity?.probability ?? 0) * 100));
    }
  });
});
