import { describe, expect, it } from 'vitest';
import { DEMO_OWNERS, generateCompanies, generateUsage, syntheticAccount, type PortfolioOptions, type Scenario, type SyntheticCompany } from '../../../src/demo/portfolio.ts';
import { assessAccount } from '../../../src/scoring/assess.ts';
import { defaultScoringConfig } from '../../../src/scoring/config.ts';

const OPTIONS: PortfolioOptions = { companies: 1000, days: 90, asOf: '2026-11-20', seed: 7 };
const FEATURES = new Set(['reports', 'dashboards', 'api_calls', 'exports', 'integrations', 'automations']);
const usageOf = (company: SyntheticCompany, options = OPTIONS) => [...generateUsage(company, options)];

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
    const target: Record<Scenario, number> = { seat_pressure: 0.2, growing: 0.15, flat: 0.3, declining: 0.1, renewal_window: 0.1, new_account: 0.1, no_usage: 0.05 };
    for (const [scenario, expected] of Object.entries(target) as Array<[Scenario, number]>) expect(share(scenario)).toBeCloseTo(expected, 1);
  });

  it('gives every company a plausible contract and owner', () => {
    for (const c of companies) {
      expect(c.licensedSeats).toBeGreaterThanOrEqual(5);
      expect(c.arr).toBeGreaterThan(0);
      expect(c.modulesOwned).toContain('core');
      expect(c.ownerIndex).toBeLessThan(DEMO_OWNERS.length);
      expect(c.renewalDate > OPTIONS.asOf).toBe(true);
      if (c.scenario === 'renewal_window') expect(Date.parse(c.renewalDate) - Date.parse(OPTIONS.asOf)).toBeLessThan(60 * 86_400_000);
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
        expect(d.activeUsers).toBeLessThanOrEqual(d.seatsUsed);
        for (const feature of Object.keys(d.events)) expect(FEATURES.has(feature)).toBe(true);
      }
    }
  });

  it('seat pressure mostly yields seat adds; sharp declines are red and on hold', () => {
    const config = defaultScoringConfig();
    const assess = (c: SyntheticCompany) => assessAccount({ account: syntheticAccount(c), usage: usageOf(c), asOf: OPTIONS.asOf, config });
    const pressure = companies.filter((c) => c.scenario === 'seat_pressure').map(assess);
    const seatAdds = pressure.filter((a) => a.opportunities.some((o) => o.motion === 'seat_add'));
    expect(seatAdds.length / pressure.length).toBeGreaterThanOrEqual(0.9);
    const declining = companies.filter((c) => c.scenario === 'declining').map(assess);
    const redHold = declining.filter((a) => a.health === 'red' && a.timing === 'hold' && a.opportunities.length === 0);
    expect(redHold.length / declining.length).toBeGreaterThanOrEqual(0.9);
    const flat = companies.filter((c) => c.scenario === 'flat').map(assess);
    expect(flat.filter((a) => a.opportunities.length > 0)).toEqual([]);
  });
});
