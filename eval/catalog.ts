import type { Catalog } from '../src/scoring/config-catalog.ts';

export type PlanName = 'starter' | 'growth' | 'enterprise';
export type ModuleId = 'reporting' | 'automation' | 'integrations' | 'api';

export const PLANS: readonly PlanName[] = ['starter', 'growth', 'enterprise'];
export const MODULES: readonly ModuleId[] = ['reporting', 'automation', 'integrations', 'api'];

interface BookPlan {
  readonly seatPrice: number;
  readonly features: readonly string[];
}
interface BookModule {
  readonly listPrice: number;
  readonly perSeat: boolean;
  readonly minPrice: number;
  readonly feature: string;
  readonly workaround?: string;
  readonly adjacent: readonly string[];
}

/** The price book the book is labelled against; passed to the scorer as its catalog so both agree. */
export const BOOK_PLANS: Readonly<Record<PlanName, BookPlan>> = {
  starter: { seatPrice: 360, features: ['reports', 'dashboards', 'exports'] },
  growth: { seatPrice: 600, features: ['scheduled_reports', 'custom_fields', 'sso'] },
  enterprise: { seatPrice: 900, features: ['audit_log', 'sandbox', 'custom_roles'] },
};

export const BOOK_MODULES: Readonly<Record<ModuleId, BookModule>> = {
  reporting: {
    listPrice: 6_000,
    perSeat: false,
    minPrice: 0,
    feature: 'report_builder',
    workaround: 'exports',
    adjacent: ['scheduled_reports', 'dashboards'],
  },
  automation: {
    listPrice: 120,
    perSeat: true,
    minPrice: 2_400,
    feature: 'automations',
    workaround: 'bulk_edits',
    adjacent: ['custom_fields'],
  },
  integrations: {
    listPrice: 9_000,
    perSeat: false,
    minPrice: 0,
    feature: 'integrations',
    workaround: 'csv_imports',
    adjacent: ['sso'],
  },
  api: { listPrice: 12_000, perSeat: false, minPrice: 0, feature: 'api_calls', adjacent: ['webhooks'] },
};

const LABELS: Readonly<Record<ModuleId, [string, string]>> = {
  reporting: ['Advanced Reporting', 'reports built in the product instead of in spreadsheets'],
  automation: ['Automation', 'repetitive edits done by rules instead of by hand'],
  integrations: ['Integrations', 'data kept in sync without CSV round trips'],
  api: ['API Access', 'their own tools connected directly'],
};

/** The scorer's `scoring.catalog` for the book: the same plans and modules the labels read. */
export function bookCatalog(): Catalog {
  return {
    plans: PLANS.map((name) => ({ name, ...BOOK_PLANS[name], features: [...BOOK_PLANS[name].features] })),
    modules: MODULES.map((id) => {
      const m = BOOK_MODULES[id];
      const [label, outcome] = LABELS[id];
      return {
        id,
        label,
        outcome,
        listPrice: m.listPrice,
        pricing: m.perSeat ? 'per_seat' : 'flat',
        minPrice: m.minPrice,
        features: [m.feature],
        workarounds: m.workaround === undefined ? [] : [m.workaround],
        adjacent: [...m.adjacent],
      };
    }),
  };
}

/** Features of plans above `plan`: using two of them is tier graduation. */
export function higherPlanFeatures(plan: PlanName): string[] {
  return PLANS.slice(PLANS.indexOf(plan) + 1).flatMap((p) => BOOK_PLANS[p].features);
}

export const nextPlan = (plan: PlanName): PlanName | undefined => PLANS[PLANS.indexOf(plan) + 1];

export const isPlan = (value: string | undefined): value is PlanName => PLANS.some((p) => p === value);
export const isModule = (value: string): value is ModuleId => MODULES.some((m) => m === value);
