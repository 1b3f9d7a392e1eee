import { afterEach, describe, expect, it } from 'vitest';
import { AssessmentSchema } from '../../src/model/assessment.ts';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

describe('headcount growth from the employee counts the store keeps', () => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it('a run a year later compares the CRM employee count with the one it stored, and says so with both numbers', async () => {
    harness = await startHarness();
    const h = harness;
    await h.run('live', { asOf: '2025-11-20' });
    const acme = h.companyId('acme.example');
    // Acme grew from 200 employees (seats x 4 in the harness) to 260: +30% in a year.
    const response = await fetch(`${h.emulator.url}/crm/v3/objects/companies/${acme}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${h.emulator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { numberofemployees: '260' } }),
    });
    expect(response.status).toBe(200);
    await h.run('live');
    const stored = await h.withStore((store) => store.getAssessment('hubspot', acme));
    const assessment = AssessmentSchema.parse(stored?.assessment);
    const signal = assessment.signals.find((s) => s.id === 'headcount_growth');
    expect(signal?.summary).toBe('Headcount up 30% year over year (200 to 260 employees over 365 days)');
    expect(assessment.missing).not.toContain('employeeHistory');
    // Birch's count did not change: its history is there, and no growth fires.
    const birch = AssessmentSchema.parse(
      (await h.withStore((store) => store.getAssessment('hubspot', h.companyId('birch.example'))))?.assessment,
    );
    expect(birch.signals.map((s) => s.id)).not.toContain('headcount_growth');
    expect(birch.missing).not.toContain('employeeHistory');
  });
});
