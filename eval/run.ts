/**
 * `npm run eval`: scores the labelled scenario book (eval/book*.ts) with assessPortfolio and prints how far
 * the recommendations are from the labels. A measuring script, not a test: it always exits 0.
 * Flags: --currency USD|EUR|GBP (the run the accuracy figures come from, USD by default), --verbose
 * (every misclassified account and the per-archetype table).
 */
import { parseArgs } from 'node:util';
import type { Assessment } from '../src/model/assessment.ts';
import { ScoringConfigSchema, type ScoringConfig } from '../src/scoring/config.ts';
import { assessPortfolio, type PortfolioInput } from '../src/scoring/portfolio.ts';
import { buildBook, type Entry } from './book.ts';
import { AS_OF, shiftDate } from './calendar.ts';
import { bookCatalog } from './catalog.ts';
import {
  confusion,
  currencyShare,
  motionScores,
  pitchedKeys,
  safety,
  scored,
  seatAddOf,
  seatRangeHits,
  stability,
  topPrecision,
  type Row,
  type ScoredRow,
} from './metrics.ts';
import {
  heading,
  pct,
  print,
  printArchetypes,
  printConfusion,
  printMisclassified,
  printMotionScores,
  ratio,
} from './report.ts';

const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
const HEALTH = ['green', 'yellow', 'red'] as const;
const TIMING = ['now', '30d', '90d', 'hold'] as const;

const configFor = (currency: string): ScoringConfig =>
  ScoringConfigSchema.parse({ pricing: { currency }, catalog: bookCatalog() });
const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
const inputsOf = (entries: readonly Entry[]): PortfolioInput[] =>
  entries.map((e) => ({ account: e.scenario.account, usage: e.usage }));

/** One scoring pass over the book: the inputs line up with the entries. */
interface Pass {
  readonly entries: readonly Entry[];
  readonly inputs: readonly PortfolioInput[];
  readonly asOf: string;
  readonly config: ScoringConfig;
}

function oneByOne({ entries, inputs, asOf, config }: Pass): Row[] {
  return entries.map((entry, i) => {
    const input = inputs[i];
    if (input === undefined) return { entry, error: 'no input' };
    try {
      const [got] = assessPortfolio([input], { asOf, config });
      return got === undefined ? { entry, error: 'no assessment returned' } : { entry, got };
    } catch (error) {
      return { entry, error: firstLine(error) };
    }
  });
}

