import type { UsageDay } from '../src/model/usage.ts';
import { borderlineDrafts } from './book-borderline.ts';
import { dataDrafts } from './book-data.ts';
import { moduleDrafts } from './book-modules.ts';
import { redDrafts } from './book-red.ts';
import { signalDrafts } from './book-signals.ts';
import { BookError, factsOf, type Facts } from './facts.ts';
import { labelOf, type Expected } from './label.ts';
import { buildScenario, type Scenario } from './scenario.ts';
import { generateUsage } from './usage-gen.ts';

/** One account of the book: how it was built, its usage, and the label computed from its construction. */
export interface Entry {
  readonly scenario: Scenario;
  readonly usage: readonly UsageDay[];
  readonly facts: Facts;
  readonly expected: Expected;
}

export interface Book {
  readonly entries: readonly Entry[];
  /** Scenarios refused because their construction sits on a threshold: fix the archetype. */
  readonly refused: readonly string[];
}

export function allDrafts() {
  return [...signalDrafts(), ...borderlineDrafts(), ...dataDrafts(), ...redDrafts(), ...moduleDrafts()];
}

export function buildBook(): Book {
  const entries: Entry[] = [];
  const refused: string[] = [];
  const seen = new Set<string>();
  allDrafts().forEach((draft, index) => {
    if (seen.has(draft.id)) {
      refused.push(`${draft.id}: duplicate id`);
      return;
    }
    seen.add(draft.id);
    try {
      const scenario = buildScenario(draft, index);
      const usage = generateUsage(scenario);
      const facts = factsOf(scenario);
      entries.push({ scenario, usage, facts, expected: labelOf(scenario, facts, usage) });
    } catch (error) {
      if (!(error instanceof BookError)) throw error;
      refused.push(error.message);
    }
  });
  return { entries, refused };
}
