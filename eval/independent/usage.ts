import { mulberry32 } from '../../src/demo/portfolio-traits.ts';
import type { UsageDay } from '../../src/model/usage.ts';
import { AS_OF, HISTORY_DAYS, type Case, type Curve, type Rate } from './case.ts';

/** The demo's mulberry32: the book's only source of variation, one stream per case id, so cases do not shift each other. */
export function randomFor(id: string): () => number {
  let hash = 0x811c9dc5 ^ 0x5eed_2026;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return mulberry32(hash >>> 0);
}

export function shiftDate(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function at(curve: Curve, daysAgo: number): number {
  const first = curve[0];
  if (first === undefined) return 0;
  if (daysAgo >= first[0]) return first[1];
  for (let i = 1; i < curve.length; i += 1) {
    const [d0, v0] = curve[i - 1] ?? first;
    const [d1, v1] = curve[i] ?? first;
    if (daysAgo >= d1) return d0 === d1 ? v1 : v0 + ((v1 - v0) * (d0 - daysAgo)) / (d0 - d1);
  }
  return curve[curve.length - 1]?.[1] ?? 0;
}

const rateAt = (rate: Rate, daysAgo: number): number => (typeof rate === 'number' ? rate : at(rate, daysAgo));

/** Everyday use every plan has, per active user per weekday: the features of the plans they own. */
function baseline(item: Case): Record<string, number> {
  const rates: Record<string, number> = {
    tasks: 6,
    reports: 1.2,
    dashboards: 0.8,
    exports: 0.08,
    bulk_edits: 0.04,
    csv_imports: 0.01,
  };
  if (item.plan !== 'starter') Object.assign(rates, { scheduled_reports: 0.15, custom_fields: 0.3, sso: 0.9 });
  if (item.plan === 'enterprise') Object.assign(rates, { audit_log: 0.08, sandbox: 0.03, custom_roles: 0.02 });
  const owned = new Set(item.modules ?? []);
  if (owned.has('reporting')) Object.assign(rates, { report_builder: 0.6, exports: 0.03 });
  if (owned.has('automation')) Object.assign(rates, { automations: 1.0, bulk_edits: 0.02 });
  if (owned.has('integrations')) Object.assign(rates, { integrations: 0.3, csv_imports: 0.003 });
  if (owned.has('api')) Object.assign(rates, { webhooks: 0.05 });
  return rates;
}

function ownedPerDay(item: Case): Record<string, number> {
  const owned = new Set(item.modules ?? []);
  return {
    ...(owned.has('api') ? { api_calls: 150 } : {}),
    ...(owned.has('integrations') ? { integrations: 20 } : {}),
  };
}

interface Noise {
  readonly random: () => number;
  readonly normal: () => number;
}

function noiseFor(id: string): Noise {
  const random = randomFor(id);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return { random, normal };
}

const count = (mean: number, noise: Noise, spread = 0.15): number =>
  Math.max(0, Math.round(mean * (1 + spread * noise.normal()) + (mean < 3 ? noise.random() - 0.5 : 0)));

function eventsOn(item: Case, daysAgo: number, users: number, weekend: boolean, noise: Noise): Record<string, number> {
  const events: Record<string, number> = {};
  const add = (feature: string, mean: number): void => {
    const n = count(mean, noise);
    if (n > 0) events[feature] = (events[feature] ?? 0) + n;
  };
  const rates = { ...baseline(item) };
  for (const [feature, rate] of Object.entries(item.usage.perUser ?? {})) {
    rates[feature] = (rates[feature] ?? 0) + rateAt(rate, daysAgo);
  }
  for (const [feature, rate] of Object.entries(rates)) add(feature, rate * users);
  const perDay: Record<string, Rate> = { ...ownedPerDay(item), ...(item.usage.perDay ?? {}) };
  for (const [feature, rate] of Object.entries(perDay)) add(feature, rateAt(rate, daysAgo) * (weekend ? 0.2 : 1));
  for (const [feature, hits] of Object.entries(item.usage.once ?? {})) {
    for (const [day, n] of hits) if (day === daysAgo) events[feature] = (events[feature] ?? 0) + n;
  }
  return events;
}

/** Metrics some usage sources send: power users, the top decile's events, active users per team. */
function metricsOn(
  item: Case,
  daysAgo: number,
  users: number,
  weekend: boolean,
  events: Record<string, number>,
  noise: Noise,
): Record<string, number> {
  const metrics: Record<string, number> = {};
  const total = Object.values(events).reduce((sum, n) => sum + n, 0);
  const power = item.usage.power;
  if (power !== undefined) {
    metrics['power_users'] = count(rateAt(power.users, daysAgo) * (weekend ? 0.3 : 1), noise, 0.1);
    const share = Math.min(0.95, rateAt(power.topShare, daysAgo) * (1 + 0.05 * noise.normal()));
    metrics['top_decile_events'] = Math.round(total * share);
  }
  for (const [team, share] of Object.entries(item.usage.teams ?? {})) {
    const n = count(rateAt(share, daysAgo) * users, noise, 0.08);
    if (n > 0) metrics[`team_${team}`] = n;
  }
  return metrics;
}

/** ~100 days of daily usage for one case: weekday rhythm, jitter, a few missing rows and uncollected counts. */
export function usageFor(item: Case, accountKey: string): UsageDay[] {
  const noise = noiseFor(item.id);
  const days: UsageDay[] = [];
  for (let daysAgo = HISTORY_DAYS - 1; daysAgo >= 0; daysAgo -= 1) {
    if (daysAgo > (item.tenure ?? 730)) continue;
    const date = shiftDate(AS_OF, -daysAgo);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const rowMissing = noise.random() < 0.025 && daysAgo > 1;
    const seatMissing = noise.random() < (item.usage.seatGaps ?? 0.03);
    const usersMissing = noise.random() < 0.02;
    const seatsUsed = Math.max(0, Math.round(item.seats * at(item.usage.seat, daysAgo) + 0.5 * noise.normal()));
    const dau = at(item.usage.dau ?? [[99, 0.74]], daysAgo) * (weekend ? 0.16 : 1);
    const users = Math.min(seatsUsed, Math.max(0, Math.round(seatsUsed * dau * (1 + 0.06 * noise.normal()))));
    const events = eventsOn(item, daysAgo, users, weekend, noise);
    Object.assign(events, metricsOn(item, daysAgo, users, weekend, events, noise));
    if (rowMissing) continue;
    days.push({
      accountKey,
      date,
      events,
      ...(usersMissing ? {} : { activeUsers: users }),
      ...(seatMissing ? {} : { seatsUsed }),
    });
  }
  return days;
}
