import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';
import type { Assessment } from '../../src/model/assessment.ts';
import type { StoredAssessment } from '../../src/state/store.ts';

/**
 * The portal's properties change between runs (an admin deletes or edits one): the next sync reads the
 * definitions again, switches off only the rules that no longer fit, says what changed since the last
 * run, and still writes everything else (src/engine/schema-guard.ts).
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const properties = (h: Harness, name: string) => Object.fromEntries(h.emulator.listObjects('companies').map((c) => [c.properties['domain'], c.properties[name] ?? null]));

async function patchProperty(h: Harness, name: string, body: Record<string, unknown>): Promise<void> {
  // https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide: PATCH /crm/v3/properties/{objectType}/{propertyName}
  const response = await fetch(`${h.emulator.url}/crm/v3/properties/companies/${name}`, { method: 'PATCH', headers: { Authorization: `Bearer ${h.emulator.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.text()).toBe(200);
}

/** The inputs the stored assessment was scored without (`assessment` is stored as JSON). */
const missingOf = (a: StoredAssessment): readonly string[] => (a.assessment as Assessment).missing;

describe('schema drift between runs (HubSpot)', () => {
  it('a deleted read property disables just its rule; a deleted es_* property is recreated and refilled', async () => {
    harness = await startHarness();
    const first = await harness.run();
    expect(first.status).toBe('succeeded');
    expect(first.schema.disabled).toEqual([]);
    const signals = properties(harness, 'es_top_signals');
    const scores = properties(harness, 'es_score');
    expect(Object.values(signals).filter((v) => v !== null && v !== '').length).toBeGreaterThan(0);
    const before = await harness.withStore((s) => s.listAssessments());
    expect(before.every((a) => !missingOf(a).includes('plan'))).toBe(true);

    harness.emulator.deleteProperty('companies', 'plan_tier'); // read: plan
    harness.emulator.deleteProperty('companies', 'es_top_signals'); // written: provisioning makes it again
    expect(harness.emulator.listObjects('companies').every((c) => !('es_top_signals' in c.properties))).toBe(true);

    const second = await harness.run();
    expect(second.status).toBe('succeeded');
    expect(second.failures).toEqual([]);
    expect(second.schema.disabled).toEqual([
      expect.objectContaining({ severity: 'error', file: expect.stringMatching(/mappings\/hubspot\.companies\.yaml$/), line: 26, object: 'companies', field: 'plan_tier', rule: 'read', change: 'deleted or renamed in the CRM since the last run' }),
    ]);
    // Scored without a plan: every assessment lists it as missing input.
    const after = await harness.withStore((s) => s.listAssessments());
    expect(after).toHaveLength(5);
    expect(after.every((a) => missingOf(a).includes('plan'))).toBe(true);
    // The written property is back, with the same values; the other fields are untouched.
    expect(properties(harness, 'es_top_signals')).toEqual(signals);
    expect(properties(harness, 'es_score')).toEqual(scores);
    expect(second.writes.account.failed).toBe(0);
    // (Reasons text may change too now that the plan is unknown, so at least the refilled ones are updated.)
    expect(second.writes.account.updated).toBeGreaterThanOrEqual(Object.values(signals).filter((v) => v !== null && v !== '').length);
  }, 20_000);

  it('an es_health select edited to lack "yellow": yellow is not sent (schema.rejected), green and red are', async () => {
    harness = await startHarness();
    expect((await harness.run()).status).toBe('succeeded');
    const health = properties(harness, 'es_health');
    const yellow = Object.entries(health).filter(([, v]) => v === 'yellow').map(([domain]) => domain);
    expect(yellow.length).toBeGreaterThan(0);
    await patchProperty(harness, 'es_health', { options: [{ label: 'Green', value: 'green' }, { label: 'Red', value: 'red' }] });
    // Someone clears the field everywhere, so the next run has every value to write again.
    for (const c of harness.emulator.listObjects('companies')) harness.emulator.updateProperties('companies', c.id, { es_health: '' });

    const second = await harness.run();
    expect(second.status).toBe('succeeded');
    expect(second.failures).toEqual([]);
    expect(second.schema.disabled.map((d) => d.field)).not.toContain('es_health');
    expect(second.schema.rejected).toEqual([{ object: 'companies', field: 'es_health', count: yellow.length, values: ['yellow'] }]);
    const now = properties(harness, 'es_health');
    for (const [domain, value] of Object.entries(health)) expect(now[domain] || null).toBe(value === 'yellow' ? null : value);
    expect(second.writes.account.updated).toBe(Object.keys(health).length - yellow.length);
  }, 20_000);
});
