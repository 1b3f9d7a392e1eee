import { describe, expect, it } from 'vitest';
import type { Account } from '../../../src/model/account.ts';
import { affinityProfile, featureSpace, type AffinityProfile } from '../../../src/scoring/affinity-features.ts';
import { buildAffinityModel, scoreAffinity } from '../../../src/scoring/affinity.ts';
import { ScoringConfigSchema } from '../../../src/scoring/config.ts';
import { dayNumber, type Day } from '../../../src/scoring/days.ts';

const config = ScoringConfigSchema.parse({});
const space = featureSpace(config);
const asOf = dayNumber('2026-11-20');

/** 30 days of usage with these events per active user per day. */
function days(perUser: Record<string, number>, active = 20): Day[] {
  return Array.from({ length: 30 }, (_, i) => ({
    day: asOf - 29 + i,
    activeUsers: active,
    seatsUsed: active,
    events: Object.fromEntries(Object.entries(perUser).map(([k, v]) => [k, v * active])),
  }));
}

function profile(
  id: string,
  options: { readonly owns?: readonly string[]; readonly perUser: Record<string, number>; readonly seats?: number },
): AffinityProfile {
  const account: Account = {
    system: 'hubspot',
    id,
    name: id,
    plan: 'growth',
    licensedSeats: options.seats ?? 30,
    modulesOwned: [...(options.owns ?? [])],
  };
  return affinityProfile({ account, days: days(options.perUser), asOf, config, space });
}

/** Integrations owners schedule many reports and sync data; accounts that do not own it mostly live in dashboards. */
function portfolio(): AffinityProfile[] {
  const adopters = Array.from({ length: 20 }, (_, i) =>
    profile(`adopter-${i}`, {
      owns: ['integrations'],
      perUser: { scheduled_reports: 6 + (i % 3), sso: 2, integrations: 9, dashboards: 1 },
    }),
  );
  const others = Array.from({ length: 30 }, (_, i) =>
    profile(`other-${i}`, { perUser: { dashboards: 7 + (i % 4), reports: 3 } }),
  );
  return [...adopters, ...others];
}

describe('cross-sell affinity', () => {
  const profiles = portfolio();
  const lookalike = profile('lookalike', { perUser: { scheduled_reports: 7, sso: 2, dashboards: 1 }, seats: 12 });
  const unlike = profile('unlike', { perUser: { dashboards: 8, reports: 3 }, seats: 800 });
  const model = buildAffinityModel([...profiles, lookalike, unlike], space, config);

  it("an account that behaves like the module's adopters scores high, one that does not scores low", () => {
    const high = scoreAffinity(model, lookalike, 'integrations', config);
    const low = scoreAffinity(model, unlike, 'integrations', config);
    expect(high?.probability).toBeGreaterThanOrEqual(0.6);
    expect(low?.probability).toBeLessThanOrEqual(0.1);
  });

  it('ranks by probability, not contract size: the small look-alike beats the large account', () => {
    const ranked = [unlike, lookalike]
      .map((p) => ({ id: p.accountId, probability: scoreAffinity(model, p, 'integrations', config)?.probability ?? 0 }))
      .sort((a, b) => b.probability - a.probability);
    expect(ranked.map((r) => r.id)).toEqual(['lookalike', 'unlike']);
  });

  it('keeps the nearest adopters as evidence, and counts them', () => {
    const score = scoreAffinity(model, lookalike, 'integrations', config);
    expect(score?.peerIds).toHaveLength(config.crossSell.peersShown);
    expect(score?.peerIds.every((id) => id.startsWith('adopter-'))).toBe(true);
    expect(score?.evidence.peers.map((e) => e.window)).toEqual(score?.peerIds);
    expect(score?.evidence.neighbours.value).toBe(config.crossSell.neighbours);
    expect(score?.evidence.adopters.value).toBe(20);
  });

  it("matches without the module's own features: owners' integration events do not make every non-owner look unlike them", () => {
    const withoutOwnFeature = buildAffinityModel([...profiles, lookalike], space, config);
    const excluded = space.excludedFor.get('integrations') ?? [];
    expect(excluded.map((i) => space.names[i])).toEqual(['events.integrations']);
    expect(scoreAffinity(withoutOwnFeature, lookalike, 'integrations', config)?.probability).toBeGreaterThanOrEqual(
      0.6,
    );
  });

  it('is not scored for a module with too few adopters, or an account without usage', () => {
    expect(scoreAffinity(model, lookalike, 'api', config)).toBeUndefined();
    const silent = affinityProfile({
      account: { system: 'hubspot', id: 'silent', name: 'silent', modulesOwned: [] },
      days: [],
      asOf,
      config,
      space,
    });
    expect(scoreAffinity(model, silent, 'integrations', config)).toBeUndefined();
  });

  it('corrects for sampling half adopters: in a portfolio where few adopt, a middling match is not a coin flip', () => {
    const sparse = [
      ...profiles.slice(0, 6),
      ...Array.from({ length: 200 }, (_, i) =>
        profile(`many-${i}`, {
          perUser: { dashboards: 5 + (i % 5), reports: 2, scheduled_reports: i % 7 === 0 ? 6 : 0 },
        }),
      ),
    ];
    const between = profile('between', { perUser: { scheduled_reports: 3, dashboards: 4, reports: 1 } });
    const sparseModel = buildAffinityModel([...sparse, between], space, config);
    const score = scoreAffinity(sparseModel, between, 'integrations', config);
    const share = (score?.evidence.adopterNeighbours.value ?? 0) / (score?.evidence.neighbours.value ?? 1);
    expect(score?.probability).toBeLessThan(share + 1e-9);
  });
});
