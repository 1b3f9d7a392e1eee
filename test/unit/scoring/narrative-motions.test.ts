import { describe, expect, it } from 'vitest';
import type { Account } from '../../../src/model/account.ts';
import type { Evidence, ExpansionOpportunity, Narrative, Signal } from '../../../src/model/assessment.ts';
import type { AffinityScore } from '../../../src/scoring/affinity.ts';
import { ScoringConfigSchema, type ScoringConfig } from '../../../src/scoring/config.ts';
import { dayNumber, isoDate, type Day } from '../../../src/scoring/days.ts';
import { untracedNumbers } from '../../../src/scoring/evidence.ts';
import { seatAddNarrative } from '../../../src/scoring/narrative.ts';
import { outreachEmail, qbrAgenda } from '../../../src/scoring/narrative-account.ts';
import { crossSellNarrative } from '../../../src/scoring/narrative-cross-sell.ts';
import type {
  AccountNarrativeInput,
  CrossSellNarrativeInput,
  NarrativeFacts,
  TierNarrativeInput,
} from '../../../src/scoring/narrative-inputs.ts';
import { tierUpgradeNarrative } from '../../../src/scoring/narrative-tier.ts';
import { evaluateRenewal } from '../../../src/scoring/renewal.ts';
import type { NotEvaluated } from '../../../src/scoring/result.ts';
import { evaluateSeatUtilization } from '../../../src/scoring/seat-utilization.ts';
import { sizeSeatAdd } from '../../../src/scoring/sizing.ts';
import {
  sizeModule,
  sizeTierUpgrade,
  type ModuleSizingEvidence,
  type MotionSizing,
  type TierSizingEvidence,
} from '../../../src/scoring/sizing-motions.ts';
import { evaluateUsageTrend } from '../../../src/scoring/usage-trend.ts';

const config: ScoringConfig = ScoringConfigSchema.parse({ narrative: { productName: 'Beacon' } });
const euro: ScoringConfig = ScoringConfigSchema.parse({
  narrative: { productName: 'Beacon' },
  pricing: { currency: 'EUR' },
});
const AS_OF = dayNumber('2026-11-20');

const account = (overrides: Partial<Account> = {}): Account => ({
  system: 'hubspot',
  id: '101',
  name: 'Acme Analytics',
  licensedSeats: 100,
  plan: 'growth',
  modulesOwned: [],
  renewalDate: isoDate(AS_OF + 100),
  ...overrides,
});

/** Sixty days: the first thirty at 70 seats, the last thirty at 92 seats (active users a little lower). */
function days(): Day[] {
  const out: Day[] = [];
  for (let i = 0; i < 60; i += 1) {
    const seats = i < 30 ? 70 : 92;
    out.push({ day: AS_OF - 59 + i, activeUsers: seats - 3, seatsUsed: seats, events: {} });
  }
  return out;
}

const ev = (metric: string, value: number, unit: Evidence['unit'] = 'count'): Evidence => ({
  metric,
  value,
  unit,
  window: 'last 30 days',
  source: 'derived',
});

const headcount: Signal = {
  id: 'headcount_growth',
  kind: 'expansion',
  strength: 0.6,
  summary: 'Headcount grew 25% year over year',
  evidence: [ev('headcount_growth', 25, 'percent')],
};
const powerUsers: Signal = {
  id: 'power_user_concentration',
  kind: 'expansion',
  strength: 0.5,
  summary: '4 power users in the top 10% of activity',
  evidence: [ev('power_users', 4, 'users'), ev('power_user_percentile', 10, 'percent')],
};
const executive: Signal = {
  id: 'executive_engagement',
  kind: 'expansion',
  strength: 0.4,
  summary: 'An executive met the team 12 days ago',
  evidence: [ev('days_since_executive_meeting', 12, 'days')],
};
/** A summary whose number its evidence does not hold: the narratives must leave it out. */
const untraced: Signal = {
  id: 'new_team_adoption',
  kind: 'expansion',
  strength: 0.4,
  summary: 'A new team started on 2026-11-02',
  evidence: [ev('new_teams', 1)],
};
const lowNps: Signal = {
  id: 'low_satisfaction',
  kind: 'risk',
  strength: 0.3,
  summary: 'NPS of 6 on the latest response',
  evidence: [ev('nps', 6)],
};

