import { afterEach, describe, expect, it } from 'vitest';
import { AssessmentSchema, type Assessment } from '../../src/model/assessment.ts';
import { COMPANIES } from '../support/companies.ts';
import type { ContractCrm, ContractStartOptions, CrmContractAdapter } from './crm-adapter.ts';
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
  usageNdjson,
} from './model-inputs-fixture.ts';

/**
 * Three inputs the model takes, end to end: a module's minimum price, the customer's tenure (an optional
 * date field in the shipped mapping), and usage rows whose source did not collect every count (CSV and NDJSON).
 */
export function describeModelInputs(a: CrmContractAdapter): void {
  const { fields: f, values: v } = a;
  let crm: ContractCrm | undefined;
  afterEach(async () => {
    await crm?.close();
    crm = undefined;
  });
  const start = async (options?: ContractStartOptions): Promise<ContractCrm> => (crm = await a.start(options));
  const motions = (c: ContractCrm, domain: string) => c.opportunitiesOf(domain).map((o) => o.fields[f.motion]);
  async function assessmentOf(c: ContractCrm, domain: string): Promise<Assessment> {
    const stored = await c.withStore((store) => store.getAssessment(a.name, c.accountId(domain)));
    return AssessmentSchema.parse(stored?.assessment);
  }

  describe(`model inputs on ${a.label}`, () => {
    it('a per-seat module on a small account is priced at its minimum: the opportunity amount', async () => {
      const c = await start({ companies: [FJORD], usage: [], config: { scoring: { catalog: MODULE_CATALOG } } });
      // The harness's usage writer keeps one event column; this account's workaround needs its own.
      await c.writeFile('usage.csv', usageCsv(fjordUsage()));
      const report = await c.run();
      expect(report.status).toBe('succeeded');
      expect(motions(c, FJORD.domain)).toEqual(['module_cross_sell']);
      // 12 seats x 100 is 1,200 a year; the module's minimum wins.
      expect(FJORD.seats * PER_SEAT_PRICE).toBeLessThan(MINIMUM_PRICE);
      expect(c.opportunitiesOf(FJORD.domain)[0]?.fields[f.amount]).toBe(v.num(MINIMUM_PRICE));
      const { opportunities } = await assessmentOf(c, FJORD.domain);
      expect(opportunities.find((o) => o.motion === 'module_cross_sell')?.arrPotential).toBe(MINIMUM_PRICE);
    });

    it('an account still ramping gets no opportunity while an equal but older account does', async () => {
      const c = await start({ companies: [GALE, HERON], usage: [...seatPressure(GALE), ...seatPressure(HERON)] });
      // The admin adds the date field the shipped mapping reads (unless the CRM has it) and fills it in.
      await c.addDateField('account', f.customerSince);
      c.edit('account', c.accountId(GALE.domain), { [f.customerSince]: GALE_SINCE });
      c.edit('account', c.accountId(HERON.domain), { [f.customerSince]: HERON_SINCE });
      const report = await c.run();
      expect(report.status).toBe('succeeded');
      expect(report.schema.disabled).toEqual([]);
      expect(report.scored).toBe(2);
      expect(motions(c, HERON.domain)).toEqual(['seat_add']);
      expect(c.opportunitiesOf(GALE.domain)).toEqual([]);
      // Gale is still scored and its opportunity identified, but withheld as ramping rather than pitched.
      const gale = await assessmentOf(c, GALE.domain);
      expect(gale.opportunities.map((o) => [o.motion, o.withheld])).toEqual([['seat_add', 'ramping']]);
      expect((await assessmentOf(c, HERON.domain)).opportunities.map((o) => o.withheld)).toEqual([undefined]);
      const score = c.account(GALE.domain)[f.score];
      expect(String(score)).toMatch(/^\d+$/);
      expect(score).toEqual(v.num(Number(score)));
    });

    it('a CRM without the customer-since field syncs: its optional rule is skipped quietly, no drift', async () => {
      const c = await start();
      await c.deleteField('account', f.customerSince);
      expect(await c.fieldExists('account', f.customerSince)).toBe(false);
      const report = await c.run();
      expect(report.status).toBe('succeeded');
      // The rule is optional: skipped without being an error, drift (no alert) or a disabled rule.
      expect(report.schema.disabled).toEqual([]);
      // Tenure is unknown, not short: nobody is withheld as ramping, and the usual opportunities are created.
      expect(report.scored).toBe(COMPANIES.length);
      expect(report.writes.opportunity.created).toBeGreaterThan(0);
      for (const company of COMPANIES) {
        const { opportunities } = await assessmentOf(c, company.domain);
        expect(opportunities.some((o) => o.withheld === 'ramping')).toBe(false);
      }
    });

    const partialTitle = '%s rows missing a count are kept, not reported, and scored on the days that have it';
    it.each(['csv', 'ndjson'] as const)(partialTitle, async (format) => {
      const usage = partialUsage(IRIS);
      expect([lacksSeats(usage), lacksUsers(usage)]).toEqual([10, 5]);
      const c = await start({ companies: [IRIS], usage: [] });
      if (format === 'csv') await c.writeFile('usage.csv', usageCsv(usage));
      else {
        // NDJSON: an uncollected count is null on some lines and left out on others.
        await c.writeFile('usage.ndjson', usageNdjson(usage));
        await c.editConfig({ usage: { source: 'file', path: 'usage.ndjson' } });
      }
      const report = await c.run();
      expect(report.status).toBe('succeeded');
      expect(report.read.usageRows).toBe(usage.length);
      expect(report.read.usageProblems).toBe(0);
      expect(report.problems).toEqual([]);
      // The store holds the gaps as gaps, not zeros.
      const range = { accountKeys: [IRIS.domain], from: usage[0]!.date, to: AS_OF };
      const stored = await c.withStore((store) => store.usageByAccount(range));
      expect(stored.get(IRIS.domain)).toEqual(usage);
      // The seat signal reads the days that have seats used: 44 of 50, sustained, so a seat add.
      const assessment = await assessmentOf(c, IRIS.domain);
      const seat = assessment.signals.find((s) => s.id === 'seat_utilization');
      expect(seat?.evidence.find((e) => e.metric === 'seats_used')?.value).toBe(44);
      expect(motions(c, IRIS.domain)).toEqual(['seat_add']);
    });

    it('a row with no count at all is reported by file and line, and the rest of the file is used', async () => {
      const usage = partialUsage(IRIS);
      const c = await start({ companies: [IRIS], usage: [] });
      const lines = usageCsv(usage).trimEnd().split('\n');
      lines.push(`${AS_OF},${IRIS.domain},,,`);
      await c.writeFile('usage.csv', `${lines.join('\n')}\n`);
      const report = await c.run();
      expect(report.read.usageProblems).toBe(1);
      const where = expect.stringMatching(new RegExp(`usage\\.csv:${lines.length}$`));
      expect(report.problems).toEqual([{ where, message: expect.stringMatching(/^the row has no count/) }]);
      expect(report.read.usageRows).toBe(usage.length);
      expect(report.scored).toBe(1);
    });
  });
}
