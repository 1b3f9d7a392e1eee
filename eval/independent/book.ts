import { AccountSchema, type Account } from '../../src/model/account.ts';
import type { UsageDay } from '../../src/model/usage.ts';
import { AS_OF, type Case, type ModuleId, type Plan } from './case.ts';
import { CRUNCH_CASES } from './cases-crunch.ts';
import { GROWTH_CASES } from './cases-growth.ts';
import { MODULE_CASES } from './cases-modules.ts';
import { RISK_CASES } from './cases-risk.ts';
import { SEAT_CASES } from './cases-seats.ts';
import { STEADY_CASES } from './cases-steady.ts';
import { randomFor, shiftDate, usageFor } from './usage.ts';

export const CASES: readonly Case[] = [
  ...SEAT_CASES,
  ...CRUNCH_CASES,
  ...MODULE_CASES,
  ...RISK_CASES,
  ...GROWTH_CASES,
  ...STEADY_CASES,
];

/** The default catalog's list prices, only to give accounts a plausible ARR. */
const SEAT_PRICE: Record<Plan, number> = { starter: 360, growth: 600, enterprise: 900 };
const moduleArr = (id: ModuleId, seats: number): number =>
  ({ reporting: 6_000, automation: Math.max(2_400, 120 * seats), integrations: 9_000, api: 12_000 })[id];

export interface BookEntry {
  readonly item: Case;
  readonly account: Account;
  readonly usage: UsageDay[];
  readonly ownerId: string;
}

/**
 * The CRM record around a case: what the case states, and ordinary values for the rest (NPS 7-9 on two
 * accounts in three, CSAT 85-97, no escalations, paid up, renewal 150-330 days out), drawn from the case's
 * own stream so adding a case changes no other account.
 */
function accountFor(item: Case, index: number): Account {
  const random = randomFor(`${item.id}/crm`);
  const draw = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const modules = item.modules ?? [];
  const sparse = item.sparse === true;
  const nps = item.nps ?? (!sparse && random() < 0.67 ? draw(7, 9) : undefined);
  const csat = item.csat ?? (!sparse && random() < 0.7 ? draw(85, 97) : undefined);
  const renewalIn = item.renewalIn === undefined ? (sparse ? null : draw(150, 330)) : item.renewalIn;
  const key = `${item.id.toLowerCase()}.example`;
  return AccountSchema.parse({
    system: index % 2 === 0 ? 'hubspot' : 'salesforce',
    id: `ind-${item.id}`,
    name: item.id,
    domain: key,
    usageKey: key,
    ownerId: `owner-${index % 6}`,
    arr: item.seats * SEAT_PRICE[item.plan] + modules.reduce((sum, m) => sum + moduleArr(m, item.seats), 0),
    licensedSeats: item.seats,
    plan: item.plan,
    modulesOwned: [...modules],
    customerSince: shiftDate(AS_OF, -(item.tenure ?? draw(400, 1500))),
    employees: item.employees ?? item.seats * draw(4, 10),
    ...(renewalIn === null ? {} : { renewalDate: shiftDate(AS_OF, renewalIn) }),
    ...(item.headcount === undefined ? {} : { headcountGrowth: item.headcount }),
    ...(nps === undefined ? {} : { nps }),
    ...(csat === undefined ? {} : { csat }),
    ...(sparse ? {} : { openEscalations: item.escalations ?? 0, paymentOverdueDays: item.overdue ?? 0 }),
    ...(item.championLeftAgo === undefined ? {} : { championDepartedOn: shiftDate(AS_OF, -item.championLeftAgo) }),
    ...(item.execAgo === undefined ? {} : { executiveEngagedOn: shiftDate(AS_OF, -item.execAgo) }),
  });
}

export function buildBook(): BookEntry[] {
  return CASES.map((item, index) => {
    const account = accountFor(item, index);
    const usage = usageFor(item, account.usageKey ?? account.id);
    return { item, account, usage, ownerId: account.ownerId ?? 'owner-0' };
  });
}
