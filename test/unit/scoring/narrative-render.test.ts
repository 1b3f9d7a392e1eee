import { describe, expect, it } from 'vitest';
import { NOTE_BODY_MAX, renderHubspotNote } from '../../../connectors/hubspot/note-body.ts';
import type { UsageDay } from '../../../src/model/usage.ts';
import { account, assess, config, usage } from './helpers.ts';

const hostile = '<script>alert("x")</script> & Sons';

/** Busy enough to get every kind of text: seat add, tier upgrade, cross-sell, QBR agenda and email. */
function busy(): UsageDay[] {
  return usage([
    { days: 30, seats: 70, active: 50 },
    { days: 30, seats: 92, active: 80 },
  ]).map((d, i) => (i < 30 ? d : { ...d, events: { audit_log: 40, sandbox: 25, exports: 160 } }));
}

describe('talking points are safe to render in the CRM', () => {
  const scoring = config({
    catalog: { modules: [{ id: 'reporting', label: 'Reports <Pro>', listPrice: 6000, workarounds: ['exports'] }] },
    narrative: { productName: 'Acme & <b>Co</b>' },
  });
  const result = assess({ account: account({ name: hostile, headcountGrowth: 0.4 }), usage: busy(), config: scoring });
  const texts = [...result.opportunities.map((o) => o.narrative), result.qbrAgenda, result.outreachEmail].filter(
    (n) => n !== undefined,
  );

  it('covers every kind of text', () => {
    expect(result.opportunities.map((o) => o.motion).sort()).toEqual(['module_cross_sell', 'seat_add', 'tier_upgrade']);
    expect(texts).toHaveLength(5);
  });

  it('HubSpot notes escape names, labels and the product name from data or config, and stay within hs_note_body', () => {
    for (const n of texts) {
      const html = renderHubspotNote({ title: n.title, body: n.body, key: 'hubspot-101-seat_add-2026q4' });
      expect(html).not.toMatch(/<script|<b>|<Pro>/);
      expect(html.length).toBeLessThanOrEqual(NOTE_BODY_MAX);
    }
    const email = renderHubspotNote({
      title: result.outreachEmail?.title ?? '',
      body: result.outreachEmail?.body ?? '',
      key: 'k',
    });
    expect(email).toContain('Acme &amp; &lt;b&gt;Co&lt;/b&gt;');
  });

  it('titles fit a deal or opportunity name, and bodies a note', () => {
    for (const n of texts) {
      expect(n.title.length).toBeLessThanOrEqual(120);
      expect(n.body.length).toBeLessThanOrEqual(6_000);
    }
  });
});