const notEvaluated = (missing: string): NotEvaluated => ({
  evaluated: false,
  missing: [missing],
  reason: `No ${missing}.`,
});

function facts(
  options: {
    readonly account?: Account;
    readonly supporting?: readonly Signal[];
    readonly risks?: readonly Signal[];
    readonly evaluated?: boolean;
    readonly config?: ScoringConfig;
  } = {},
): NarrativeFacts {
  const acct = options.account ?? account();
  const evaluated = options.evaluated ?? true;
  return {
    account: acct,
    seat: evaluated
      ? evaluateSeatUtilization({ account: acct, days: days(), asOf: AS_OF, config })
      : notEvaluated('usage'),
    trend: evaluated ? evaluateUsageTrend({ days: days(), asOf: AS_OF, config }) : notEvaluated('usage'),
    renewal: evaluated ? evaluateRenewal({ account: acct, asOf: AS_OF, config }) : notEvaluated('renewalDate'),
    supporting: options.supporting ?? [untraced, headcount, powerUsers, executive],
    risks: options.risks ?? [],
    health: 'green',
    timing: 'now',
    productName: config.narrative.productName,
    config: options.config ?? config,
  };
}

const enterprise = config.catalog.plans[2];
const automation = config.catalog.modules.find((m) => m.id === 'automation');
const reporting = config.catalog.modules.find((m) => m.id === 'reporting');
if (enterprise === undefined || automation === undefined || reporting === undefined)
  throw new Error('default catalog changed');

const graduation: Signal = {
  id: 'feature_graduation',
  kind: 'expansion',
  strength: 0.7,
  summary: '2 of 3 Enterprise features used in the last 30 days',
  evidence: [ev('higher_plan_features_used', 2), ev('higher_plan_features', 3), ev('window_days', 30, 'days')],
};

function tierSizing(acct: Account): MotionSizing<TierSizingEvidence> {
  const sizing = sizeTierUpgrade({ account: acct, seatsInUse: 92, next: enterprise!, config });
  if (sizing === undefined) throw new Error('tier sizing expected');
  return sizing;
}

function tierInput(options: Parameters<typeof facts>[0] = {}): TierNarrativeInput {
  const base = facts(options);
  return {
    ...base,
    graduation,
    exploredFeatures: ['audit_log', 'sandbox'],
    next: enterprise!,
    sizing: tierSizing(base.account),
  };
}

function moduleSizing(acct: Account, module: typeof automation): MotionSizing<ModuleSizingEvidence> {
  const sizing = sizeModule({ account: acct, module: module!, config });
  if (sizing === undefined) throw new Error('module sizing expected');
  return sizing;
}

const affinity: AffinityScore = {
  probability: 0.72,
  baseRate: 0.3,
  lift: 2.4,
  milestoneReached: true,
  peerIds: ['peer-1', 'peer-2'],
  evidence: {
    probability: {
      metric: 'cross_sell_affinity',
      value: 72,
      unit: 'percent',
      window: 'last 30 days of usage',
      source: 'derived',
    },
    adopterNeighbours: {
      metric: 'nearest_peers_owning_module',
      value: 12,
      unit: 'count',
      window: 'automation',
      source: 'derived',
    },
    neighbours: { metric: 'nearest_peers', value: 15, unit: 'count', window: 'automation', source: 'derived' },
    adopters: {
      metric: 'module_adopters_in_portfolio',
      value: 140,
      unit: 'count',
      window: 'automation',
      source: 'crm',
    },
    portfolio: { metric: 'accounts_in_portfolio', value: 600, unit: 'count', window: 'this run', source: 'crm' },
    peers: [
      {
        metric: 'peer_similarity',
        value: 91,
        unit: 'percent',
        window: 'peer-1',
        comparison: 'peer peer-1 owns automation',
        source: 'derived',
      },
    ],
  },
};

