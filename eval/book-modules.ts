import type { ModuleId, PlanName } from './catalog.ts';
import { pick } from './prng.ts';
import { compose, type Draft, type Trait } from './scenario.ts';
import { executive, headcount, seatCrunch, workaround } from './traits.ts';

/**
 * Module adopters, so resemblance has peers, and the accounts compared with them: look-alikes that also
 * reached the adopters' milestone (adjacent features, seed 000 "behavioral milestones that preceded
 * successful cross-sell"), look-alikes without it, and large top-plan accounts that merely resemble.
 */

interface Profile {
  readonly plan: PlanName;
  readonly seats: readonly number[];
  /** The adopters' feature mix (events per active user a day), module feature aside. */
  readonly mix: Readonly<Record<string, number>>;
  /** The adjacent features' rates for a look-alike that has not reached the milestone. */
  readonly quietAdjacent: Readonly<Record<string, number>>;
}

const PROFILES: Readonly<Record<ModuleId, Profile>> = {
  reporting: {
    plan: 'growth',
    seats: [30, 36, 44, 52, 60, 70],
    mix: { reports: 2.4, dashboards: 0.6, scheduled_reports: 0.35 },
    quietAdjacent: { dashboards: 0.04, scheduled_reports: 0.02 },
  },
  automation: {
    plan: 'growth',
    seats: [60, 72, 84, 96, 110, 120],
    mix: { custom_fields: 0.5, bulk_edits: 0.3, reports: 1.2 },
    quietAdjacent: { custom_fields: 0.03 },
  },
  integrations: {
    plan: 'enterprise',
    seats: [150, 180, 210, 240, 270, 300],
    mix: { sso: 0.4, csv_imports: 0.2, audit_log: 0.6 },
    quietAdjacent: { sso: 0.03 },
  },
  api: {
    plan: 'enterprise',
    seats: [100, 130, 160, 190, 220, 240],
    mix: { webhooks: 0.5, audit_log: 0.5, sandbox: 0.3 },
    quietAdjacent: { webhooks: 0 },
  },
};
const ADOPTERS: Readonly<Record<ModuleId, number>> = { reporting: 14, automation: 12, integrations: 12, api: 12 };
const MODULE_IDS: readonly ModuleId[] = ['reporting', 'automation', 'integrations', 'api'];

type ProfileFields = Pick<Draft, 'plan' | 'seats' | 'modules' | 'mixAdd'>;

/** The module's adopter profile; `milestone: false` keeps the look but drops the adjacent-feature use. */
function profileOf(module: ModuleId, i: number, owns: boolean, milestone = true): ProfileFields {
  const p = PROFILES[module];
  const mixAdd = milestone ? p.mix : { ...p.mix, ...p.quietAdjacent };
  return { plan: p.plan, seats: pick(p.seats, i), ...(owns ? { modules: [module] } : {}), mixAdd };
}

function adopters(): Draft[] {
  return MODULE_IDS.flatMap((module) =>
    Array.from({ length: ADOPTERS[module] }, (_, i) => {
      const extra: Trait[] = i % 4 === 3 ? [seatCrunch] : i % 5 === 4 ? [executive(40)] : [];
      return compose(
        {
          id: `adopter-${module}-${i}`,
          archetype: 'modules: adopter',
          ...profileOf(module, i, true),
          note: `owns ${module} and uses it daily: a peer for resemblance, never cross-sold its own module`,
        },
        ...extra,
      );
    }),
  );
}

function lookAlikes(): Draft[] {
  const variants: ReadonlyArray<[string, Trait[]]> = [
    ['quiet', []],
    ['quiet-b', []],
    ['exec-hiring', [executive(20), headcount()]],
    ['crunch', [seatCrunch]],
  ];
  const confirmed = MODULE_IDS.flatMap((module) =>
    variants.map(([name, traits], i) =>
      compose(
        {
          id: `lookalike-${module}-${name}`,
          archetype: 'modules: look-alike with milestone',
          ...profileOf(module, i + 1, false),
          adopterLike: module,
          note: `profile of ${module} adopters and their adjacent-feature milestone (seed 000 cohort similarity)`,
        },
        ...traits,
      ),
    ),
  );
  const watch = MODULE_IDS.flatMap((module) =>
    [0, 1].map((i) => ({
      id: `lookalike-${module}-no-milestone-${i}`,
      archetype: 'modules: look-alike without milestone',
      ...profileOf(module, i + 2, false, false),
      adopterLike: module,
      note: `looks like ${module} adopters without their milestone: watch, not pitched (seed 004)`,
    })),
  );
  return [...confirmed, ...watch];
}

function largeTopPlan(): Draft[] {
  return Array.from({ length: 8 }, (_, i) => ({
    id: `large-enterprise-${i}`,
    archetype: 'modules: large top plan',
    plan: 'enterprise' as const,
    seats: pick([250, 320, 400, 500], i),
    ...(i % 3 === 2 ? { modules: ['reporting' as const] } : {}),
    note: 'large enterprise account, no workaround or milestone: size alone is no cross-sell (seed 004 watch)',
  }));
}

function confirmedByWorkaround(): Draft[] {
  return [
    compose(
      {
        id: 'workaround-lookalike-reporting',
        archetype: 'modules: workaround and milestone',
        ...profileOf('reporting', 3, false),
        adopterLike: 'reporting',
        note: 'reporting look-alike with heavy exports',
      },
      workaround('reporting'),
    ),
    compose(
      {
        id: 'adopter-reporting-workaround-integrations',
        archetype: 'modules: adopter with other whitespace',
        ...profileOf('reporting', 4, true),
        note: 'owns Advanced Reporting, heavy CSV imports: Integrations is open',
      },
      workaround('integrations'),
    ),
    compose(
      {
        id: 'adopter-api-workaround-automation',
        archetype: 'modules: adopter with other whitespace',
        ...profileOf('api', 2, true),
        note: 'owns API Access, heavy bulk edits: Automation is whitespace',
      },
      workaround('automation'),
    ),
    compose(
      {
        id: 'workaround-starter-exports',
        archetype: 'modules: workaround only',
        plan: 'starter',
        seats: 24,
        note: 'small starter account living in exports (seed 001 doing by hand what a module automates)',
      },
      workaround('reporting', 2),
    ),
    compose(
      {
        id: 'workaround-two-modules',
        archetype: 'modules: workaround only',
        plan: 'growth',
        seats: 64,
        note: 'heavy bulk edits and CSV imports: two modules of whitespace',
      },
      workaround('automation'),
      workaround('integrations'),
    ),
  ];
}

export function moduleDrafts(): Draft[] {
  return [...adopters(), ...lookAlikes(), ...largeTopPlan(), ...confirmedByWorkaround()];
}
