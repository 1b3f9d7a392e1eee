import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isHoldout } from '../../src/outcomes/holdout.ts';
import { cli } from '../support/cli.ts';
import { startHarness, type Harness } from '../support/hubspot-harness.ts';

const PipelineJson = z.object({
  opportunities: z.array(z.object({ accountId: z.string(), withheld: z.string().optional() })),
  totals: z.object({ byWithheld: z.record(z.string(), z.object({ count: z.number(), expectedValue: z.number() })) }),
});

/** Accounts a deal or a note of ours touches: by the key on our deals and by the notes' company links. */
function pitchedAccounts(h: Harness): Set<string> {
  const touched = new Set<string>();
  for (const deal of h.emulator.listObjects('deals'))
    for (const company of h.emulator.associationsOf('deals', deal.id, 'companies')) touched.add(company);
  for (const note of h.emulator.listObjects('notes')) {
    for (const company of h.emulator.associationsOf('notes', note.id, 'companies')) touched.add(company);
    for (const deal of h.emulator.associationsOf('notes', note.id, 'deals'))
      for (const company of h.emulator.associationsOf('deals', deal, 'companies')) touched.add(company);
  }
  return touched;
}

describe('the holdout on a full sync', () => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it('never creates a deal or a note for a holdout account, and lists its opportunities as holdout', async () => {
    const share = 0.5;
    harness = await startHarness({ config: { learning: { holdoutShare: share } } });
    const h = harness;
    await h.run();
    await h.run();
    const ids = h.emulator.listObjects('companies').map((c) => c.id);
    const held = ids.filter((id) => isHoldout('hubspot', id, share));
    const touched = pitchedAccounts(h);
    expect(held.length).toBeGreaterThan(0);
    expect(touched.size).toBeGreaterThan(0);
    expect(held.filter((id) => touched.has(id))).toEqual([]);

    const out = await cli(['pipeline', '--config', h.configPath, '--json'], { HUBSPOT_TOKEN: h.emulator.token });
    expect(out.stderr).toBe('');
    const pipeline = PipelineJson.parse(JSON.parse(out.stdout));
    const holdoutRows = pipeline.opportunities.filter((r) => r.withheld === 'holdout');
    // Some ready accounts fell in the holdout: they are listed, and only they are.
    expect(holdoutRows.length).toBeGreaterThan(0);
    expect(holdoutRows.every((r) => held.includes(r.accountId))).toBe(true);
    expect(
      pipeline.opportunities.filter((r) => r.withheld === undefined).every((r) => !held.includes(r.accountId)),
    ).toBe(true);
    expect(pipeline.totals.byWithheld['holdout']?.count).toBe(holdoutRows.length);
    expect(pipeline.totals.byWithheld['holdout']?.expectedValue).toBeGreaterThan(0);

    const text = await cli(['pipeline', '--config', h.configPath], { HUBSPOT_TOKEN: h.emulator.token });
    expect(text.stdout).toMatch(/Holdout: \d+ opportunities on \d+ accounts kept never pitched/);
  });

  it('pitches the same accounts when the holdout share is 0', async () => {
    harness = await startHarness({ config: { learning: { holdoutShare: 0 } } });
    const h = harness;
    await h.run();
    // The accounts a 0.5 share holds out do get deals and notes once the holdout is off.
    const held = h.emulator.listObjects('companies').filter((c) => isHoldout('hubspot', c.id, 0.5));
    const touched = pitchedAccounts(h);
    expect(held.filter((c) => touched.has(c.id)).length).toBeGreaterThan(0);
    const out = await cli(['pipeline', '--config', h.configPath, '--json'], { HUBSPOT_TOKEN: h.emulator.token });
    const pipeline = PipelineJson.parse(JSON.parse(out.stdout));
    expect(pipeline.opportunities.filter((r) => r.withheld === 'holdout')).toEqual([]);
  });
});
