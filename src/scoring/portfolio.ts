import type { Assessment } from '../model/assessment.ts';
import { affinityProfile, featureSpace, type AffinityProfile, type FeatureSpace } from './affinity-features.ts';
import { buildAffinityModel, type AffinityModel } from './affinity.ts';
import { assessAccount, type AssessInput } from './assess.ts';
import type { ScoringConfig } from './config.ts';
import { dayNumber, prepareUsage } from './days.ts';
import { prioritize, type PriorityOptions } from './priority.ts';

/**
 * The portfolio pass, in the stages a caller that streams usage can run one account at a time:
 * 1. profile every account (profileForAffinity), 2. build the peer model (buildAffinityModel),
 * 3. assess every account against the model (assessAccount with `affinity`), 4. rank the whole
 * pipeline within owner capacity (prioritize). `assessPortfolio` runs all four on inputs in memory.
 */
export function profileForAffinity(input: Omit<AssessInput, 'affinity'>, space: FeatureSpace): AffinityProfile {
  const asOf = dayNumber(input.asOf);
  const days = prepareUsage(input.usage, { asOf, historyDays: input.config.historyDays });
  return affinityProfile({ account: input.account, days, asOf, config: input.config, space });
}

export function affinityModelFor(profiles: readonly AffinityProfile[], config: ScoringConfig): AffinityModel {
  return buildAffinityModel(profiles, featureSpace(config), config);
}

export interface PortfolioInput extends Omit<AssessInput, 'affinity' | 'config' | 'asOf'> {
  readonly ownerId?: string | undefined;
}

export function assessPortfolio(inputs: readonly PortfolioInput[], options: { readonly asOf: string; readonly config: ScoringConfig } & PriorityOptions): Assessment[] {
  const { asOf, config } = options;
  const space = featureSpace(config);
  const profiles = inputs.map((input) => profileForAffinity({ ...input, asOf, config }, space));
  const model = buildAffinityModel(profiles, space, config);
  const assessed = inputs.map((input, i) => {
    const profile = profiles[i];
    return { ownerId: input.ownerId ?? input.account.ownerId, assessment: assessAccount({ ...input, asOf, config, ...(profile ? { affinity: { model, profile } } : {}) }) };
  });
  return prioritize(assessed, config, options);
}
