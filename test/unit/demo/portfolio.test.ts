import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeUsageCsv } from '../../../src/cli/demo/write-usage.ts';
import {
  DEMO_OWNERS,
  generateCompanies,
  generateUsage,
  syntheticAccount,
  TEAM_NAMES,
  USAGE_EVENT_KEYS,
  type PortfolioOptions,
  type Scenario,
  type SyntheticCompany,
} from '../../../src/demo/portfolio.ts';
import type { Assessment } from '../../../src/model/assessment.ts';
import type { UsageDay } from '../../../src/model/usage.ts';
import { assessAccount } from '../../../src/scoring/assess.ts';
import { defaultScoringConfig } from '../../../src/scoring/config.ts';
import { dayNumber } from '../../../src/scoring/days.ts';
import { assessPortfolio } from '../../../src/scoring/portfolio.ts';

const OPTIONS: PortfolioOptions = { companies: 1000, days: 90, asOf: '2026-11-20', seed: 7 };
const KEYS = new Set(USAGE_EVENT_KEYS);
const usageOf = (company: SyntheticCompany, options = OPTIONS) => [...generateUsage(company, options)];
const asOf = dayNumber(OPTIONS.asOf);
const daysBefore = (d: UsageDay): number => asOf - dayNumber(d.date);
const sum = (days: readonly UsageDay[], key: string): number => days.reduce((s, d) => s + (d.events[key] ?? 0), 0);
const meanOf = (days: readonly UsageDay[], value: (d: UsageDay) => number): number =>
  days.reduce((s, d) => s + value(d), 0) / Math.max(1, days.length);
const teamKeys = (days: readonly UsageDay[]): Set<string> =>
  new Set(days.flatMap((d) => Object.keys(d.events).filter((k) => k.startsWith('team_'))));

