import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

/**
 * What a first HubSpot sync writes, in HubSpot's own shapes. Reruns, changes, dry-run and the write-back
 * contract with AEs are in the CRM contract suite (test/contract/), which HubSpot runs in contract.test.ts.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const deals = (h: Harness) => h.emulator.listObjects('deals');
const notes = (h: Harness) => h.emulator.listObjects('notes');
const company = (h: Harness, domain: string) => h.emulator.getObject('companies', h.companyId(domain));

describe('HubSpot sync end to end (real SDK against the emulator)', () => {
  it('first run: one deal per ready company, score fields on every company, one note per deal', async () => {
    harness = await startHarness();
    const report = await harness.run();
    expect(report.status).toBe('succeeded');

    const created = deals(harness);
    const keys = created.map((d) => d.properties['expansion_key']);
    expect(new Set(keys).size).toBe(created.length);
    // Acme (88%) and Ember (90%) are ready; Birch is flat, Cobalt declining (red), Delta inside its renewal window.
    const dealCompanies = created.map((d) => harness!.emulator.associationsOf('deals', d.id, 'companies'));
    expect(dealCompanies.map((ids) => ids.length)).toEqual(created.map(() => 1));
    expect(dealCompanies.flat().sort()).toEqual(
      [harness.companyId('acme.example'), harness.companyId('ember.example')].sort(),
    );
    for (const deal of created) {
      expect(deal.properties['dealstage']).toBe('appointmentscheduled');
      expect(deal.properties['pipeline']).toBe('default');
      expect(Number(deal.properties['amount'])).toBeGreaterThan(0);
      expect(deal.properties['es_motion']).toBe('seat_add');
    }
    const acmeDeal = created.find(
      (d) => harness!.emulator.associationsOf('deals', d.id, 'companies')[0] === harness!.companyId('acme.example'),
    );
    expect(acmeDeal?.properties['hubspot_owner_id']).toBe('2001');

    for (const domain of ['acme.example', 'birch.example', 'cobalt.example', 'delta.example', 'ember.example']) {
      const props = company(harness, domain)?.properties ?? {};
      expect(Number(props['es_score'])).toBeGreaterThanOrEqual(0);
      expect(['green', 'yellow', 'red']).toContain(props['es_health']);
      expect(['now', '30d', '90d', 'hold']).toContain(props['es_timing']);
    }
    expect(company(harness, 'cobalt.example')?.properties['es_health']).toBe('red');
    expect(company(harness, 'cobalt.example')?.properties['es_timing']).toBe('hold');
    expect(company(harness, 'acme.example')?.properties['es_timing']).toBe('now');

    const allNotes = notes(harness);
    expect(allNotes).toHaveLength(created.length);
    for (const deal of created) {
      const onDeal = harness.emulator.associationsOf('deals', deal.id, 'notes');
      expect(onDeal).toHaveLength(1);
    }
    const acmeNote = allNotes.find((n) => harness!.emulator.associationsOf('notes', n.id, 'deals')[0] === acmeDeal?.id);
    expect(acmeNote?.properties['hs_note_body']).toContain('88%');
    expect(report.writes.opportunity.created).toBe(2);
    expect(report.writes.note.created).toBe(2);
    expect(report.writes.account.updated).toBe(5);
  });
});
