import type { DealOutcome, PitchSnapshot, SignalSighting } from '../../../src/outcomes/types.ts';

/** A deal outcome on HubSpot with only what a test names. */
export function deal(fields: Partial<DealOutcome> & Pick<DealOutcome, 'crmId' | 'accountId'>): DealOutcome {
  return {
    system: 'hubspot',
    label: 'organic',
    status: 'open',
    firstSeenAt: '2026-01-02T00:00:00.000Z',
    reopened: 0,
    updatedAt: '2026-03-01T00:00:00.000Z',
    ...fields,
  };
}

export function sighting(accountId: string, signalId: string, firstAsOf: string, lastAsOf = firstAsOf): SignalSighting {
  return { system: 'hubspot', accountId, signalId, firstAsOf, lastAsOf, strength: 0.9 };
}

export function pitch(fields: Partial<PitchSnapshot> & Pick<PitchSnapshot, 'key' | 'accountId'>): PitchSnapshot {
  return {
    system: 'hubspot',
    motion: 'seat_add',
    runId: 'run-1',
    asOf: '2026-01-05',
    pitchedAt: '2026-01-05T06:00:00.000Z',
    signals: [{ id: 'seat_utilization', strength: 1 }],
    score: 70,
    probability: 0.75,
    timing: 'now',
    health: 'green',
    potentialArr: 10_000,
    narrativeVersion: 'v1',
    propensity: 0.95,
    ...fields,
  };
}

/**
 * Seat utilization fired on A, B, C, D (2026-01-01) and G (2026-03-01). A: our pitched deal, won 30 days
 * after the signal; B: an AE's deal, won 40 days after; C: lost; D: no deal. G's deal predates its signal,
 * so it counts without the signal. E (won) and F (lost) never showed it. Owners: Dana (77) holds A, B, C;
 * Lee (88) the rest.
 */
export function scenario(): {
  outcomes: DealOutcome[];
  pitches: PitchSnapshot[];
  sightings: SignalSighting[];
} {
  const sightings = ['A', 'B', 'C', 'D'].map((id) => sighting(id, 'seat_utilization', '2026-01-01', '2026-03-02'));
  sightings.push(sighting('G', 'seat_utilization', '2026-03-01', '2026-03-04'));
  sightings.push(sighting('H', 'usage_growth', '2026-03-03', '2026-03-04'));
  const outcomes = [
    deal({
      crmId: 'd-a',
      accountId: 'A',
      label: 'created',
      status: 'won',
      amount: 10_000,
      ownerId: '77',
      motion: 'seat_add',
      expansionKey: 'k-a',
      pitchKey: 'k-a',
      createdAt: '2026-01-05T06:00:00.000Z',
      closeDate: '2026-01-31',
    }),
    deal({
      crmId: 'd-b',
      accountId: 'B',
      status: 'won',
      amount: 5_000,
      ownerId: '77',
      motion: 'seat_add',
      createdAt: '2026-01-15T00:00:00.000Z',
      closeDate: '2026-02-10',
    }),
    deal({
      crmId: 'd-c',
      accountId: 'C',
      status: 'lost',
      amount: 8_000,
      ownerId: '77',
      motion: 'tier_upgrade',
      createdAt: '2026-01-20T00:00:00.000Z',
      closeDate: '2026-03-02',
    }),
    deal({
      crmId: 'd-e',
      accountId: 'E',
      status: 'won',
      amount: 2_000,
      ownerId: '88',
      motion: 'seat_add',
      createdAt: '2026-01-10T00:00:00.000Z',
      closeDate: '2026-02-20',
    }),
    deal({
      crmId: 'd-f',
      accountId: 'F',
      status: 'lost',
      ownerId: '88',
      motion: 'seat_add',
      createdAt: '2026-01-10T00:00:00.000Z',
      closeDate: '2026-02-21',
    }),
    deal({
      crmId: 'd-g',
      accountId: 'G',
      status: 'lost',
      ownerId: '88',
      motion: 'seat_add',
      createdAt: '2026-02-01T00:00:00.000Z',
      closeDate: '2026-02-25',
    }),
    deal({
      crmId: 'd-h',
      accountId: 'H',
      label: 'influenced',
      status: 'open',
      amount: 7_000,
      ownerId: '88',
      motion: 'seat_add',
      createdAt: '2026-03-03T00:00:00.000Z',
    }),
  ];
  return { outcomes, pitches: [pitch({ key: 'k-a', accountId: 'A', ownerId: '77' })], sightings };
}
