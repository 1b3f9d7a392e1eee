/**
 * The scoring benchmark (`npm run bench` runs it in its own process, so its peak RSS is its own):
 * scores BENCH_SCORE_ACCOUNTS synthetic accounts (default 100,000) x 90 days of usage through the whole
 * portfolio pass — profile every account, build the cross-sell peer model, assess every account
 * against it, rank the pipeline within owner capacity — with the default scoring config.
 * Usage is generated per account as it is scored, as the engine streams it from the store, and the time
 * to generate it alone is measured and subtracted, so the figure is the scoring's own.
 */
import { generateCompanies, generateUsage, syntheticAccount, type PortfolioOptions } from '../src/demo/portfolio.ts';
import { defaultScoringConfig } from '../src/scoring/config.ts';
import {
  assessPortfolioFrom,
  rankPortfolio,
  type PortfolioInput,
  type PortfolioPassName,
} from '../src/scoring/portfolio.ts';

const N = Number(process.env['BENCH_SCORE_ACCOUNTS'] ?? 100_000);
const options: PortfolioOptions = {
  companies: N,
  days: 90,
  asOf: '2026-11-20',
  seed: 11,
  owners: Math.max(1, Math.round(N / 400)),
};
const config = defaultScoringConfig();
const seconds = (from: bigint, to = process.hrtime.bigint()): number => Number(to - from) / 1e9;

const companies = generateCompanies(options);
const portfolio = companies.map((company) => ({
  company,
  account: { ...syntheticAccount(company), ownerId: `owner-${company.ownerIndex + 1}` },
}));

let rows = 0;
let t = process.hrtime.bigint();
for (const c of companies) for (const _ of generateUsage(c, options)) rows += 1;
const generation = seconds(t);

// The pass's own stages, timed from the source: each pass starts when the pass first asks for an account
// and ends when it asks past the last one; the model is built in between.
const marks = new Map<string, bigint>();
function* generated(pass: PortfolioPassName): Generator<PortfolioInput> {
  marks.set(`${pass}:start`, process.hrtime.bigint());
  for (const { company, account } of portfolio) yield { account, usage: [...generateUsage(company, options)] };
  marks.set(`${pass}:end`, process.hrtime.bigint());
}
const mark = (name: string): bigint => marks.get(name) ?? process.hrtime.bigint();

const assessed = await assessPortfolioFrom(generated, { asOf: options.asOf, config });
t = process.hrtime.bigint();
const ranked = rankPortfolio(assessed, config).map((item) => item.assessment);
const ranking = seconds(t);
const profiling = seconds(mark('profile:start'), mark('profile:end'));
const modelling = seconds(mark('profile:end'), mark('assess:start'));
const assessing = seconds(mark('assess:start'), mark('assess:end'));

const scoring = profiling + modelling + assessing + ranking - 2 * generation;
const opportunities = ranked.flatMap((a) => a.opportunities);
const byMotion = new Map<string, number>();
for (const o of opportunities) byMotion.set(o.motion, (byMotion.get(o.motion) ?? 0) + 1);
const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);

const count = (n: number): string => n.toLocaleString('en-US');
const queued = count(opportunities.filter((o) => o.priority?.queued).length);
const size = `${count(N)} accounts x ${options.days} days (${count(rows)} usage rows)`;
console.log(`\n== scoring: ${size}, default config`);
console.log(`  generating the usage alone      ${generation.toFixed(1)} s (run twice below, subtracted)`);
console.log(`  profile for peer matching       ${profiling.toFixed(1)} s`);
console.log(`  build the peer model            ${modelling.toFixed(2)} s`);
console.log(`  assess every account            ${assessing.toFixed(1)} s`);
console.log(`  rank the pipeline               ${ranking.toFixed(2)} s`);
const throughput = `${count(Math.round(N / scoring))} accounts/s (${scoring.toFixed(1)} s of scoring)`;
console.log(`  scoring throughput              ${throughput}`);
console.log(`  peak RSS                        ${peakMb} MB`);
const motions = [...byMotion].map(([m, n]) => `${m} ${count(n)}`).join(', ');
console.log(`  found ${count(opportunities.length)} opportunities: ${motions}; ${queued} queued over owner capacity`);