describe('synthetic portfolio', () => {
  const companies = generateCompanies(OPTIONS);

  it('is the same for the same seed and different for another', () => {
    expect(generateCompanies(OPTIONS)).toEqual(companies);
    const sample = companies.slice(0, 25);
    expect(sample.map((c) => usageOf(c))).toEqual(sample.map((c) => usageOf(c)));
    const other = generateCompanies({ ...OPTIONS, seed: 8 });
    expect(other.map((c) => c.name)).not.toEqual(companies.map((c) => c.name));
  });

  it('a company does not change when the portfolio grows', () => {
    const small = generateCompanies({ ...OPTIONS, companies: 50 });
    expect(companies.slice(0, 50)).toEqual(small);
    expect(usageOf(small[17] as SyntheticCompany)).toEqual(usageOf(companies[17] as SyntheticCompany));
  });

  it('names and domains are unique, realistic and on the .example TLD, up to 100,000 companies', () => {
    const large = generateCompanies({ ...OPTIONS, companies: 100_000 });
    expect(new Set(large.map((c) => c.name)).size).toBe(large.length);
    expect(new Set(large.map((c) => c.domain)).size).toBe(large.length);
    for (const c of companies) {
      expect(c.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+( [A-Z][a-z]+)?$/);
      expect(c.domain).toMatch(/^[a-z]+(-[a-z]+)+\.example$/);
      expect(c.key).toBe(c.domain);
    }
  });

  it('mixes the scenarios as stated', () => {
    const share = (scenario: Scenario) => companies.filter((c) => c.scenario === scenario).length / companies.length;
    const target: Record<Scenario, number> = {
      seat_pressure: 0.2,
      growing: 0.15,
      flat: 0.3,
      declining: 0.1,
      renewal_window: 0.1,
      new_account: 0.1,
      no_usage: 0.05,
    };
    for (const [scenario, expected] of Object.entries(target) as Array<[Scenario, number]>)
      expect(share(scenario)).toBeCloseTo(expected, 1);
  });

  it('gives every company a plausible contract and owner; only the renewal window scenario is inside the 90-day evaluation window', () => {
    for (const c of companies) {
      expect(c.licensedSeats).toBeGreaterThanOrEqual(5);
      expect(c.arr).toBeGreaterThan(0);
      expect(c.modulesOwned).toContain('core');
      expect(c.ownerIndex).toBeLessThan(DEMO_OWNERS.length);
      expect(c.renewalDate > OPTIONS.asOf).toBe(true);
      const days = dayNumber(c.renewalDate) - asOf;
      if (c.scenario === 'renewal_window') expect(days).toBeLessThanOrEqual(88);
      else expect(days).toBeGreaterThanOrEqual(95);
    }
  });

  it('usage ends on asOf, is keyed by domain and keeps active users within seats used', () => {
    for (const c of companies.slice(0, 200)) {
      const days = usageOf(c);
      if (c.scenario === 'no_usage') expect(days).toEqual([]);
      else if (c.scenario === 'new_account') expect(days.length).toBeLessThan(45);
      else expect(days).toHaveLength(OPTIONS.days);
      if (days.length === 0) continue;
      expect(days.at(-1)?.date).toBe(OPTIONS.asOf);
      for (const d of days) {
        expect(d.accountKey).toBe(c.domain);
        for (const key of Object.keys(d.events)) expect(KEYS.has(key)).toBe(true);
        // A day the export lost active users still has their events; the checks below need the count.
        if (d.activeUsers === undefined) continue;
        if (d.seatsUsed !== undefined) expect(d.activeUsers).toBeLessThanOrEqual(d.seatsUsed);
        // Teams split the active users; power users are a few of them.
        let team = 0;
        for (const [key, value] of Object.entries(d.events)) if (key.startsWith('team_')) team += value;
        expect(team).toBe(d.activeUsers);
        expect(d.events['power_users'] ?? 0).toBeLessThanOrEqual(Math.ceil(d.activeUsers * 0.15));
      }
    }
  });

  it('emits the plan features of the company plan and below, and module features only for owners', () => {
    const growthFeatures = ['scheduled_reports', 'custom_fields', 'sso'];
    const enterpriseFeatures = ['audit_log', 'sandbox', 'custom_roles'];
    for (const c of companies.slice(0, 300)) {
      const days = usageOf(c);
      if (days.length === 0) continue;
      const keys = new Set(days.flatMap((d) => Object.keys(d.events)));
      for (const f of [
        'reports',
        'dashboards',
        'exports',
        'bulk_edits',
        'csv_imports',
        'power_users',
        'top_decile_events',
      ])
        expect(keys.has(f)).toBe(true);
      const above =
        c.plan === 'starter'
          ? [...growthFeatures, ...enterpriseFeatures]
          : c.plan === 'growth'
            ? enterpriseFeatures
            : [];
      const own =
        c.plan === 'starter' ? [] : c.plan === 'growth' ? growthFeatures : [...growthFeatures, ...enterpriseFeatures];
      for (const f of own) expect(keys.has(f)).toBe(true);
      expect(above.filter((f) => keys.has(f)).sort()).toEqual([...c.traits.exploring].sort());
      for (const [module, feature] of [
        ['reporting', 'report_builder'],
        ['automation', 'automations'],
        ['integrations', 'integrations'],
        ['api', 'api_calls'],
      ] as const) {
        expect(keys.has(feature)).toBe(c.modulesOwned.includes(module));
      }
      const teams = teamKeys(days);
      expect(teams.size).toBeGreaterThanOrEqual(1);
      expect(teams.size).toBeLessThanOrEqual(5);
      for (const key of teams) expect(TEAM_NAMES as readonly string[]).toContain(key.slice('team_'.length));
    }
  });

  it('draws the traits and CRM facts in the stated shares', () => {
    const share = (pool: readonly SyntheticCompany[], test: (c: SyntheticCompany) => boolean) =>
      pool.filter(test).length / pool.length;
    const withUsage = companies.filter((c) => c.scenario !== 'no_usage');
    expect(
      share(
        withUsage.filter((c) => c.plan !== 'enterprise'),
        (c) => c.traits.exploring.length > 0,
      ),
    ).toBeCloseTo(0.15, 1);
    expect(
      share(
        withUsage.filter((c) => !c.modulesOwned.includes('reporting')),
        (c) => c.traits.workarounds.includes('reporting'),
      ),
    ).toBeCloseTo(0.15, 1);
    expect(
      share(
        withUsage.filter((c) => !c.modulesOwned.includes('automation')),
        (c) => c.traits.workarounds.includes('automation'),
      ),
    ).toBeCloseTo(0.1, 1);
    expect(
      share(
        withUsage.filter((c) => !c.modulesOwned.includes('integrations')),
        (c) => c.traits.workarounds.includes('integrations'),
      ),
    ).toBeCloseTo(0.1, 1);
    expect(share(withUsage, (c) => c.traits.concentrated)).toBeCloseTo(0.25, 1);
    expect(withUsage.every((c) => !c.traits.workarounds.some((m) => c.modulesOwned.includes(m)))).toBe(true);
    expect(share(companies, (c) => c.nps !== undefined)).toBeCloseTo(0.6, 1);
    expect(share(companies, (c) => c.csat !== undefined)).toBeCloseTo(0.5, 1);
    expect(share(companies, (c) => (c.paymentOverdueDays ?? 0) > 0)).toBeCloseTo(0.04, 1);
    expect(share(companies, (c) => c.championDepartedOn !== undefined)).toBeCloseTo(0.05, 1);
    expect(share(companies, (c) => c.executiveEngagedOn !== undefined)).toBeCloseTo(0.2, 1);
    expect(share(companies, (c) => c.headcountGrowth !== undefined)).toBeCloseTo(0.3, 1);
    for (const c of companies.filter((x) => x.scenario === 'declining'))
      expect(c.openEscalations).toBeGreaterThanOrEqual(1);
    for (const c of companies) {
      const account = syntheticAccount(c);
      for (const key of [
        'nps',
        'csat',
        'openEscalations',
        'paymentOverdueDays',
        'championDepartedOn',
        'executiveEngagedOn',
        'headcountGrowth',
      ] as const) {
        expect(Object.hasOwn(account, key)).toBe(c[key] !== undefined);
        expect(account[key]).toBe(c[key]);
      }
    }
  });

  it('traits show in usage at the scoring default thresholds', () => {
    for (const c of companies.filter((x) => x.scenario !== 'no_usage' && x.scenario !== 'new_account')) {
      const days = usageOf(c);
      const last30 = days.filter((d) => daysBefore(d) < 30);
      // Tier graduation: at least 5 events of each explored feature in the last 30 days.
      for (const f of c.traits.exploring) expect(sum(last30, f)).toBeGreaterThanOrEqual(5);
      // Workarounds: heavy ones at 5+ a user a week, normal ones well under it.
      const active = meanOf(
        last30.filter((d) => d.activeUsers !== undefined),
        (d) => d.activeUsers ?? 0,
      );
      for (const [module, key] of [
        ['reporting', 'exports'],
        ['automation', 'bulk_edits'],
        ['integrations', 'csv_imports'],
      ] as const) {
        const rate = sum(last30, key) / active / (30 / 7);
        if (c.traits.workarounds.includes(module)) expect(rate).toBeGreaterThanOrEqual(5);
        else expect(rate).toBeLessThan(4.5);
      }
      // Top-decile share: concentrated above 50%, otherwise under it.
      const activity = last30.reduce(
        (s, d) =>
          s +
          Object.entries(d.events)
            .filter(([k]) => k !== 'power_users' && k !== 'top_decile_events' && !k.startsWith('team_'))
            .reduce((t, [, v]) => t + v, 0),
        0,
      );
      expect(sum(last30, 'top_decile_events') / activity >= 0.5).toBe(c.traits.concentrated);
      // A new team: nowhere in days 31-60 before asOf, at least 2 active users a day over the last 14.
      if (c.traits.newTeam !== undefined) {
        const key = `team_${c.traits.newTeam}`;
        expect(
          sum(
            days.filter((d) => daysBefore(d) >= 30),
            key,
          ),
        ).toBe(0);
        expect(
          meanOf(
            days.filter((d) => daysBefore(d) < 14),
            (d) => d.events[key] ?? 0,
          ),
        ).toBeGreaterThanOrEqual(2);
      }
    }
    expect(companies.filter((c) => c.scenario === 'growing' && c.traits.newTeam !== undefined).length).toBeGreaterThan(
      0,
    );
  });

  it('the usage CSV has a column for every events key any generated day carries', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'portfolio-csv-'));
    try {
      const sample = companies.slice(0, 50);
      const file = path.join(dir, 'usage.csv');
      const rows = await writeUsageCsv({ path: file, companies: sample, portfolio: OPTIONS });
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      expect(lines).toHaveLength(rows + 1);
      const header = new Set((lines[0] ?? '').split(','));
      const carried = new Set(sample.flatMap((c) => usageOf(c).flatMap((d) => Object.keys(d.events))));
      for (const key of carried) expect(header.has(`event_${key}`)).toBe(true);
      for (const line of lines) expect(line.split(',')).toHaveLength(header.size);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('seat pressure mostly yields seat adds; sharp declines are red and on hold; flat accounts without traits get nothing pitched', () => {
    const config = defaultScoringConfig();
    const assess = (c: SyntheticCompany) =>
      assessAccount({ account: syntheticAccount(c), usage: usageOf(c), asOf: OPTIONS.asOf, config });
    const pressure = companies.filter((c) => c.scenario === 'seat_pressure').map(assess);
    const seatAdds = pressure.filter((a) => a.opportunities.some((o) => o.motion === 'seat_add'));
    expect(seatAdds.length / pressure.length).toBeGreaterThanOrEqual(0.9);
    const declining = companies.filter((c) => c.scenario === 'declining').map(assess);
    const redHold = declining.filter((a) => a.health === 'red' && a.timing === 'hold' && a.opportunities.length === 0);
    expect(redHold.length / declining.length).toBeGreaterThanOrEqual(0.9);
    const plain = companies
      .filter((c) => c.scenario === 'flat' && c.traits.exploring.length === 0 && c.traits.workarounds.length === 0)
      .map(assess);
    expect(plain.length).toBeGreaterThan(100);
    // Nothing pitched; a cross-sell resemblance may stay on watch (identified, withheld, no deal).
    expect(plain.filter((a) => a.opportunities.some((o) => o.withheld === undefined))).toEqual([]);
  });

  describe('with the scoring defaults, over the whole portfolio', () => {
    const assessments: Assessment[] = assessPortfolio(
      companies.map((c) => ({ account: syntheticAccount(c), usage: usageOf(c), ownerId: String(c.ownerIndex) })),
      { asOf: OPTIONS.asOf, config: defaultScoringConfig() },
    );
    const fired = new Set(assessments.flatMap((a) => a.signals.map((s) => s.id)));

    it.each([
      'seat_utilization',
      'usage_growth',
      'usage_decline',
      'feature_graduation',
      'power_user_concentration',
      'new_team_adoption',
      'module_workaround:reporting',
      'module_workaround:automation',
      'module_workaround:integrations',
      'headcount_growth',
      'executive_engagement',
      'low_satisfaction',
      'support_escalations',
      'payment_issue',
      'champion_departure',
      'renewal_window',
      'renewal_evaluation',
    ])('%s fires for at least one company', (id) => {
      expect(fired.has(id)).toBe(true);
    });

    it('opens every motion', () => {
      const motions = new Set(assessments.flatMap((a) => a.opportunities.map((o) => o.motion)));
      expect(motions).toEqual(new Set(['seat_add', 'tier_upgrade', 'module_cross_sell']));
    });
  });
});
