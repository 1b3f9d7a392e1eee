import type { Narrative } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { outreachEmail, qbrAgenda } from './narrative-account.ts';
import type { AccountNarrativeInput } from './narrative-inputs.ts';

/**
 * Seed 001: strong accounts also get a QBR agenda and an outreach email draft. Strong means a score at
 * or above narrative.strongScoreAt, green or yellow health (never red), and at least one opportunity.
 */
export function accountNarratives(input: AccountNarrativeInput, config: ScoringConfig): { qbrAgenda?: Narrative; outreachEmail?: Narrative } {
  if (input.opportunities.length === 0 || input.health === 'red' || input.score < config.narrative.strongScoreAt) return {};
  return { qbrAgenda: qbrAgenda(input), outreachEmail: outreachEmail(input) };
}
