import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ASSOCIATE = { method: 'POST', path: /\/crm\/v4\/associations\/deals\/companies\/batch\/associate\/default$/ };
const companiesOf = (harness: Harness, dealId: string): string[] =>
  harness.emulator.associationsOf('deals', dealId, 'companies');

describe('a deal created but not associated to its company', () => {
  it('is reported as its own outcome, not as a failed create, and is linked on the next run', async () => {
    h = await startHarness();
    const fault = h.emulator.faults.add({ ...ASSOCIATE, sequence: [{ status: 500 }], repeat: true });
    const first = await h.run();
    const deals = h.emulator.listObjects('deals');
    expect(deals.length).toBeGreaterThan(0);
    // The report says what the CRM holds: the deals exist, unattached; none failed to be created.
    expect(first.writes.opportunity.failed).toBe(0);
    expect(first.writes.opportunity.unlinked).toBe(deals.length);
    expect(first.status).toBe('partial');
    expect(first.failures.filter((f) => f.code === 'hubspot_association_failed')).toHaveLength(deals.length);
    for (const deal of deals) expect(companiesOf(h, deal.id)).toEqual([]);

    fault.remove();
    const second = await h.run();
    expect(second.status).toBe('succeeded');
    expect(h.emulator.listObjects('deals')).toHaveLength(deals.length);
    for (const deal of deals) expect(companiesOf(h, deal.id)).toHaveLength(1);
    expect(second.writes.opportunity.unlinked ?? 0).toBe(0);

    h.emulator.requests.reset();
    await h.run();
    expect(h.emulator.requests.writes()).toBe(0);
  });
});
