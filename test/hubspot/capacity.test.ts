import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

const deals = (h: Harness) => h.emulator.listObjects('deals').map((d) => d.properties['expansion_key'] ?? '');

describe('owner capacity', () => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it('creates at most capacityPerOwner new deals per owner and period, best first; the rest wait as queued', async () => {
    // Acme (50 seats) and Ember (100 seats) both belong to owner 2001 and both need seats; Ember's add is larger.
    harness = await startHarness({ config: { scoring: { priority: { capacityPerOwner: 1 } } } });
    const h = harness;
    const first = await h.run();
    const ember = h.companyId('ember.example');
    const acme = h.companyId('acme.example');
    expect(deals(h).filter((k) => k.includes(`-${ember}-`) || k.includes(`-${acme}-`))).toEqual([
      `hubspot-${ember}-seat_add-2026q4`,
    ]);
    expect(first.skipped['queued']).toBe(1);
    // Same period: the deal created earlier still counts, so Acme keeps waiting.
    const second = await h.run();
    expect(second.writes.opportunity.created).toBe(0);
    expect(second.skipped['queued']).toBe(1);
    // A period later (by the clock: an old asOf would not dodge it) the owner has capacity again.
    const inAMonth = new Date(Date.now() + 31 * 86_400_000);
    const later = await h.run('live', { now: () => inAMonth });
    expect(deals(h)).toContain(`hubspot-${acme}-seat_add-2026q4`);
    expect(later.skipped['queued'] ?? 0).toBe(0);
  });
});