const workaround: Signal = {
  id: 'module_workaround:automation',
  kind: 'expansion',
  strength: 0.6,
  summary: '340 bulk edits in the last 30 days (1.2 per active user a week), work Automation would replace',
  evidence: [
    ev('workaround_events.automation', 340),
    ev('workaround_rate.automation', 1.2, 'ratio'),
    ev('workaround_spandays', 30, 'days'),
  ],
};
const milestone: Signal = {
  id: 'module_milestone:automation',
  kind: 'expansion',
  strength: 0.5,
  summary:
    '410 uses of custom fields in the last 30 days (1.5 per active user a week), the step teams take before Automation',
  evidence: [
    ev('adjacent_events.automation', 410, 'events'),
    ev('adjacent_rate.automation', 1.5, 'ratio'),
    ev('adjacent_window_days', 30, 'days'),
  ],
};

interface CrossSellOptions {
  readonly withAffinity?: boolean;
  readonly withWorkaround?: boolean;
  readonly withMilestone?: boolean;
  readonly lift?: number;
  readonly module?: typeof automation;
}

function crossSellInput(options: Parameters<typeof facts>[0] & CrossSellOptions = {}): CrossSellNarrativeInput {
  const base = facts(options);
  const module = options.module ?? automation!;
  return {
    ...base,
    module,
    workaround: options.withWorkaround === false ? undefined : workaround,
    ...(options.withMilestone === true ? { milestone } : {}),
    affinity: options.withAffinity === false ? undefined : { ...affinity, lift: options.lift ?? affinity.lift },
    sizing: moduleSizing(base.account, module),
    probability: 0.64,
  };
}

function seatNarrative(base: NarrativeFacts): Narrative {
  if (!base.seat.evaluated) throw new Error('seat evaluation expected');
  const sizing = sizeSeatAdd({
    days: days(),
    usageEnd: AS_OF,
    licensedSeats: 100,
    plan: 'growth',
    headcountGrowth: undefined,
    previousSeats: undefined,
    config,
  });
  return seatAddNarrative({ ...base, seat: base.seat.evidence, sizing });
}

function opportunity(
  motion: ExpansionOpportunity['motion'],
  narrative: Narrative,
  extra: Partial<ExpansionOpportunity> = {},
): ExpansionOpportunity {
  return {
    motion,
    arrPotential: 1000,
    arrLow: 800,
    arrHigh: 1200,
    probability: 0.5,
    expectedValue: 500,
    timing: 'now',
    signalIds: [],
    narrative,
    ...extra,
  };
}

function accountInput(
  top: 'seat_add' | 'tier_upgrade' | 'module_cross_sell' | 'none',
  options: Parameters<typeof facts>[0] = {},
): AccountNarrativeInput {
  const base = facts(options);
  const seat = base.seat.evaluated ? opportunity('seat_add', seatNarrative(base), { seatsToAdd: 10 }) : undefined;
  const tier = opportunity('tier_upgrade', tierUpgradeNarrative(tierInput(options)), { targetPlan: 'enterprise' });
  const cross = opportunity('module_cross_sell', crossSellNarrative(crossSellInput(options)), { module: 'automation' });
  const ordered =
    top === 'none'
      ? []
      : top === 'seat_add'
        ? [seat, tier, cross]
        : top === 'tier_upgrade'
          ? [tier, cross, seat]
          : [cross, seat, tier];
  return { ...base, opportunities: ordered.filter((o): o is ExpansionOpportunity => o !== undefined), score: 78 };
}

