import { z } from 'zod';

const name = z.string().trim().min(1).toLowerCase();

/**
 * One rung of the plan ladder. `features` are the features this plan adds over the plans below it:
 * a customer on a lower plan who uses one of them is exploring a higher tier (tier graduation).
 */
export const PlanSchema = z
  .object({
    name: name.describe('Plan name as the CRM field holds it (compared lowercase).'),
    seatPrice: z.number().nonnegative().describe('Annual list price per seat on this plan.'),
    features: z
      .array(name)
      .default([])
      .describe('Usage event names of the features this plan adds over the plans below it.'),
  })
  .strict();
export type Plan = z.infer<typeof PlanSchema>;

/** A module (add-on) the customer may not own yet: what it costs, which events show it in use, which it replaces. */
export const ModuleSchema = z
  .object({
    id: name.describe('Module id as the CRM modules field holds it (compared lowercase).'),
    label: z.string().min(1).describe('Name the talking points use.'),
    listPrice: z
      .number()
      .nonnegative()
      .describe('Annual list price: flat, or per licensed seat when pricing is per_seat.'),
    pricing: z.enum(['flat', 'per_seat']).default('flat'),
    minPrice: z
      .number()
      .nonnegative()
      .default(0)
      .describe('Minimum annual price: a per-seat module costs max(minPrice, listPrice x seats).'),
    adjacent: z
      .array(name)
      .default([])
      .describe(
        'Usage event names of features non-owners use on the way to adopting the module (reports before Advanced Reporting): the milestone that confirms a resemblance.',
      ),
    features: z
      .array(name)
      .default([])
      .describe(
        'Usage event names that only owners of the module produce; left out when matching peers for this module.',
      ),
    workarounds: z
      .array(name)
      .default([])
      .describe(
        'Usage event names of behaviour the module would replace (heavy exports, CSV imports): the module-workaround signal counts them.',
      ),
    outcome: z
      .string()
      .min(1)
      .default('less manual work')
      .describe('What the module does for the customer, in a few words, for the talking points.'),
  })
  .strict();
export type Module = z.infer<typeof ModuleSchema>;

const DEFAULT_PLANS: Plan[] = [
  { name: 'starter', seatPrice: 360, features: ['reports', 'dashboards', 'exports'] },
  { name: 'growth', seatPrice: 600, features: ['scheduled_reports', 'custom_fields', 'sso'] },
  { name: 'enterprise', seatPrice: 900, features: ['audit_log', 'sandbox', 'custom_roles'] },
];

const DEFAULT_MODULES: Module[] = [
  {
    id: 'reporting',
    label: 'Advanced Reporting',
    listPrice: 6_000,
    pricing: 'flat',
    minPrice: 0,
    features: ['report_builder'],
    workarounds: ['exports'],
    adjacent: ['scheduled_reports'],
    outcome: 'reports built in the product instead of in spreadsheets',
  },
  {
    id: 'automation',
    label: 'Automation',
    listPrice: 120,
    pricing: 'per_seat',
    minPrice: 2_400,
    features: ['automations'],
    workarounds: ['bulk_edits'],
    adjacent: ['custom_fields'],
    outcome: 'repetitive edits done by rules instead of by hand',
  },
  {
    id: 'integrations',
    label: 'Integrations',
    listPrice: 9_000,
    pricing: 'flat',
    minPrice: 0,
    features: ['integrations'],
    workarounds: ['csv_imports'],
    adjacent: ['sso'],
    outcome: 'data kept in sync without CSV round trips',
  },
  {
    id: 'api',
    label: 'API Access',
    listPrice: 12_000,
    pricing: 'flat',
    minPrice: 0,
    features: ['api_calls'],
    workarounds: [],
    adjacent: ['webhooks'],
    outcome: 'their own tools connected directly',
  },
];

/**
 * The price book and packaging the sizing and the signals read. Defaults describe a typical three-plan
 * ladder with four add-on modules; replace them with your own under `scoring.catalog`.
 */
export const CatalogSchema = z
  .object({
    plans: z
      .array(PlanSchema)
      .default(DEFAULT_PLANS)
      .describe('The plan ladder, lowest first. A tier upgrade moves one rung up.')
      .refine((plans) => new Set(plans.map((p) => p.name)).size === plans.length, 'plan names must be unique'),
    modules: z
      .array(ModuleSchema)
      .default(DEFAULT_MODULES)
      .describe('Add-on modules offered for cross-sell.')
      .refine((modules) => new Set(modules.map((m) => m.id)).size === modules.length, 'module ids must be unique'),
  })
  .strict()
  .prefault({})
  .describe('Plans and modules: the price book for sizing, and the features that tell tiers and modules apart.');
export type Catalog = z.infer<typeof CatalogSchema>;
