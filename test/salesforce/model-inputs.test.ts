import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaError } from '../../connectors/salesforce/emulator/schema.ts';
import { AssessmentSchema, type Assessment } from '../../src/model/assessment.ts';
import { COMPANIES } from '../support/hubspot-harness.ts';
import { startSalesforceHarness, type SalesforceHarness } from '../support/salesforce-harness.ts';
import {
  AS_OF,
  editConfig,
  FJORD,
  fjordUsage,
  GALE,
  GALE_SINCE,
  HERON,
  HERON_SINCE,
  IRIS,
  lacksSeats,
  lacksUsers,
  MINIMUM_PRICE,
  MODULE_CATALOG,
  PER_SEAT_PRICE,
  partialUsage,
  seatPressure,
  usageCsv,
  usageNdjson,
} from '../hubspot/model-inputs-fixture.ts';

/**
 * Three inputs the model takes, end to end on the Salesforce emulator: a module's minimum price, the
 * customer's tenure (Customer_Since__c), and usage rows whose source did not collect every count (read
 * from NDJSON here, CSV in the HubSpot tests).
 */


let harness: SalesforceHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function assessmentOf(h: SalesforceHarness, domain: string): Promise<Assessment> {
  const stored = await h.withStore((store) => store.getAssessment('salesforce', h.accountId(domain)));
  return AssessmentSchema.parse(stored?.assessment);
}

const motions = (h: SalesforceHarness, domain: string) =>
  h.opportunitiesOf(domain).map((o) => o['Expansion_Motion__c']);

/** A disabled rule as the report states it: where, and why. */

/** The admin adds the Date field the shipped mapping reads (unless the org has it) and fills it in. */
function addCustomerSince(h: SalesforceHarness, values: Readonly<Record<string, string>>): void {
  try {
    h.emulator.addField('Account', { name: 'Customer_Since__c', label: 'Customer since', type: 'date' });
  } catch (error) {
    if (!(error instanceof SchemaError && error.code === 'DUPLICATE_DEVELOPER_NAME')) throw error;
  }
  for (const [domain, date] of Object.entries(values)) {
    h.emulator.updateRecord('Account', h.accountId(domain), { Customer_Since__c: date });
  }
}

/** An org that never had the field. */
function removeCustomerSince(h: SalesforceHarness): void {
  try {
    h.emulator.deleteField('Account', 'Customer_Since__c');
  } catch (error) {
    if (!(error instanceof SchemaError && error.code === 'INVALID_FIELD')) throw error;
  }
}

describe('model inputs on Salesforce', () => {
  it('a per-seat module on a small account is priced at its minimum: the Opportunity Amount', async () => {
    harness = await startSalesforceHarness({ companies: [FJORD] });
    // The harness's usage writer keeps one event column; this account's workaround needs its own.
    await writeFile(path.join(harness.dir, 'usage.csv'), usageCsv(fjordUsage()));
    await editConfig(harness.configPath, { scoring: { catalog: MODULE_CATALOG } });
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(motions(harness, FJORD.domain)).toEqual(['module_cross_sell']);
    // 12 seats x 100 is 1,200 a year; the module's minimum wins.
    expect(FJORD.seats * PER_SEAT_PRICE).toBeLessThan(MINIMUM_PRICE);
    expect(harness.opportunitiesOf(FJORD.domain)[0]?.['Amount']).toBe(MINIMUM_PRICE);
    const { opportunities } = await assessmentOf(harness, FJORD.domain);
    expect(opportunities.find((o) => o.motion === 'module_cross_sell')?.arrPotential).toBe(MINIMUM_PRICE);
  });

  it('an Account still ramping gets no Opportunity while an equal but older Account does', async () => {
    harness = await startSalesforceHarness({ companies: [GALE, HERON] });
    await harness.writeUsage([...seatPressure(GALE), ...seatPressure(HERON)]);
    addCustomerSince(harness, { [GALE.domain]: GALE_SINCE, [HERON.domain]: HERON_SINCE });
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(report.schema.disabled).toEqual([]);
    expect(report.scored).toBe(2);
    expect(motions(harness, HERON.domain)).toEqual(['seat_add']);
    expect(motions(harness, GALE.domain)).toEqual([]);
    // Gale is still scored and its opportunity identified, but withheld as ramping rather than pitched.
    const gale = await assessmentOf(harness, GALE.domain);
    expect(gale.opportunities.map((o) => [o.motion, o.withheld])).toEqual([['seat_add', 'ramping']]);
    expect((await assessmentOf(harness, HERON.domain)).opportunities.map((o) => o.withheld)).toEqual([undefined]);
    const galeAccount = harness.emulator.getRecord('Account', harness.accountId(GALE.domain));
    expect(galeAccount?.['Expansion_Score__c']).toEqual(expect.any(Number));
  });

  it('an org without Customer_Since__c still syncs: its optional rule is skipped quietly, no drift reported', async () => {
    harness = await startSalesforceHarness();
    removeCustomerSince(harness);
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    // The rule is optional: skipped without being an error, drift (no alert) or a disabled rule.
    expect(report.schema.disabled).toEqual([]);
    // Tenure is unknown, not short: none is withheld as ramping; the usual Opportunities are made.
    expect(report.scored).toBe(COMPANIES.length);
    expect(report.writes.opportunity.created).toBeGreaterThan(0);
    for (const company of COMPANIES) {
      const { opportunities } = await assessmentOf(harness, company.domain);
      expect(opportunities.some((o) => o.withheld === 'ramping')).toBe(false);
    }
  });

  it('NDJSON rows with a count null or left out are kept, not reported, and the Account is scored', async () => {
    const usage = partialUsage(IRIS);
    expect([lacksSeats(usage), lacksUsers(usage)]).toEqual([10, 5]);
    harness = await startSalesforceHarness({ companies: [IRIS] });
    await writeFile(path.join(harness.dir, 'usage.ndjson'), usageNdjson(usage));
    await editConfig(harness.configPath, { usage: { source: 'file', path: 'usage.ndjson' } });
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(report.read.usageRows).toBe(usage.length);
    expect(report.read.usageProblems).toBe(0);
    expect(report.problems).toEqual([]);
    // The store holds the gaps as gaps, not zeros.
    const range = { accountKeys: [IRIS.domain], from: usage[0]!.date, to: AS_OF };
    const stored = await harness.withStore((store) => store.usageByAccount(range));
    expect(stored.get(IRIS.domain)).toEqual(usage);
    // The seat signal reads the days that have seats used: 44 of 50, sustained, so a seat add.
    const assessment = await assessmentOf(harness, IRIS.domain);
    const seat = assessment.signals.find((s) => s.id === 'seat_utilization');
    expect(seat?.evidence.find((e) => e.metric === 'seats_used')?.value).toBe(44);
    expect(motions(harness, IRIS.domain)).toEqual(['seat_add']);
  });
});
