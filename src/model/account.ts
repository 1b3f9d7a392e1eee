import { z } from 'zod';

/**
 * Which CRM a record came from: a registry id (connectors/crm-registry.ts), checked against the registry
 * when the config loads, so a new CRM needs no change here.
 */
export const CrmSystemSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a CRM id such as hubspot');
export type CrmSystem = z.infer<typeof CrmSystemSchema>;

const isoDate = z.iso.date();

/**
 * A customer account as the worker sees it, whatever CRM it came from. Produced by a connector's read
 * mapping; every field but id and name is optional because every CRM is customised differently.
 * A missing value stays missing: scoring excludes what it does not know instead of reading it as zero.
 */
export const AccountSchema = z
  .object({
    system: CrmSystemSchema,
    /** The CRM record id (HubSpot company id, Salesforce Account Id). */
    id: z.string().min(1),
    name: z.string(),
    domain: z.string().optional(),
    /** CRM owner id (HubSpot owner id, Salesforce User Id). */
    ownerId: z.string().optional(),
    /** The owner's name, filled from the CRM's owners (users) after the read; never mapped from a field. */
    ownerName: z.string().optional(),
    arr: z.number().nonnegative().optional(),
    licensedSeats: z.number().int().nonnegative().optional(),
    plan: z.string().optional(),
    modulesOwned: z.array(z.string()).default([]),
    renewalDate: isoDate.optional(),
    /** When the customer's first contract started: tenure, so an account still ramping is not pitched. */
    customerSince: isoDate.optional(),
    employees: z.number().int().nonnegative().optional(),
    /** Enrichment: year-over-year headcount growth as a fraction (0.25 = +25%), when a data provider supplies it. */
    headcountGrowth: z.number().min(-1).max(100).optional(),
    /** Latest NPS response for the account, 0-10. */
    nps: z.number().min(0).max(10).optional(),
    /** CSAT, percent of support ratings that were satisfied (0-100). */
    csat: z.number().min(0).max(100).optional(),
    /** Support escalations open now. */
    openEscalations: z.number().int().nonnegative().optional(),
    /** Days the oldest unpaid invoice is past due; 0 when payments are current. */
    paymentOverdueDays: z.number().int().nonnegative().optional(),
    /** When the account's champion left (a CRM date). */
    championDepartedOn: isoDate.optional(),
    /** The latest meeting with a customer executive (a CRM date). */
    executiveEngagedOn: isoDate.optional(),
    /** The value that joins this account to product usage rows (see config `usage.joinOn`). */
    usageKey: z.string().optional(),
  })
  .strict();
export type Account = z.infer<typeof AccountSchema>;

export const OwnerSchema = z
  .object({
    id: z.string(),
    email: z.string().optional(),
    name: z.string().optional(),
    active: z.boolean().default(true),
  })
  .strict();
export type Owner = z.infer<typeof OwnerSchema>;

export const MotionSchema = z.enum(['seat_add', 'tier_upgrade', 'module_cross_sell']);
export type Motion = z.infer<typeof MotionSchema>;

/** The one name of each motion people read: deal names, alerts, reports. */
export const MOTION_LABELS: Readonly<Record<Motion, string>> = {
  seat_add: 'Seat expansion',
  tier_upgrade: 'Tier upgrade',
  module_cross_sell: 'Module cross-sell',
};

/**
 * An opportunity (Salesforce) or deal (HubSpot) that already exists in the CRM on one of our accounts:
 * ours (it carries an expansion key) or an AE's. Read each run so we never duplicate or overwrite.
 */
export const CrmOpportunitySchema = z
  .object({
    id: z.string(),
    accountId: z.string(),
    /** Our deterministic key when we created it; absent on an AE's own opportunity. */
    expansionKey: z.string().optional(),
    motion: MotionSchema.optional(),
    name: z.string().optional(),
    stage: z.string().optional(),
    closed: z.boolean(),
    won: z.boolean().optional(),
    /** When the CRM created it (ISO 8601), when the CRM says. */
    createdAt: z.string().optional(),
    /** Read for outcomes: the deal's owner, amount and (expected or actual) close date, as the CRM holds them. */
    ownerId: z.string().optional(),
    amount: z.number().optional(),
    closeDate: z.string().optional(),
    /** Set when the CRM's own deal type says expansion (an AE's deal may carry no motion). */
    dealType: z.literal('expansion').optional(),
    /** Current CRM values of the fields the worker writes, keyed by CRM field name, as strings. */
    values: z.record(z.string(), z.string().nullable()),
  })
  .strict();
export type CrmOpportunity = z.infer<typeof CrmOpportunitySchema>;
