/**
 * The scoring benchmark (`npm run bench` runs it in its own process, so its peak RSS is its own):
 * scores BENCH_SCORE_ACCOUNTS synthetic accounts (default 100,000) x 90 days of usage through the whole
 * portfolio pass — profile every account, build the cross-sell peer model, assess every account
 * against it, rank the pipeline within owner capacity — with the default scoring config.
 * Usage is generated per account as it is scored, as the engine streams it from the store, and the time
 * to generate it alone is measured and subtracted, so the figure is the scoring's own.
 */
import { generateCompanies, generateUsage, syntheticAccount, type PortfolioOptions } from '../src/demo/portfolio.ts';
import type { Assessment } from '../src/model/assessment.ts';
import { featureSpace } from '../src/scoring/affinity-features.ts';
import { buildAffinityModel } from '../src/scoring/affinity.ts';
import { assessAccount } from '../src/scoring/assess.ts';
import { defaultScoringConfig } from '../src/scoring/config.ts';
import { profileForAffinity } from '../src/scoring/portfolio.ts';
import { prioritize } from '../src/scoring/priority.ts';

const N = Number(process.env['BENCH_SCORE_ACCOUNTS'] ?? 100_000);
const options: PortfolioOptions = { companies: N, days: 90, asOf: '2026-11-20', seed: 11, owners: Math.max(1, Math.round(N / 400)) };
const config = defaultScoringConfig();
const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

const companies = generateCompanies(options);
const accounts = companies.map(syntheticAccount).map((a, i) => ({ ...a, ownerId: `owner-${(companies[i]?.ownerIndex ?? 0) + 1}` }));

let rows = 0;
let t = process.hrtime.bigint();
for (const c of companies) for (const _ of generateUsage(c, options)) rows += 1;
const generation = seconds(t);

const space = featureSpace(config);
t = process.hrtime.bigint();
const profiles = companies.map((c, i) => profileForAffinity({ account: accounts[i] ?? syntheticAccount(c), usage: [...generateUsage(c, options)], asOf: options.asOf, config }, space));
const profiling = seconds(t);
t = process.hrtime.bigint();
const model = buildAffinityModel(profiles, space, config);
const modelling = seconds(t);
t = process.hrtime.bigint();
const assessed: Array<{ assessment: Assessment; ownerId: string | undefined }> = [];
companies.forEach((c, i) => {
  const account = accounts[i] ?? syntheticAccount(c);
  const profile = profiles[i];
  assessed.push({ ownerId: account.ownerId, assessment: assessAccount({ account, usage: [...generateUsage(c, options)], asOf: options.asOf, config, ...(profile ? { affinity: { model, profile } } : {}) }) });
});
const assessing = seconds(t);
t = process.hrtime.bigint();
const ranked = prioritize(assessed, config);
const ranking = seconds(t);

const scoring = profiling + modelling + assessing + ranking - 2 * generation;
const opportunities = ranked.flatMap((a) => a.opportunities);
const byMotion = new Map<string, number>();
for (const o of opportunities) byMotion.set(o.motion, (byMotion.get(o.motion) ?? 0) + 1);
const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);

console.log(`\n== scoring: ${N.toLocaleString('en-US')} accounts x ${options.days} days (${rows.toLocaleString('en-US')} usage rows), default config`);
console.log(`  generating the usage alone      ${generation.toFixed(1)} s (run twice below, subtracted)`);
console.log(`  profile for peer matching       ${profiling.toFixed(1)} s`);
console.log(`  build the peer model            ${modelling.toFixed(2)} s`);
console.log(`  assess every account            ${assessing.toFixed(1)} s`);
console.log(`  rank the pipeline               ${ranking.toFixed(2)} s`);
console.log(`  scoring throughput              ${Math.round(N / scoring).toLocaleString('en-US')} accounts/s (${scoring.toFixed(1)} s of scoring)`);
console.log(`  peak RSS                        ${peakMb} MB`);
console.log(`  found ${opportunities.length.toLocaleString('en-US')} opportunities: ${[...byMotion].map(([m, n]) => `${m} ${n.toLocaleString('en-US')}`).join(', ')}; ${opportunities.filter((o) => o.priority?.queued).length.toLocaleString('en-US')} queued over owner capacity`);
