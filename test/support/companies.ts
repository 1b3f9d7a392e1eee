import type { UsageDay } from '../../src/model/usage.ts';
import { usageSeries } from './usage.ts';

/** The day every end-to-end test scores as of (the emulators' clocks start at noon on it). */
export const AS_OF = '2026-11-20';

/** A customer as the tests seed it into either CRM; each adapter turns it into its own record shape. */
export interface TestCompany {
  readonly name: string;
  readonly domain: string;
  readonly seats: number;
  readonly plan: string;
  readonly renewalDate: string;
  /** '2001' (Dana, the AE) or '2002' (Sam, the CSM): each CRM seeds both owners. */
  readonly ownerId: string;
}

type CompanyRow = readonly [name: string, domain: string, seats: number, plan: string, renewal: string, owner: string];

/** Five companies, one per situation in seed 000: seat pressure, flat, declining, renewal window, seat pressure. */
const ROWS: readonly CompanyRow[] = [
  ['Acme Analytics', 'acme.example', 50, 'growth', '2027-08-01', '2001'],
  ['Birch Logistics', 'birch.example', 40, 'growth', '2027-06-01', '2001'],
  ['Cobalt Health', 'cobalt.example', 60, 'enterprise', '2027-05-01', '2002'],
  ['Delta Freight', 'delta.example', 20, 'starter', '2026-12-10', '2002'],
  ['Ember Retail', 'ember.example', 100, 'enterprise', '2027-09-15', '2001'],
];

export const COMPANIES: readonly TestCompany[] = ROWS.map(([name, domain, seats, plan, renewalDate, ownerId]) => ({
  name,
  domain,
  seats,
  plan,
  renewalDate,
  ownerId,
}));

type Shape = (i: number) => { readonly activeUsers: number; readonly seatsUsed: number };
const flat =
  (activeUsers: number, seatsUsed: number): Shape =>
  () => ({ activeUsers, seatsUsed });

/** 88% seats for 60 days; flat 75%; a sharp decline; 95% but renewing in 20 days; 90% for 60 days. */
export function defaultUsage(asOf = AS_OF): UsageDay[] {
  const declining: Shape = (i) => (i < 30 ? { activeUsers: 50, seatsUsed: 52 } : { activeUsers: 20, seatsUsed: 24 });
  return [
    ...usageSeries({ key: 'acme.example', asOf, days: 60, shape: flat(42, 44) }),
    ...usageSeries({ key: 'birch.example', asOf, days: 60, shape: flat(28, 30) }),
    ...usageSeries({ key: 'cobalt.example', asOf, days: 60, shape: declining }),
    ...usageSeries({ key: 'delta.example', asOf, days: 60, shape: flat(18, 19) }),
    ...usageSeries({ key: 'ember.example', asOf, days: 60, shape: flat(85, 90) }),
  ];
}

/** The usage changes the contract tests make; every other account keeps its defaultUsage series. */
const GROWN: Readonly<Record<string, Shape>> = {
  // Seat pressure grows: Acme's score 67 -> 74, potential ARR 5400 -> 15000, a bigger seat deal.
  'acme.example': (i) => ({ activeUsers: 40 + Math.floor(i / 6), seatsUsed: 44 + Math.floor(i / 6) }),
  'ember.example': (i) => ({ activeUsers: 85 + Math.floor(i / 6), seatsUsed: 90 + Math.floor(i / 6) }),
  // Cobalt stops declining: red/hold -> green/now.
  'cobalt.example': flat(55, 57),
  // Birch grows into seat pressure (a new seat deal).
  'birch.example': flat(36, 37),
};

/** defaultUsage with the named accounts' series replaced by their GROWN shapes. */
export function grown(...domains: string[]): UsageDay[] {
  const usage = defaultUsage().filter((d) => !domains.includes(d.accountKey));
  for (const key of domains) {
    const shape = GROWN[key];
    if (!shape) throw new Error(`no grown usage for ${key}`);
    usage.push(...usageSeries({ key, asOf: AS_OF, days: 60, shape }));
  }
  return usage;
}

/** defaultUsage with one account's series replaced by a flat one. */
export function withFlat(domain: string, activeUsers: number, seatsUsed: number): UsageDay[] {
  const usage = defaultUsage().filter((d) => d.accountKey !== domain);
  usage.push(...usageSeries({ key: domain, asOf: AS_OF, days: 60, shape: flat(activeUsers, seatsUsed) }));
  return usage;
}
