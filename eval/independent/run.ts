/**
 * Scores the independently labelled book (labels from the seed documents alone) with assessPortfolio under
 * the default config and prints: per-motion precision/recall, health and timing accuracy with confusion
 * tables, safety figures, seat-add sizes against the labelled ranges, and every disagreement with the label,
 * the product's answer and the label's rationale. A measuring script: it always exits 0.
 * Flag: --brief prints the figures without the disagreement list.
 */
import { parseArgs } from 'node:util';
import type { Health, Timing } from '../../src/model/assessment.ts';
import { ScoringConfigSchema } from '../../src/scoring/config.ts';
import { assessPortfolio, type PortfolioInput } from '../../src/scoring/portfolio.ts';
import { buildBook } from './book.ts';
import { AS_OF } from './case.ts';
import {
  confusion,
  describeMotions,
  disagreements,
  motionScores,
  precision,
  recall,
  safety,
  seatFit,
  type Disagreement,
  type Row,
} from './metrics.ts';

const HEALTH: readonly Health[] = ['green', 'yellow', 'red'];
const TIMING: readonly Timing[] = ['now', '30d', '90d', 'hold'];

const pct = (n: number): string => (Number.isNaN(n) ? '  -  ' : `${(n * 100).toFixed(0).padStart(3)}%`);
const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

function score(): Row[] {
  const book = buildBook();
  const inputs: PortfolioInput[] = book.map((e) => ({ account: e.account, usage: e.usage, ownerId: e.ownerId }));
  const results = assessPortfolio(inputs, { asOf: AS_OF, config: ScoringConfigSchema.parse({}) });
  const byId = new Map(results.map((r) => [r.accountId, r]));
  return book.flatMap((e) => {
    const result = byId.get(e.account.id);
    if (result === undefined) {
      print(`! no assessment for ${e.item.id}`);
      return [];
    }
    return [{ item: e.item, result }];
  });
}

function printConfusion(title: string, values: readonly string[], table: readonly (readonly number[])[]): void {
  print(`${title} (rows: my label, columns: product)`);
  print(`${''.padEnd(8)}${values.map((v) => v.padStart(7)).join('')}`);
  table.forEach((line, i) => print(`${(values[i] ?? '').padEnd(8)}${line.map((n) => String(n).padStart(7)).join('')}`));
}

function printFigures(rows: readonly Row[]): void {
  const debatable = rows.filter((r) => r.item.label.debatable !== undefined).length;
  print(`accounts: ${rows.length} (debatable: ${debatable}), asOf ${AS_OF}, default config`);
  print();
  print('motion              tp  fp  fn  precision  recall');
  for (const s of motionScores(rows)) {
    const counts = [s.tp, s.fp, s.fn].map((n) => String(n).padStart(4)).join('');
    print(`${s.name.padEnd(18)}${counts}    ${pct(precision(s))}    ${pct(recall(s))}`);
  }
  print();
  const health = confusion(
    rows,
    HEALTH,
    (r) => r.item.label.health,
    (r) => r.result.health,
  );
  const timing = confusion(
    rows,
    TIMING,
    (r) => r.item.label.timing,
    (r) => r.result.timing,
  );
  print(`health accuracy ${pct(health.accuracy)}   timing accuracy ${pct(timing.accuracy)}`);
  const firm = rows.filter((r) => r.item.label.debatable === undefined);
  const firmHealth = confusion(
    firm,
    HEALTH,
    (r) => r.item.label.health,
    (r) => r.result.health,
  ).accuracy;
  const firmTiming = confusion(
    firm,
    TIMING,
    (r) => r.item.label.timing,
    (r) => r.result.timing,
  ).accuracy;
  print(`  on the ${firm.length} non-debatable accounts: health ${pct(firmHealth)}   timing ${pct(firmTiming)}`);
  print();
  printConfusion('health', HEALTH, health.table);
  print();
  printConfusion('timing', TIMING, timing.table);
  print();
  const s = safety(rows);
  print(`pitched opportunities on accounts the product rates red: ${s.pitchesToProductRed}`);
  print(`pitched opportunities on accounts I label red:           ${s.pitchesToLabelRed}`);
  print(`"now" on accounts the product rates non-green:          ${s.nowOnProductNonGreen}`);
  print(`"now" on accounts I label non-green:                    ${s.nowOnLabelNonGreen}`);
  const fit = seatFit(rows);
  print(`seat-add sizes within my range: ${fit.inRange}/${fit.compared} (${pct(fit.inRange / fit.compared)})`);
  for (const miss of fit.misses) print(`  out of range: ${miss}`);
}

function printDisagreements(rows: readonly Row[], list: readonly Disagreement[]): void {
  const byId = new Map(rows.map((r) => [r.item.id, r]));
  const accounts = [...new Set(list.map((d) => d.id))];
  print();
  print(`disagreements: ${list.length} fields on ${accounts.length} accounts (D = label marked debatable)`);
  for (const id of accounts) {
    const row = byId.get(id);
    if (row === undefined) continue;
    const mine = list.filter((d) => d.id === id);
    const flag = row.item.label.debatable === undefined ? ' ' : 'D';
    print();
    print(`${flag} ${id}  [product: ${row.result.health}/${row.result.timing}, ${describeMotions(row.result)}]`);
    for (const d of mine) print(`    ${d.field.padEnd(7)} mine=${d.mine}  product=${d.product}  -- ${d.why}`);
    if (row.item.label.debatable !== undefined) print(`    debatable: ${row.item.label.debatable}`);
    const reasons = row.result.reasons.slice(0, 3).join(' | ');
    if (reasons.length > 0) print(`    product reasons: ${reasons}`);
  }
}

const { values } = parseArgs({ options: { brief: { type: 'boolean', default: false } } });
const rows = score();
printFigures(rows);
if (!values.brief) printDisagreements(rows, disagreements(rows));
