import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/engine/report.ts';
import { AS_OF, defaultUsage, startHarness, type Harness } from '../support/hubspot-harness.ts';
import { usageSeries } from '../support/usage.ts';

/**
 * Each write policy, end to end against the HubSpot emulator, as a user would notice it: the values in
 * HubSpot, `report.conflicts` and `report.writes`. Semantics from src/engine/plan-fields.ts `decideField`:
 * a field is only ever sent when our value differs from what HubSpot holds; then
 * - always: write, whoever put the current value there;
 * - unless-edited (the default): write while the field is empty or still holds what we last wrote,
 *   otherwise keep it and list a conflict;
 * - if-empty: write only while the field is empty; anything in it (our own earlier value too) is kept,
 *   silently (no conflict);
 * - create-only: write only when the worker creates the record, never on an update.
 */

const SHIPPED = fileURLToPath(new URL('../../mappings/', import.meta.url));

/** One account write field per policy; es_top_signals has no `policy`, so it gets the default. */
const POLICY_WRITES = `write:
  - from: score
    field: es_score
    policy: always
  - from: health
    field: es_health
    policy: if-empty
  - from: timing
    field: es_timing
    policy: create-only
  - from: potentialArr
    field: es_potential_arr
    policy: unless-edited
  - from: topSignals
    field: es_top_signals
  - from: reasons
    field: es_reasons
    policy: unless-edited
  - from: scoredAt
    field: es_scored_at
    policy: always
`;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A harness whose config points at a copy of the shipped companies mapping with POLICY_WRITES as its write rules. */
async function startWithPolicies(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options);
  const shipped = await readFile(path.join(SHIPPED, 'hubspot.companies.yaml'), 'utf8');
  const readSection = shipped.slice(0, shipped.search(/^write:/m));
  expect(readSection).toMatch(/^read:/m);
  const mappingPath = path.join(h.dir, 'companies.policies.yaml');
  await writeFile(mappingPath, `${readSection}${POLICY_WRITES}`);
  const config = JSON.parse(await readFile(h.configPath, 'utf8')) as { crm: { hubspot: { mappings: { companies: string; deals: string } } } };
  config.crm.hubspot.mappings.companies = mappingPath;
  await writeFile(h.configPath, JSON.stringify(config, null, 2));
  return h;
}

const company = (h: Harness, domain: string) => h.emulator.getObject('companies', h.companyId(domain))!.properties;
const dealOf = (h: Harness, domain: string) => {
  const [id] = h.emulator.associationsOf('companies', h.companyId(domain), 'deals');
  return id === undefined ? undefined : h.emulator.getObject('deals', id);
};
const conflictFields = (report: RunReport, recordKey: string) => report.conflicts.filter((c) => c.recordKey === recordKey).map((c) => c.field).sort();
const totalWrites = (report: RunReport) => Object.values(report.writes).reduce((sum, w) => sum + w.created + w.updated + w.failed, 0);

/** Acme's seat pressure grows (score 67 -> 74, potential ARR 5400 -> 15000, a bigger seat deal); the rest as in defaultUsage. */
function grown(...domains: string[]): ReturnType<typeof defaultUsage> {
  const shapes: Record<string, (i: number) => { activeUsers: number; seatsUsed: number }> = {
    'acme.example': (i) => ({ activeUsers: 40 + Math.floor(i / 6), seatsUsed: 44 + Math.floor(i / 6) }),
    'ember.example': (i) => ({ activeUsers: 85 + Math.floor(i / 6), seatsUsed: 90 + Math.floor(i / 6) }),
    // Cobalt stops declining: red/hold -> green/now.
    'cobalt.example': () => ({ activeUsers: 55, seatsUsed: 57 }),
  };
  const usage = defaultUsage().filter((d) => !domains.includes(d.accountKey));
  for (const key of domains) usage.push(...usageSeries({ key, asOf: AS_OF, days: 60, shape: shapes[key]! }));
  return usage;
}

