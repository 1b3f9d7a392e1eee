import { describe, expect, it } from 'vitest';
import { explorationPick, isHoldout, pitchPropensity } from '../../../src/outcomes/holdout.ts';

const ids = Array.from({ length: 10_000 }, (_, i) => `acct-${i}`);

describe('the holdout', () => {
  it('holds out about the configured share of accounts, the same set on every call', () => {
    const first = ids.filter((id) => isHoldout('hubspot', id, 0.05));
    const second = ids.filter((id) => isHoldout('hubspot', id, 0.05));
    expect(second).toEqual(first);
    // 5% of 10,000: 500, with a binomial standard deviation near 22.
    expect(first.length).toBeGreaterThan(430);
    expect(first.length).toBeLessThan(570);
  });

  it('is a pure function of system and account id, so every run and process draws the same set', () => {
    // Pinned: this set was drawn by another process; a change of hash or salt would reshuffle every holdout.
    const pinned = ids.slice(0, 200).filter((id) => isHoldout('hubspot', id, 0.05));
    expect(pinned).toMatchInlineSnapshot(`
      [
        "acct-1",
        "acct-46",
        "acct-69",
        "acct-83",
        "acct-115",
        "acct-137",
        "acct-170",
        "acct-181",
      ]
    `);
  });

  it('draws per system, nests as the share grows, and is empty at 0', () => {
    expect(ids.filter((id) => isHoldout('hubspot', id, 0))).toEqual([]);
    const small = ids.filter((id) => isHoldout('hubspot', id, 0.05));
    const large = new Set(ids.filter((id) => isHoldout('hubspot', id, 0.2)));
    expect(small.every((id) => large.has(id))).toBe(true);
    const salesforce = ids.filter((id) => isHoldout('salesforce', id, 0.05));
    expect(salesforce).not.toEqual(small);
  });
});

describe('exploration', () => {
  it('picks about its share, independently of the holdout', () => {
    const picked = ids.filter((id) => explorationPick('hubspot', id, 0.1));
    expect(picked).toEqual(ids.filter((id) => explorationPick('hubspot', id, 0.1)));
    expect(picked.length).toBeGreaterThan(900);
    expect(picked.length).toBeLessThan(1100);
    const held = new Set(ids.filter((id) => isHoldout('hubspot', id, 0.1)));
    // Different salts: the two sets overlap about as much as independent draws would (10% of 10%).
    const both = picked.filter((id) => held.has(id)).length;
    expect(both).toBeGreaterThan(60);
    expect(both).toBeLessThan(140);
    expect(ids.filter((id) => explorationPick('hubspot', id, 0))).toEqual([]);
  });

  it('gives the probability of a pitch: outside the holdout, and past capacity only if explored', () => {
    expect(pitchPropensity({ holdoutShare: 0.05, explorationShare: 0.1, pastCapacity: false })).toBeCloseTo(0.95);
    expect(pitchPropensity({ holdoutShare: 0.05, explorationShare: 0.1, pastCapacity: true })).toBeCloseTo(0.095);
  });
});