/** Scores the whole book; if the portfolio pass throws, each account alone, so one bad account shows by name. */
function assessSafely(pass: Pass): Row[] {
  const { entries, inputs, asOf, config } = pass;
  const started = Date.now();
  const label = `${asOf} (${config.pricing.currency})`;
  try {
    const out = assessPortfolio(inputs, { asOf, config });
    const byId = new Map(out.map((a) => [a.accountId, a]));
    print(`  scored ${out.length} accounts at ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return entries.map((entry) => {
      const got = byId.get(entry.scenario.account.id);
      return got === undefined ? { entry, error: 'no assessment returned' } : { entry, got };
    });
  } catch (error) {
    print(`  assessPortfolio failed at ${label}: ${firstLine(error)}; scoring accounts one at a time (no peers)`);
    return oneByOne(pass);
  }
}

function printAccuracy(rows: readonly ScoredRow[]): void {
  heading('Pitched motions (a cross-sell is right only for the right module)');
  printMotionScores(motionScores(rows));
  heading('Health');
  printConfusion(
    'health',
    HEALTH,
    confusion(
      rows,
      (r) => r.entry.expected.health,
      (r) => r.got.health,
    ),
  );
  heading('Timing');
  printConfusion(
    'timing',
    TIMING,
    confusion(
      rows,
      (r) => r.entry.expected.timing,
      (r) => r.got.timing,
    ),
  );
  heading('Safety (both should be 0)');
  const s = safety(rows);
  print(
    `pitched opportunities on red accounts (labelled or assessed red): ${s.redPitches}` +
      ` on ${s.redAccountsPitched} accounts`,
  );
  print(`"now" on a non-green account: ${s.nowNonGreen} assessed non-green, ${s.nowLabelNonGreen} labelled non-green`);
  heading('Seat adds and ranking');
  const seats = seatRangeHits(rows);
  print(`seat-add size within the labelled range: ${ratio(seats.hits, seats.total)}   (expected and got a seat add)`);
  const top = topPrecision(rows, 20);
  print(`precision of the top 20 pitched opportunities by expected value: ${ratio(top.hits, top.total)}`);
}

function printStability(entries: readonly Entry[], first: readonly ScoredRow[], config: ScoringConfig): void {
  const asOf = shiftDate(AS_OF, 1);
  heading(`Day-over-day stability (${asOf}, no new usage rows, previous = the ${AS_OF} assessment)`);
  const previous = new Map(first.map((r) => [r.entry.scenario.id, r.got]));
  const inputs = entries.map((e): PortfolioInput => {
    const before = previous.get(e.scenario.id);
    return { account: e.scenario.account, usage: e.usage, ...(before === undefined ? {} : { previous: before }) };
  });
  const rows = scored(assessSafely({ entries, inputs, asOf, config }));
  const second = new Map<string, Assessment>(rows.map((r) => [r.got.accountId, r.got]));
  const s = stability(first, second);
  print(`timing unchanged:                      ${ratio(s.timingSame, s.accounts)}`);
  print(`seat-add size moved by 15% or less:    ${ratio(s.seatSame, s.seatAccounts)}   (seat add on day 1)`);
  print(`both (timing same, seat add stable):   ${ratio(s.both, s.accounts)}`);
}

const signature = (a: Assessment): string =>
  `${a.health}/${a.timing}/${pitchedKeys(a).join(',')}/${seatAddOf(a)?.seatsToAdd ?? ''}`;

function printCurrencies(entries: readonly Entry[], primary: string, primaryRows: readonly ScoredRow[]): void {
  heading('Currency of notes (money shown in the configured currency and no other)');
  const primaryById = new Map(primaryRows.map((r) => [r.got.accountId, signature(r.got)]));
  for (const currency of CURRENCIES) {
    const pass = { entries, inputs: inputsOf(entries), asOf: AS_OF, config: configFor(currency) };
    const assessments = (currency === primary ? primaryRows : scored(assessSafely(pass))).map((r) => r.got);
    const notes = currencyShare(assessments, currency, true);
    const all = currencyShare(assessments, currency, false);
    const same = assessments.filter((a) => primaryById.get(a.accountId) === signature(a)).length;
    const sameShare = pct(assessments.length === 0 ? undefined : same / assessments.length);
    print(`${currency}: pitched notes ${ratio(notes.hits, notes.total)}; all notes ${ratio(all.hits, all.total)}`);
    print(`     recommendations as in the ${primary} run: ${sameShare}`);
  }
}

function printBook(entries: readonly Entry[], refused: readonly string[], currency: string): void {
  const count = (pick: (e: Entry) => readonly string[]): string => {
    const m = new Map<string, number>();
    for (const e of entries) for (const k of pick(e)) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m].map(([k, n]) => `${k} ${n}`).join(', ');
  };
  const archetypes = new Set(entries.map((e) => e.scenario.archetype)).size;
  print(`expansion-sync eval: ${entries.length} labelled accounts in ${archetypes} archetypes, asOf ${AS_OF}`);
  print(`  accuracy from the ${currency} run`);
  print(`  labels: ${count((e) => [e.expected.health])}; ${count((e) => [e.expected.timing])}`);
  print(`  expected pitches: ${count((e) => e.expected.pitches.map((p) => p.split(':')[0] ?? p))}`);
  for (const line of refused) print(`  book: refused ${line}`);
}

function main(): void {
  const options = {
    currency: { type: 'string', default: 'USD' },
    verbose: { type: 'boolean', default: false },
  } as const;
  const { values } = parseArgs({ options });
  const currency = (values.currency ?? 'USD').toUpperCase();
  const verbose = values.verbose === true;
  const { entries, refused } = buildBook();
  printBook(entries, refused, currency);
  const rows = assessSafely({ entries, inputs: inputsOf(entries), asOf: AS_OF, config: configFor(currency) });
  const ok = scored(rows);
  const failed = rows.filter((r) => r.got === undefined);
  if (failed.length > 0) {
    const examples = failed.slice(0, 3).map((r) => `${r.entry.scenario.id}: ${r.error ?? '?'}`);
    print(`  ${failed.length} accounts not scored (left out of every figure), e.g. ${examples.join('; ')}`);
  }
  if (ok.length === 0) return;
  printAccuracy(ok);
  printStability(entries, ok, configFor(currency));
  printCurrencies(entries, currency, ok);
  heading('Misclassified accounts');
  printMisclassified(ok, verbose ? ok.length : 10);
  if (verbose) {
    heading('Exact match by archetype (worst first)');
    printArchetypes(ok);
  }
}

try {
  main();
} catch (error) {
  print(`eval stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