/** A rerun on unchanged inputs and CRM sends nothing, whatever the policies and open conflicts. */
async function expectIdleRerun(h: Harness, options: { readonly asOf?: string } = {}): Promise<RunReport> {
  h.emulator.requests.reset();
  const report = await h.run('live', options);
  expect(report.status).toBe('succeeded');
  expect(totalWrites(report)).toBe(0);
  expect(h.emulator.requests.writes()).toBe(0);
  return report;
}

describe('write policies on HubSpot company fields', () => {
  it('always: a person\'s edit is overwritten on the next run, whether or not our value changed; no conflict is reported', async () => {
    harness = await startWithPolicies();
    await harness.run();
    expect(company(harness, 'acme.example')['es_score']).toBe('67');
    expect(company(harness, 'ember.example')['es_score']).toBe('68');
    harness.emulator.updateProperties('companies', harness.companyId('acme.example'), { es_score: '5' });
    harness.emulator.updateProperties('companies', harness.companyId('ember.example'), { es_score: '99' });
    await harness.writeUsage(grown('acme.example'));

    const report = await harness.run();
    // Acme: our score moved (67 -> 74) and replaces the person's 5.
    expect(company(harness, 'acme.example')['es_score']).toBe('74');
    // Ember: our score did not move (still 68), yet the person's 99 is put back to it.
    expect(company(harness, 'ember.example')['es_score']).toBe('68');
    expect(report.conflicts.filter((c) => c.field === 'es_score')).toEqual([]);
    expect(report.writes.account.updated).toBeGreaterThanOrEqual(2);

    await expectIdleRerun(harness);
  });

  it('always on the scored-at stamp: the stamp alone never causes a write, so a hand edit of it stays until a score field changes', async () => {
    harness = await startWithPolicies();
    await harness.run();
    const birch = harness.companyId('birch.example');
    expect(company(harness, 'birch.example')['es_scored_at']).toBe(AS_OF);
    harness.emulator.updateProperties('companies', birch, { es_scored_at: '2026-01-01' });
    const report = await expectIdleRerun(harness);
    expect(company(harness, 'birch.example')['es_scored_at']).toBe('2026-01-01');
    expect(report.conflicts).toEqual([]);
    // Once a substantive field is written again (the always score, after a hand edit), the stamp goes with it.
    harness.emulator.updateProperties('companies', birch, { es_score: '1' });
    const next = await harness.run();
    expect(next.writes.account.updated).toBe(1);
    expect(company(harness, 'birch.example')).toMatchObject({ es_score: '22', es_scored_at: AS_OF });
  });

  it('unless-edited (explicit and by default): a person\'s edit is kept and listed in report.conflicts on every run; unedited fields stay current', async () => {
    harness = await startWithPolicies();
    await harness.run();
    const acme = harness.companyId('acme.example');
    expect(company(harness, 'acme.example')).toMatchObject({ es_potential_arr: '5400', es_top_signals: 'seat_utilization' });
    expect(company(harness, 'cobalt.example')['es_potential_arr']).toBe('0');
    harness.emulator.updateProperties('companies', acme, { es_potential_arr: '999', es_top_signals: 'exec sponsor (manual)' });
    await harness.writeUsage(grown('acme.example', 'cobalt.example'));

    const report = await harness.run();
    // Our potential ARR for Acme is now 15000, but the person's 999 stays; the default-policy field too.
    expect(company(harness, 'acme.example')).toMatchObject({ es_potential_arr: '999', es_top_signals: 'exec sponsor (manual)' });
    expect(conflictFields(report, acme)).toEqual(['es_potential_arr', 'es_top_signals']);
    expect(report.conflicts.find((c) => c.recordKey === acme && c.field === 'es_potential_arr')).toMatchObject({
      object: 'companies',
      accountName: 'Acme Analytics',
      reason: 'conflict',
      detail: 'changed in the CRM to "999" (we last wrote "5400"); kept, wanted "15000"',
    });
    // The rest of Acme is still written: the always score and the unless-edited reasons nobody touched.
    expect(company(harness, 'acme.example')['es_score']).toBe('74');
    // Cobalt was not edited: its unless-edited field follows our new value.
    expect(company(harness, 'cobalt.example')['es_potential_arr']).toBe('14400');
    expect(report.conflicts.every((c) => c.recordKey === acme)).toBe(true);

    // The conflict is not forgotten: the next run lists it again and still writes nothing.
    const again = await expectIdleRerun(harness);
    expect(conflictFields(again, acme)).toEqual(['es_potential_arr', 'es_top_signals']);
    expect(company(harness, 'acme.example')['es_potential_arr']).toBe('999');
  });

  it('unless-edited: a field a person cleared counts as empty and is filled again, without a conflict', async () => {
    harness = await startWithPolicies();
    await harness.run();
    const ember = harness.companyId('ember.example');
    expect(company(harness, 'ember.example')['es_potential_arr']).toBe('18000');
    harness.emulator.updateProperties('companies', ember, { es_potential_arr: '' });
    const report = await harness.run();
    expect(company(harness, 'ember.example')['es_potential_arr']).toBe('18000');
    expect(report.writes.account.updated).toBe(1);
    expect(report.conflicts).toEqual([]);
  });

  it('if-empty: fills an empty field once; never touches a value that is there, a person\'s or our own earlier one, and reports no conflict', async () => {
    harness = await startWithPolicies();
    const first = await harness.run();
    expect(first.writes.account.updated).toBe(5);
    // Empty on the first run: every company gets our health.
    expect(['acme', 'birch', 'cobalt', 'delta', 'ember'].map((c) => company(harness!, `${c}.example`)['es_health'])).toEqual(['green', 'yellow', 'red', 'green', 'green']);
    const acme = harness.companyId('acme.example');
    const birch = harness.companyId('birch.example');
    harness.emulator.updateProperties('companies', acme, { es_health: 'yellow' });
    harness.emulator.updateProperties('companies', birch, { es_health: '' });
    // Cobalt recovers: we now want green/now for it, and its score moves 0 -> 71.
    await harness.writeUsage(grown('cobalt.example'));

    const report = await harness.run();
    // The person's value is kept, silently.
    expect(company(harness, 'acme.example')['es_health']).toBe('yellow');
    // The field a person emptied is filled again.
    expect(company(harness, 'birch.example')['es_health']).toBe('yellow');
    // Our own earlier red is not refreshed either: once written, an if-empty field is never updated.
    expect(company(harness, 'cobalt.example')).toMatchObject({ es_health: 'red', es_score: '71' });
    expect(report.conflicts.filter((c) => c.field === 'es_health')).toEqual([]);
    expect(report.conflicts).toEqual([]);
    expect(report.skipped['kept'] ?? 0).toBe(0);

    await expectIdleRerun(harness);
    expect(company(harness, 'acme.example')['es_health']).toBe('yellow');
    expect(company(harness, 'cobalt.example')['es_health']).toBe('red');
  });

  it('create-only on a company field: the worker never creates companies, so the field is provisioned but never written', async () => {
    harness = await startWithPolicies();
    const first = await harness.run();
    expect(first.writes.account.updated).toBe(5);
    const timingProperty = await fetch(`${harness.emulator.url}/crm/v3/properties/companies/es_timing`, { headers: { authorization: `Bearer ${harness.emulator.token}` } });
    expect(timingProperty.status).toBe(200);
    for (const c of harness.emulator.listObjects('companies')) {
      expect(c.properties['es_timing'] ?? '').toBe('');
      // The other fields of the same update were written.
      expect(c.properties['es_score']).toMatch(/^\d+$/);
    }
    // A value a person sets is kept (create-only never updates), and nothing is reported.
    harness.emulator.updateProperties('companies', harness.companyId('acme.example'), { es_timing: 'hold' });
    await harness.writeUsage(grown('acme.example', 'cobalt.example'));
    const report = await harness.run();
    expect(company(harness, 'acme.example')['es_timing']).toBe('hold');
    expect(company(harness, 'cobalt.example')['es_timing'] ?? '').toBe('');
    expect(report.conflicts).toEqual([]);
    await expectIdleRerun(harness);
  });
});