/** The rules every narrative keeps, whatever it is. */
function expectWellFormed(n: Narrative): void {
  expect(untracedNumbers(`${n.title}\n${n.body}`, n.evidence)).toEqual([]);
  expect(n.title.length).toBeLessThanOrEqual(120);
  expect(n.body.length).toBeLessThanOrEqual(3500);
  for (const text of [n.title, n.body]) {
    expect(text).not.toContain('{{');
    expect(text).not.toMatch(/undefined|NaN|null|\[object/);
    // Peer accounts are counted, never named.
    expect(text).not.toContain('peer-');
  }
  // The untraced summary never reaches the text.
  expect(n.body).not.toContain('A new team started');
}

function objectionCount(body: string): number {
  const paragraph = body.split('\n\n').find((p) => p.startsWith('Likely objections:'));
  if (paragraph === undefined) return 0;
  return paragraph.split('\n').filter((line) => line.startsWith('- ')).length;
}

function expectTalkingPoints(n: Narrative): void {
  expectWellFormed(n);
  const paragraphs = n.body.split('\n\n');
  for (const label of ['Recommendation:', 'Why it matters to them:', 'Likely objections:', 'Next step:']) {
    expect(
      paragraphs.some((p) => p.startsWith(label)),
      label,
    ).toBe(true);
  }
  expect(paragraphs.at(-1)).toMatch(/^Next step: /);
  // The opener comes first and is not a labelled section.
  expect(paragraphs[0]).not.toMatch(/^(Recommendation|Why it matters|Likely objections|Next step):/);
  expect(objectionCount(n.body)).toBeGreaterThanOrEqual(2);
  expect(objectionCount(n.body)).toBeLessThanOrEqual(3);
}

describe('seat add talking points', () => {
  it('carries two or three objections and keeps every number traced', () => {
    const n = seatNarrative(facts());
    expectTalkingPoints(n);
    expect(n.body).toMatch(
      /^Open with their own numbers: "Your team has been at 92% seat utilization for 4 weeks — here's what we're seeing\."/,
    );
  });

  it('sizes from the busy days and gives the range to negotiate, with every amount in the configured currency', () => {
    const n = seatNarrative(facts());
    const seats = n.evidence.find((e) => e.metric === 'seats_to_add')?.value;
    expect(n.title).toBe(`Add ${seats} seats: 92% seat utilization for 4 weeks`);
    expect(n.body).toMatch(
      /Recommendation: add \d+ seats, taking them from 100 to \d+ licensed seats, for \$[\d,]+ in added ARR at \$600 per seat a year\./,
    );
    expect(n.body).toContain('on busy days over the last 28 days they use 92 seats');
    expect(n.body).toMatch(/Room to negotiate: \d+ seats \(\$[\d,]+\) is the smallest add that ends the crunch/);
    const inEuro = seatNarrative(facts({ config: euro }));
    expect(inEuro.body).toContain('at €600 per seat a year');
    expect(inEuro.body).not.toContain('$');
  });
});

describe('tier upgrade talking points', () => {
  const cases = [
    { name: 'full facts', input: tierInput() },
    { name: 'nothing evaluated, no supporting signals', input: tierInput({ evaluated: false, supporting: [] }) },
    { name: 'a risk on the account', input: tierInput({ risks: [lowNps] }) },
    { name: 'no plan on the account', input: tierInput({ account: account({ plan: undefined }) }) },
  ];

  it.each(cases)('$name: labelled sections, two or three objections, numbers traced', ({ input }) => {
    expectTalkingPoints(tierUpgradeNarrative(input));
  });

  it('opens with the features the team uses, and sizes the upgrade', () => {
    const n = tierUpgradeNarrative(tierInput());
    expect(n.title).toBe('Upgrade from Growth to Enterprise: the team already uses audit log and sandbox');
    expect(n.body).toMatch(
      /^Open with what they already use: "Your team is already using Enterprise features while still on Growth — audit log and sandbox — here's what we're seeing\."/,
    );
    expect(n.body).toContain('2 of 3 Enterprise features used in the last 30 days.');
    expect(n.body).toContain('Enterprise also brings custom roles.');
    expect(n.body).toContain(
      'Other signals point the same way:\n- Headcount grew 25% year over year.\n- 4 power users in the top 10% of activity.',
    );
    const arr = n.evidence.find((e) => e.metric === 'arr_potential');
    expect(arr?.value).toBe(30_000);
    expect(n.body).toContain('$30,000 in added ARR');
  });

  it('raises a fired risk as an objection to answer first', () => {
    const n = tierUpgradeNarrative(tierInput({ risks: [lowNps] }));
    expect(n.body).toContain('NPS of 6 on the latest response');
    expect(n.evidence.some((e) => e.metric === 'nps')).toBe(true);
  });

  it('is deterministic', () => {
    expect(tierUpgradeNarrative(tierInput())).toEqual(tierUpgradeNarrative(tierInput()));
  });
});

describe('cross-sell talking points', () => {
  const cases = [
    { name: 'workaround and peers', input: crossSellInput() },
    { name: 'peers only', input: crossSellInput({ withWorkaround: false }) },
    { name: 'workaround only', input: crossSellInput({ withAffinity: false }) },
    {
      name: 'neither, nothing evaluated',
      input: crossSellInput({ withAffinity: false, withWorkaround: false, evaluated: false, supporting: [] }),
    },
    {
      name: 'flat-priced module with a risk',
      input: crossSellInput({ module: reporting, withAffinity: false, risks: [lowNps] }),
    },
  ];

  it.each(cases)('$name: labelled sections, two or three objections, numbers traced', ({ input }) => {
    expectTalkingPoints(crossSellNarrative(input));
  });

  it("leads with the workaround, and quotes resemblance as the deal's probability, never as a separate fit", () => {
    const n = crossSellNarrative(crossSellInput());
    expect(n.title).toBe('Add Automation: repetitive edits done by rules instead of by hand');
    expect(n.body).toMatch(
      /^Open with the work they already do by hand: "Here's what we're seeing in your team's usage: 340 bulk edits in the last 30 days/,
    );
    expect(n.body).toContain('$12,000 in added ARR');
    expect(n.body).toContain('which is part of why the deal sits at 64%');
    // The affinity (72%) and the peer counts are not the deal's number: they stay out of the note.
    expect(n.body).not.toMatch(/72%|12 of the 15|most similar/);
    expect(n.evidence.some((e) => e.metric === 'peer_similarity' || e.metric === 'cross_sell_affinity')).toBe(false);
  });

  it('leaves resemblance out when it does not support the deal', () => {
    const n = crossSellNarrative(crossSellInput({ lift: 1.1 }));
    expect(n.body).not.toMatch(/deal sits at|looks more like/);
  });

  it('leads with the adjacent-feature milestone when there is no workaround', () => {
    const n = crossSellNarrative(crossSellInput({ withWorkaround: false, withMilestone: true }));
    expect(n.body).toMatch(
      /^Open with how they already work: "Here's what we're seeing in your team's usage: 410 uses of custom fields/,
    );
    expect(n.body).toContain(
      'teams that lean on custom fields like this are the ones that went on to adopt Automation',
    );
    expectTalkingPoints(n);
  });

  it('never opens with a usage decline', () => {
    const declining = evaluateUsageTrend({
      days: days().map((d, i) => ({ ...d, activeUsers: i < 30 ? 90 : 60 })),
      asOf: AS_OF,
      config,
    });
    expect(declining.evaluated && declining.direction).toBe('decline');
    const n = crossSellNarrative({ ...crossSellInput({ withWorkaround: false }), trend: declining });
    expectTalkingPoints(n);
    expect(n.body.split('\n\n')[0]).not.toMatch(/fell|active users/i);
    expect(n.body).not.toMatch(/Active users fell/);
  });

  it('is deterministic', () => {
    expect(crossSellNarrative(crossSellInput())).toEqual(crossSellNarrative(crossSellInput()));
  });
});

describe('QBR agenda', () => {
  const sections = [
    'Recognition of value realized (ten minutes):',
    'Review of the quarter (ten minutes):',
    'Strategic priorities (fifteen minutes):',
    'How expanded capability could accelerate those priorities (ten minutes):',
    'Recommendation from observed usage (ten minutes):',
    'Next steps (five minutes):',
  ];

  it.each(['seat_add', 'tier_upgrade', 'module_cross_sell', 'none'] as const)(
    '%s: every section with its time and questions, numbers traced',
    (top) => {
      const n = qbrAgenda(accountInput(top));
      expectWellFormed(n);
      const paragraphs = n.body.split('\n\n');
      for (const s of sections)
        expect(
          paragraphs.some((p) => p.startsWith(s)),
          s,
        ).toBe(true);
      for (const p of paragraphs.slice(1)) expect(p).toMatch(/Discussion questions?: /);
    },
  );

  it('grounds recognition in the metrics and leads to the top opportunity', () => {
    const n = qbrAgenda(accountInput('seat_add'));
    expect(n.title).toMatch(/^QBR agenda: Acme Analytics, leading to adding \d+ seats$/);
    expect(n.body).toContain('92 of 100 licensed seats in use (92%)');
    expect(n.body).toContain('4 power users in the top 10% of activity');
    expect(n.body).toContain('If time allows, a second idea: an upgrade to Enterprise.');
  });

  it('works with nothing evaluated and a company name holding digits', () => {
    const input = accountInput('module_cross_sell', {
      evaluated: false,
      account: account({ name: '3Sixty Labs' }),
      risks: [lowNps],
    });
    const n = qbrAgenda(input);
    expectWellFormed(n);
    expect(n.body).not.toContain('3Sixty');
    expect(n.body).toContain(
      'Add Automation, because the team logged 340 bulk edits in the last 30 days, work it would take off their hands.',
    );
    expect(n.title).toBe('QBR agenda: The customer, leading to adding Automation');
  });

  it('is deterministic', () => {
    expect(qbrAgenda(accountInput('tier_upgrade'))).toEqual(qbrAgenda(accountInput('tier_upgrade')));
  });
});

describe('outreach email', () => {
  it('follows the seat-limit template for a seat add', () => {
    const n = outreachEmail(accountInput('seat_add'));
    expectWellFormed(n);
    expect(n.title).toBe("Your team is growing! Let's talk about scaling Beacon");
    expect(n.body).toContain(
      "I noticed your team's usage of Beacon has really taken off — you're now at 92% of your licensed seats, with about 22 more active users a day over the last 28 days than the 28 before.",
    );
    expect(n.body).toContain('It means Beacon is becoming essential to how Acme Analytics works.');
    expect(n.body).toContain('- Add seats à la carte');
    expect(n.body).toContain('- Upgrade to Enterprise');
    expect(n.body).toContain('- Annual commitment');
    expect(n.body).toContain(
      "Would you have twenty minutes this week to discuss what makes the most sense for Acme Analytics' growth plans?",
    );
    expect(n.body).toMatch(/\nBest regards\n/);
    expect(n.body).not.toMatch(/customer success manager/i);
    expect(n.body).toContain('P.S.');
    expect(n.evidence.find((e) => e.metric === 'active_users_added')?.value).toBe(22);
  });

  it('leaves out the tier option and the new-users clause when there is nothing behind them', () => {
    const input = accountInput('seat_add');
    const seatOnly: AccountNarrativeInput = {
      ...input,
      opportunities: input.opportunities.filter((o) => o.motion === 'seat_add'),
      trend: notEvaluated('usage'),
      supporting: [],
    };
    const n = outreachEmail(seatOnly);
    expectWellFormed(n);
    expect(n.body).toContain("you're now at 92% of your licensed seats.");
    expect(n.body).not.toContain('Upgrade to');
    expect(n.body).not.toContain('P.S.');
  });

  it.each(['tier_upgrade', 'module_cross_sell', 'none'] as const)('%s: the analogous email, numbers traced', (top) => {
    for (const evaluated of [true, false]) {
      const n = outreachEmail(accountInput(top, { evaluated }));
      expectWellFormed(n);
      expect(n.body).toMatch(/^Hi there,/);
      expect(n.body).toContain('Beacon');
      expect(n.body).toContain('twenty minutes');
      expect(n.body).toMatch(/\nBest regards(\n|$)/);
    }
  });

  it("signs with the account owner's name from the CRM", () => {
    const n = outreachEmail(accountInput('seat_add', { account: account({ ownerName: 'Dana Whitfield' }) }));
    expect(n.body).toContain('Best,\nDana Whitfield');
    expect(n.body).not.toContain('Best regards');
  });

  it('names the behavior behind a cross-sell, not a resemblance', () => {
    const n = outreachEmail(accountInput('module_cross_sell'));
    expect(n.title).toBe('An idea for Acme Analytics: Automation');
    expect(n.body).toContain('one thing stood out: 340 bulk edits in the last 30 days.');
    expect(n.body).not.toMatch(/most like yours|deal/);
  });

  it('is deterministic', () => {
    expect(outreachEmail(accountInput('seat_add'))).toEqual(outreachEmail(accountInput('seat_add')));
  });
});

describe('edge inputs', () => {
  it('cuts an over-long title at a word boundary', () => {
    const input = {
      ...accountInput('seat_add'),
      productName:
        'the Acme Customer Intelligence and Revenue Operations Platform for Enterprise Teams Everywhere Worldwide',
    };
    const n = outreachEmail(input);
    expectWellFormed(n);
    expect(n.title.endsWith('…')).toBe(true);
  });

  it('writes a tier upgrade without explored feature names', () => {
    const n = tierUpgradeNarrative({ ...tierInput(), exploredFeatures: [] });
    expectTalkingPoints(n);
    expect(n.title).toBe('Upgrade from Growth to Enterprise: the team is exploring Enterprise features');
  });
});
