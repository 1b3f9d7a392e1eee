import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUsageFile } from '../../../connectors/usage-file/read.ts';
import { demoSeed } from '../../../connectors/hubspot/demo-seed.ts';
import { salesforceDemoSeed } from '../../../connectors/salesforce/demo-seed.ts';
import { writeUsageCsv } from '../../../src/cli/demo/write-usage.ts';
import {
  generateCompanies,
  generateUsage,
  HISTORY_SHARES,
  syntheticAccount,
  type PortfolioOptions,
  type SyntheticCompany,
} from '../../../src/demo/portfolio.ts';
import type { UsageDay } from '../../../src/model/usage.ts';
import { assessAccount } from '../../../src/scoring/assess.ts';
import { defaultScoringConfig } from '../../../src/scoring/config.ts';
import { dayNumber } from '../../../src/scoring/days.ts';

/** Tenure and uncollected usage counts in the synthetic portfolio, so the demo exercises both. */

const OPTIONS: PortfolioOptions = { companies: 1000, days: 90, asOf: '2026-11-20', seed: 7 };
const asOf = dayNumber(OPTIONS.asOf);
const tenure = (c: SyntheticCompany): number => asOf - dayNumber(c.customerSince);
const usageOf = (c: SyntheticCompany): UsageDay[] => [...generateUsage(c, OPTIONS)];
const lacks = (d: UsageDay): boolean => d.activeUsers === undefined || d.seatsUsed === undefined;

describe('synthetic portfolio history', () => {
  const companies = generateCompanies(OPTIONS);
  const established = companies.filter((c) => ['seat_pressure', 'growing', 'flat'].includes(c.scenario));

  it('gives every company a customer-since date: new accounts and a few recent converts are still ramping', () => {
    for (const c of companies) {
      expect(c.customerSince < OPTIONS.asOf).toBe(true);
      expect(syntheticAccount(c).customerSince).toBe(c.customerSince);
    }
    // A new account signed a year before its first renewal, so weeks ago.
    for (const c of companies.filter((x) => x.scenario === 'new_account')) {
      expect(dayNumber(c.renewalDate) - dayNumber(c.customerSince)).toBe(365);
      expect(tenure(c)).toBeLessThan(90);
    }
    const converts = established.filter((c) => tenure(c) < 90);
    expect(converts.length / established.length).toBeCloseTo(HISTORY_SHARES.recentConvert, 1);
    for (const c of converts) expect(tenure(c)).toBeGreaterThanOrEqual(45);
    // Everyone else signed 2-6 years before a renewal at most 420 days out: far past ramping.
    const rest = companies.filter((c) => c.scenario !== 'new_account' && !converts.includes(c));
    for (const c of rest) expect(tenure(c)).toBeGreaterThanOrEqual(2 * 365 - 420);
  });

  it('a few companies lost one count for 1-3 days; those days keep the other count and the events', () => {
    const withUsage = companies.filter((c) => c.scenario !== 'no_usage');
    const gaps = withUsage.map((c) => ({ c, days: usageOf(c) })).filter((x) => x.days.some(lacks));
    expect(gaps.length / withUsage.length).toBeCloseTo(HISTORY_SHARES.collectionGap, 1);
    expect(gaps.some((x) => x.days.some((d) => d.seatsUsed === undefined))).toBe(true);
    expect(gaps.some((x) => x.days.some((d) => d.activeUsers === undefined))).toBe(true);
    for (const { days } of gaps) {
      const missing = days.flatMap((d, i) => (lacks(d) ? [i] : []));
      expect(missing.length).toBeLessThanOrEqual(3);
      expect(missing.at(-1)! - missing[0]!).toBe(missing.length - 1);
      for (const i of missing) {
        const d = days[i]!;
        expect(d.activeUsers === undefined && d.seatsUsed === undefined).toBe(false);
        expect(Object.keys(d.events).length).toBeGreaterThan(0);
      }
    }
  });

  it('the demo usage CSV reads back as the same days, uncollected counts left out rather than zero', async () => {
    const sample = companies.filter((c) => c.scenario !== 'no_usage').slice(0, 200);
    expect(sample.some((c) => usageOf(c).some(lacks))).toBe(true);
    const dir = await mkdtemp(path.join(tmpdir(), 'portfolio-history-'));
    try {
      const file = path.join(dir, 'usage.csv');
      await writeUsageCsv({ path: file, companies: sample, portfolio: OPTIONS });
      const read: UsageDay[] = [];
      for await (const item of readUsageFile({ path: file })) {
        expect(item.ok, item.ok ? '' : `line ${item.line}: ${item.message}`).toBe(true);
        if (item.ok) read.push(item.day);
      }
      expect(read).toEqual(sample.flatMap(usageOf));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('both demo CRMs hold the customer-since date in a date field', () => {
    const options = { companies: 40, asOf: OPTIONS.asOf, seed: 3 };
    const hubspot = demoSeed(options);
    const property = hubspot.seed.properties?.companies?.find((p) => p.name === 'customer_since');
    expect(property).toMatchObject({ type: 'date', fieldType: 'date' });
    const hubspotValues = hubspot.seed.objects?.companies?.map((o) => o.properties['customer_since']);
    expect(hubspotValues).toEqual(hubspot.companies.map((c) => c.customerSince));
    const salesforce = salesforceDemoSeed(options);
    const field = salesforce.seed.fields?.['Account']?.find((f) => f.name === 'Customer_Since__c');
    expect(field).toMatchObject({ type: 'date' });
    const salesforceValues = salesforce.seed.accounts?.map((a) => a['Customer_Since__c']);
    expect(salesforceValues).toEqual(salesforce.companies.map((c) => c.customerSince));
  });

  it('with the scoring defaults, recent converts have their opportunities withheld as ramping, nobody else', () => {
    const config = defaultScoringConfig();
    const assess = (c: SyntheticCompany) =>
      assessAccount({ account: syntheticAccount(c), usage: usageOf(c), asOf: OPTIONS.asOf, config });
    const assessed = established.map((c) => ({ c, a: assess(c) }));
    const ramping = assessed.filter((x) => tenure(x.c) < config.tenure.minDays && x.a.opportunities.length > 0);
    expect(ramping.length).toBeGreaterThan(0);
    for (const { a } of ramping) expect(a.opportunities.every((o) => o.withheld === 'ramping')).toBe(true);
    for (const { c, a } of assessed.filter((x) => tenure(x.c) >= config.tenure.minDays)) {
      expect(
        a.opportunities.some((o) => o.withheld === 'ramping'),
        c.key,
      ).toBe(false);
    }
  });
});