describe('write policies on HubSpot deals (the shipped deals mapping)', () => {
  it('create-only name, stage and close date are set on create and never updated; an AE\'s amount edit is kept as a conflict', async () => {
    harness = await startWithPolicies();
    const first = await harness.run();
    expect(first.writes.opportunity.created).toBe(2);
    const acmeDeal = dealOf(harness, 'acme.example')!;
    const emberDeal = dealOf(harness, 'ember.example')!;
    expect(acmeDeal.properties).toMatchObject({ dealname: 'Acme Analytics · Seat expansion', amount: '5400', dealstage: 'appointmentscheduled', closedate: '2026-12-20T00:00:00.000Z' });
    expect(emberDeal.properties).toMatchObject({ dealname: 'Ember Retail · Seat expansion', amount: '18000' });
    const emberKey = emberDeal.properties['expansion_key']!;
    const acmeKey = acmeDeal.properties['expansion_key']!;

    // The AE takes Ember over: renames it, moves it on, and sets their own amount and close date.
    harness.emulator.updateProperties('deals', emberDeal.id, { dealname: 'Ember - 2027 seat true-up (Dana)', dealstage: 'qualifiedtobuy', amount: '12345', closedate: '2027-01-31' });
    const emberEdited = harness.emulator.getObject('deals', emberDeal.id)!.properties;
    // Both accounts grow, so every sized value we want for both deals changes; one run a week later moves the close date we want.
    await harness.writeUsage(grown('acme.example', 'ember.example'));
    const report = await harness.run('live', { asOf: '2026-11-27' });

    const acmeAfter = harness.emulator.getObject('deals', acmeDeal.id)!.properties;
    const emberAfter = harness.emulator.getObject('deals', emberDeal.id)!.properties;
    // Acme, not touched by anyone: the unless-edited amount follows our sizing, the create-only fields do not.
    expect(Number(acmeAfter['amount'])).toBeGreaterThan(5400);
    expect(acmeAfter).toMatchObject({ dealname: 'Acme Analytics · Seat expansion', dealstage: 'appointmentscheduled', closedate: '2026-12-20T00:00:00.000Z' });
    // Ember: everything the AE set is still theirs.
    expect(emberAfter).toMatchObject({ dealname: 'Ember - 2027 seat true-up (Dana)', dealstage: 'qualifiedtobuy', amount: '12345', closedate: emberEdited['closedate'] });
    // Only the unless-edited amount is a conflict; create-only fields are kept without one.
    expect(conflictFields(report, emberKey)).toEqual(['amount']);
    expect(conflictFields(report, acmeKey)).toEqual([]);
    expect(report.writes.opportunity).toMatchObject({ created: 0, updated: 2, failed: 0 });
    // The fields nobody edited on Ember's deal still follow our numbers.
    expect(emberAfter['es_expected_value']).not.toBe(emberDeal.properties['es_expected_value']);
    // No second deal for either account.
    expect(harness.emulator.listObjects('deals')).toHaveLength(2);

    const again = await expectIdleRerun(harness, { asOf: '2026-11-27' });
    expect(conflictFields(again, emberKey)).toEqual(['amount']);
  });

  it('a deal created on the grown usage gets the same name and a bigger amount: the create-only name carries no number to go stale', async () => {
    // The counterpart of the test above: the kept name still matches a deal sized today, whatever the amount became.
    harness = await startWithPolicies({ usage: grown('acme.example') });
    await harness.run();
    const deal = dealOf(harness, 'acme.example')!.properties;
    expect(deal['dealname']).toBe('Acme Analytics · Seat expansion');
    expect(Number(deal['amount'])).toBeGreaterThan(5400);
  });
});
