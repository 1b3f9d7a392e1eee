import { isoDate } from '../scoring/days.ts';
import { between, hashString, mulberry32, type Random } from './portfolio-traits.ts';
import type { Scenario } from './portfolio.ts';

/**
 * Two facts about a synthetic company's history that the contract and the usage draws do not cover:
 * how long it has been a customer (tenure), and the few days its usage export did not collect a count.
 * Each comes from a stream of its own, seeded by the portfolio seed and the company key, so adding them
 * left every other draw, and so every existing company and its usage, as it was.
 */

const TENURE_SALT = 0x27d4eb2f;
const GAP_SALT = 0x165667b1;

/** Shares of the companies; a recent convert is one of the scenarios that have a full usage history. */
export const HISTORY_SHARES = {
  /** Signed 45-85 days ago after a pilot: still ramping, though the usage file reaches further back. */
  recentConvert: 0.08,
  /** An export outage of 1-3 days in the usage history. */
  collectionGap: 0.1,
  /** Of the outages, the share that lost active users rather than seats used. */
  activeUsersGap: 1 / 3,
} as const;

const CONVERT_SCENARIOS: readonly Scenario[] = ['seat_pressure', 'growing', 'flat'];
/** An annual contract, in days. */
const YEAR = 365;

export interface TenureSubject {
  readonly key: string;
  readonly seed: number;
  readonly scenario: Scenario;
  /** Day numbers (days since 1970-01-01). */
  readonly asOf: number;
  readonly renewal: number;
}

/**
 * When the company became a customer, as RevOps record it. Annual contracts: a new account signed a year
 * before its first renewal (5-45 days ago, so it is still ramping); an established one 2-6 years before
 * its next renewal. A recent convert ran a pilot first, so its usage starts before its contract.
 */
export function drawCustomerSince(subject: TenureSubject): string {
  const random = mulberry32(hashString(subject.key) ^ subject.seed ^ TENURE_SALT);
  if (subject.scenario === 'new_account') return isoDate(subject.renewal - YEAR);
  const convert = random() < HISTORY_SHARES.recentConvert && CONVERT_SCENARIOS.includes(subject.scenario);
  if (convert) return isoDate(subject.asOf - between(random, 45, 85));
  return isoDate(subject.renewal - between(random, 2, 6) * YEAR);
}

/** A count the usage export did not collect on some days: not zero, just not known. */
export interface CollectionGap {
  readonly count: 'activeUsers' | 'seatsUsed';
  /** Day indexes (0 = the oldest day of the company's usage), inclusive. */
  readonly from: number;
  readonly to: number;
}

export interface GapSubject {
  readonly key: string;
  readonly seed: number;
  /** Days of usage the company has. */
  readonly length: number;
}

/** The company's export outage, if it had one: 1-3 days anywhere in its usage, one count lost. */
export function drawCollectionGap(options: GapSubject): CollectionGap | undefined {
  const random: Random = mulberry32(hashString(options.key) ^ options.seed ^ GAP_SALT);
  if (options.length < 1 || random() >= HISTORY_SHARES.collectionGap) return undefined;
  const count = random() < HISTORY_SHARES.activeUsersGap ? 'activeUsers' : 'seatsUsed';
  const days = between(random, 1, Math.min(3, options.length));
  const from = between(random, 0, options.length - days);
  return { count, from, to: from + days - 1 };
}

export function gapHides(gap: CollectionGap | undefined, t: number, count: CollectionGap['count']): boolean {
  return gap !== undefined && gap.count === count && t >= gap.from && t <= gap.to;
}
