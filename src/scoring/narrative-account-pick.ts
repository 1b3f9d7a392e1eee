import type { Narrative } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { outreachEmail, qbrAgenda } from './narrative-account.ts';
import type { AccountNarrativeInput } from './narrative-inputs.ts';

/**
 * Seed 001: strong accounts also get a QBR agenda and an outreach email draft. Strong means a score at
 * or above narrative.strongScoreAt, green health, outreach due now or this month (not while a risk, a
 * decline, a ramp-up or the renewal evaluation defers it), and at least one pitched opportunity.
 */
export function accountNarratives(
  input: AccountNarrativeInput,
  config: ScoringConfig,
): { qbrAgenda?: Narrative; outreachEmail?: Narrative } {
  const strong = input.score >= config.narrative.strongScoreAt;
  const due = input.timing === 'now' || input.timing === '30d';
  if (input.opportunities.length === 0 || input.health !== 'green' || !due || !strong) return {};
  return { qbrAgenda: qbrAgenda(input), outreachEmail: outreachEmail(input) };
}
