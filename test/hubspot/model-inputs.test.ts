import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AssessmentSchema, type Assessment } from '../../src/model/assessment.ts';
import { COMPANIES, startHarness, type Harness } from '../support/hubspot-harness.ts';
import {
  AS_OF,
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
} from './model-inputs-fixture.ts';

/**
 * Three inputs the model takes, end to end on the HubSpot emulator: a module's minimum price, the
 * customer's tenure (customer_since), and usage rows whose source did not collect every count.
 */


let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The company's deals, by the deterministic key the worker gives them. */
function dealsOf(h: Harness, domain: string) {
  const prefix = `hubspot-${h.companyId(domain)}-`;
  return h.emulator.listObjects('deals').filter((d) => (d.properties['expansion_key'] ?? '').startsWith(prefix));
}
const motions = (h: Harness, domain: string) => dealsOf(h, domain).map((d) => d.properties['es_motion']);
const writeCsv = (h: Harness, csv: string) => writeFile(path.join(h.dir, 'usage.csv'), csv);

async function assessmentOf(h: Harness, domain: string): Promise<Assessment> {
  const stored = await h.withStore((store) => store.getAssessment('hubspot', h.companyId(domain)));
  return AssessmentSchema.parse(stored?.assessment);
}

const propertiesUrl = (h: Harness) => `${h.emulator.url}/crm/v3/properties/companies`;
const auth = (h: Harness) => ({ authorization: `Bearer ${h.emulator.token}`, 'content-type': 'application/json' });
const hasCustomerSince = async (h: Harness) =>
  (await fetch(`${propertiesUrl(h)}/customer_since`, { headers: auth(h) })).status === 200;

/** The admin creates the date property the shipped mapping reads (unless the portal has it) and fills it in. */
async function addCustomerSince(h: Harness, values: Readonly<Record<string, string>>): Promise<void> {
  if (!(await hasCustomerSince(h))) {
    const property = { name: 'customer_since', label: 'Customer since', type: 'date', fieldType: 'date' };
    const body = JSON.stringify({ ...property, groupName: 'companyinformation' });
    const response = await fetch(propertiesUrl(h), { method: 'POST', headers: auth(h), body });
    expect(response.status, await response.text()).toBe(201);
  }
  for (const [domain, date] of Object.entries(values)) {
    h.emulator.updateProperties('companies', h.companyId(domain), { customer_since: date });
  }
}

/** A portal that never had the property. */
async function removeCustomerSince(h: Harness): Promise<void> {
  if (await hasCustomerSince(h)) h.emulator.deleteProperty('companies', 'customer_since');
  expect(await hasCustomerSince(h)).toBe(false);
}

/** A disabled rule as the report states it: where, and why. */

describe('model inputs on HubSpot', () => {
  it('a per-seat module on a small account is priced at its minimum: the deal amount is the minimum', async () => {
    const config = { scoring: { catalog: MODULE_CATALOG } };
    harness = await startHarness({ companies: [FJORD], usage: [], config });
    // The harness's usage writer keeps one event column; this account's workaround needs its own.
    await writeCsv(harness, usageCsv(fjordUsage()));
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    const deals = dealsOf(harness, FJORD.domain);
    expect(motions(harness, FJORD.domain)).toEqual(['module_cross_sell']);
    // 12 seats x 100 is 1,200 a year; the module's minimum wins.
    expect(FJORD.seats * PER_SEAT_PRICE).toBeLessThan(MINIMUM_PRICE);
    expect(Number(deals[0]?.properties['amount'])).toBe(MINIMUM_PRICE);
    const { opportunities } = await assessmentOf(harness, FJORD.domain);
    expect(opportunities.find((o) => o.motion === 'module_cross_sell')?.arrPotential).toBe(MINIMUM_PRICE);
  });

  it('an account still ramping gets no deal while an equal but older account does', async () => {
    harness = await startHarness({ companies: [GALE, HERON], usage: [...seatPressure(GALE), ...seatPressure(HERON)] });
    await addCustomerSince(harness, { [GALE.domain]: GALE_SINCE, [HERON.domain]: HERON_SINCE });
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    expect(report.schema.disabled).toEqual([]);
    expect(report.scored).toBe(2);
    expect(motions(harness, HERON.domain)).toEqual(['seat_add']);
    expect(dealsOf(harness, GALE.domain)).toEqual([]);
    // Gale is still scored and its opportunity identified, but withheld as ramping rather than pitched.
    const gale = await assessmentOf(harness, GALE.domain);
    expect(gale.opportunities.map((o) => [o.motion, o.withheld])).toEqual([['seat_add', 'ramping']]);
    expect((await assessmentOf(harness, HERON.domain)).opportunities.map((o) => o.withheld)).toEqual([undefined]);
    const galeCompany = harness.emulator.getObject('companies', harness.companyId(GALE.domain));
    expect(galeCompany?.properties['es_score']).toEqual(expect.stringMatching(/^\d+$/));
  });

  it('a portal without customer_since still syncs: its optional rule is skipped quietly, no drift reported', async () => {
    harness = await startHarness();
    await removeCustomerSince(harness);
    const report = await harness.run();
    expect(report.status).toBe('succeeded');
    // The rule is optional: skipped without being an error, drift (no alert) or a disabled rule.
    expect(report.schema.disabled).toEqual([]);
    // Tenure is unknown, not short: nobody is withheld as ramping, and the usual deals are created.
    expect(report.scored).toBe(COMPANIES.length);
    expect(report.writes.opportunity.created).toBeGreaterThan(0);
    for (const company of COMPANIES) {
      const { opportunities } = await assessmentOf(harness, company.domain);
      expect(opportunities.some((o) => o.withheld === 'ramping')).toBe(false);
    }
  });

  it('rows missing a count are kept, not reported, and the account is scored on the days that have it', async () => {
    const usage = partialUsage(IRIS);
    expect([lacksSeats(usage), lacksUsers(usage)]).toEqual([10, 5]);
    harness = await startHarness({ companies: [IRIS], usage: [] });
    await writeCsv(harness, usageCsv(usage));
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

  it('a row with no count at all is reported by file and line, and the rest of the file is used', async () => {
    const usage = partialUsage(IRIS);
    harness = await startHarness({ companies: [IRIS], usage: [] });
    const lines = usageCsv(usage).trimEnd().split('\n');
    lines.push(`${AS_OF},${IRIS.domain},,,`);
    await writeCsv(harness, `${lines.join('\n')}\n`);
    const report = await harness.run();
    expect(report.read.usageProblems).toBe(1);
    const where = expect.stringMatching(new RegExp(`usage\\.csv:${lines.length}$`));
    expect(report.problems).toEqual([{ where, message: expect.stringMatching(/^the row has no count/) }]);
    expect(report.read.usageRows).toBe(usage.length);
    expect(report.scored).toBe(1);
  });
});
