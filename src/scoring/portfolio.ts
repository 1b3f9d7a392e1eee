import type { Account } from '../model/account.ts';
import type { Assessment } from '../model/assessment.ts';
import { affinityProfile, featureSpace, type AffinityProfile } from './affinity-features.ts';
import { buildAffinityModel, type AffinityModel } from './affinity.ts';
import { assessAccount, type AssessInput } from './assess.ts';
import type { ScoringConfig } from './config.ts';
import { dayNumber, prepareUsage } from './days.ts';
import { prioritize, type PriorityOptions } from './priority.ts';

/** One account as the portfolio pass reads it. The profile pass reads only `account` and `usage`. */
export interface PortfolioInput extends Omit<AssessInput, 'affinity' | 'config' | 'asOf'> {
  /** Whose capacity the account's opportunities count against; the account's CRM owner unless given. */
  readonly ownerId?: string | undefined;
}

export type PortfolioPassName = 'profile' | 'assess';

/**
 * Every account of the portfolio, once for each pass and in the same order both times. A function rather
 * than a list so a caller can stream: the engine reads usage from the store a chunk at a time on each
 * pass and the benchmark generates it, so nothing holds 90 days of usage for every account at once.
 */
export type PortfolioSource = (pass: PortfolioPassName) => Iterable<PortfolioInput> | AsyncIterable<PortfolioInput>;

export interface PortfolioPassOptions {
  /** YYYY-MM-DD: the day the assessments are for. */
  readonly asOf: string;
  readonly config: ScoringConfig;
}

/** One account's assessment within the portfolio; `ownerId` is the owner its pipeline counts against. */
export interface PortfolioAssessment {
  readonly account: Account;
  readonly ownerId: string | undefined;
  readonly assessment: Assessment;
}

/** An assessed account to rank: its opportunities count against `ownerId`, else the account's CRM owner. */
export interface RankItem {
  readonly account: Account;
  readonly ownerId?: string | undefined;
  readonly assessment: Assessment;
}

/**
 * The portfolio pass: 1. profile every account for cross-sell peer matching, 2. build the peer model from
 * the profiles, 3. assess every account against the model (with its history and previous assessment).
 * Ranking (4.) is `rankPortfolio`, apart because the engine ranks only once it has read which
 * opportunities are already open in the CRM. Pure: the source is the caller's, so is any I/O in it.
 */
export async function assessPortfolioFrom(
  source: PortfolioSource,
  options: PortfolioPassOptions,
): Promise<PortfolioAssessment[]> {
  const pass = portfolioPass(options);
  await forEach(source('profile'), pass.profile);
  pass.buildModel();
  const assessed: PortfolioAssessment[] = [];
  await forEach(source('assess'), (input) => void assessed.push(pass.assess(input)));
  return assessed;
}

/**
 * The whole pass, ranking included, over accounts in memory (tests and the eval books): one assessment
 * per input, in input order.
 */
export function assessPortfolio(
  inputs: readonly PortfolioInput[],
  options: PortfolioPassOptions & PriorityOptions,
): Assessment[] {
  const pass = portfolioPass(options);
  for (const input of inputs) pass.profile(input);
  pass.buildModel();
  const assessed = inputs.map(pass.assess);
  return rankPortfolio(assessed, options.config, options).map((item) => item.assessment);
}

/**
 * Ranks the portfolio's pipeline within each owner's capacity (see prioritize). Withheld opportunities
 * (renewal evaluation, ramping, watch) are no pipeline: they are left out of the ranking, so they take no
 * owner capacity and no tier share, and come back unranked after the pitched ones.
 */
export function rankPortfolio<T extends RankItem>(
  items: readonly T[],
  config: ScoringConfig,
  options: PriorityOptions = {},
): T[] {
  const pitched = items.map(({ account, ownerId, assessment }) => ({
    assessment: { ...assessment, opportunities: assessment.opportunities.filter((o) => o.withheld === undefined) },
    ownerId: ownerId ?? account.ownerId,
  }));
  const ranked = prioritize(pitched, config, options);
  return items.map((item, i) => {
    const base = ranked[i] ?? pitched[i]?.assessment;
    if (base === undefined) return item;
    const withheld = item.assessment.opportunities.filter((o) => o.withheld !== undefined);
    return { ...item, assessment: { ...base, opportunities: [...base.opportunities, ...withheld] } };
  });
}

/** The steps of the pass, shared by the streaming and the in-memory driver. */
function portfolioPass({ asOf, config }: PortfolioPassOptions) {
  const space = featureSpace(config);
  const profiles: AffinityProfile[] = [];
  let model: AffinityModel | undefined;
  let assessed = 0;
  return {
    profile: (input: PortfolioInput): void => {
      const days = prepareUsage(input.usage, { asOf: dayNumber(asOf), historyDays: config.historyDays });
      profiles.push(affinityProfile({ account: input.account, days, asOf: dayNumber(asOf), config, space }));
    },
    buildModel: (): void => {
      model = buildAffinityModel(profiles, space, config);
    },
    assess: (input: PortfolioInput): PortfolioAssessment => {
      const profile = profiles[assessed];
      assessed += 1;
      // The peer match is by position: a source that reorders between passes would match the wrong peers.
      if (profile !== undefined && profile.accountId !== input.account.id) {
        throw new Error(`portfolio source yielded ${input.account.id} where the profile pass had ${profile.accountId}`);
      }
      const affinity = profile && model ? { affinity: { model, profile } } : {};
      const assessment = assessAccount({ ...input, asOf, config, ...affinity });
      return { account: input.account, ownerId: input.ownerId ?? input.account.ownerId, assessment };
    },
  };
}

/** Visits a sync source without an await per item, an async one item by item. */
async function forEach<T>(items: Iterable<T> | AsyncIterable<T>, visit: (item: T) => void): Promise<void> {
  if (Symbol.asyncIterator in items) {
    for await (const item of items) visit(item);
    return;
  }
  for (const item of items) visit(item);
}
