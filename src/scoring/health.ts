import type { Health } from '../model/assessment.ts';
import type { ScoringConfig } from './config.ts';
import { citations, lowerFirst } from './evidence.ts';
import type { Evaluation } from './result.ts';
import type { SeatFacts } from './seat-utilization.ts';
import { trendSentence, type TrendFacts } from './usage-trend.ts';

export interface HealthVerdict {
  readonly health: Health;
  /** Why, in one plain sentence with the numbers from the usage evidence. */
  readonly reason: string;
}

export interface HealthInput {
  readonly seat: Evaluation<SeatFacts>;
  readonly trend: Evaluation<TrendFacts>;
  readonly config: ScoringConfig;
}

/**
 * Seed 000's traffic light. Red: usage falling sharply, retention first. Yellow: a milder decline, or
 * usage flat with nothing pointing to expansion (nurture first). Green: growing, or steady under
 * sustained seat pressure. Renewal proximity is a timing fact, not health, so it never turns a light green.
 */
export function assessHealth(input: HealthInput): HealthVerdict {
  const { trend } = input;
  if (!trend.evaluated) {
    return { health: 'yellow', reason: `Yellow: ${lowerFirst(trend.reason)}` };
  }
  const sentence = trendSentence(trend.evidence, citations().cite);
  if (trend.change <= input.config.decline.redBelow) {
    return { health: 'red', reason: `Red: ${lowerFirst(sentence)}. Retention comes first; no expansion pitch.` };
  }
  if (trend.direction === 'decline') {
    return { health: 'yellow', reason: `Yellow: ${lowerFirst(sentence)}. Nurture before any expansion pitch.` };
  }
  if (trend.direction === 'growth') {
    return { health: 'green', reason: `Green: ${lowerFirst(sentence)}.` };
  }
  const seatActive = input.seat.evaluated && input.seat.active;
  return seatActive
    ? { health: 'green', reason: 'Green: usage is steady and the team is short of seats.' }
    : { health: 'yellow', reason: 'Yellow: usage is steady and no expansion signal has fired; a candidate for proactive nurture.' };
}
