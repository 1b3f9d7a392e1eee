import { describe, expect, it } from 'vitest';
import type { Account } from '../../../src/model/account.ts';
import type { Assessment } from '../../../src/model/assessment.ts';
import type { UsageDay } from '../../../src/model/usage.ts';
import { assessPortfolio } from '../../../src/scoring/portfolio.ts';
import type { ScoringConfig } from '../../../src/scoring/config.ts';
import { account, AS_OF, assess, config, isoDaysBefore, usage } from './helpers.ts';

/**
 * One test per defect an AE noticed on the recommendations (cross-sells on lookalikes, seat adds sized
 * wrong, growth read from users only, pitches to accounts at risk, opportunities vanishing at renewal,
 * inputs the model could not take, numbers that swing). Each asserts what the AE sees: whether a deal is
 * pitched, its size, its timing.
 */

interface DayShape {
  readonly seats?: number | undefined;
  readonly active?: number | undefined;
  readonly events?: Readonly<Record<string, number>>;
}

/** `days` daily rows ending on asOf (or `endsBefore` days earlier); `shape(i)` gives day i, oldest first. */
function daily(
  days: number,
  shape: (i: number) => DayShape,
  options: { readonly key?: string; readonly asOf?: string } = {},
): UsageDay[] {
  return Array.from({ length: days }, (_, i) => {
    const d = shape(i);
    return {
      accountKey: options.key ?? 'acme.example',
      date: isoDaysBefore(options.asOf ?? AS_OF, days - 1 - i),
      ...(d.active === undefined ? {} : { activeUsers: d.active }),
      ...(d.seats === undefined ? {} : { seatsUsed: d.seats }),
      events: d.events ?? {},
    };
  });
}

const pitched = (a: Assessment) => a.opportunities.filter((o) => o.withheld === undefined);
const motions = (a: Assessment) =>
  pitched(a).map((o) => (o.module === undefined ? o.motion : `${o.motion}:${o.module}`));

describe('1. cross-sells need behavior, not just resemblance', () => {
  /** Large enterprise accounts, half of which own Automation, all using the product the same way. */
  /** With `milestone`, adopters also lean on custom fields, the step teams take before Automation; the others do not. */
  function lookalikes(
    target: Partial<Account>,
    targetEvents: Record<string, number>,
    options: { readonly scoring?: ScoringConfig; readonly milestone?: boolean } = {},
  ): Assessment | undefined {
    const scoring = options.scoring ?? config();
    const peers = Array.from({ length: 60 }, (_, n) => {
      const owns = n % 2 === 0;
      const key = `peer${n}.example`;
      const events = {
        reports: 40,
        dashboards: 30,
        ...(owns ? { automations: 25, ...(options.milestone ? { custom_fields: 60 } : {}) } : {}),
      };
      return {
        account: account({
          id: `p${n}`,
          domain: key,
          plan: 'enterprise',
          licensedSeats: 400,
          modulesOwned: owns ? ['automation'] : [],
        }),
        usage: daily(60, () => ({ seats: 240, active: 200, events }), { key }),
      };
    });
    // Small starter accounts rarely own it, so the portfolio-wide adoption rate is low.
    const small = Array.from({ length: 120 }, (_, n) => {
      const key = `small${n}.example`;
      return {
        account: account({
          id: `s${n}`,
          domain: key,
          plan: 'starter',
          licensedSeats: 10,
          modulesOwned: n % 20 === 0 ? ['automation'] : [],
        }),
        usage: daily(60, () => ({ seats: 5, active: 5, events: { reports: 3 } }), { key }),
      };
    });
    const subject = {
      account: account({ id: 'target', plan: 'enterprise', licensedSeats: 400, ...target }),
      usage: daily(60, () => ({ seats: 240, active: 200, events: { reports: 40, dashboards: 30, ...targetEvents } })),
    };
    return assessPortfolio([subject, ...peers, ...small], { asOf: AS_OF, config: scoring })[0];
  }

  it('does not pitch a module to a large top-plan account that merely looks like the accounts that own it', () => {
    const target = lookalikes({}, {});
    expect(motions(target ?? assess({ usage: [] }))).not.toContain('module_cross_sell:automation');
  });

  it('pitches it when the team reaches the milestone adopters reached first, and resembles them beyond its peers', () => {
    // Adopters of automation use custom fields heavily; so does the target, unlike the other non-adopters.
    const target = lookalikes(
      {},
      { custom_fields: 300, automations: 0 },
      { scoring: config({ crossSell: { minComparable: 5 } }), milestone: true },
    );
    const resemblance = target?.opportunities.find((o) => o.module === 'automation');
    expect(resemblance).toBeDefined();
    expect(resemblance?.signalIds).toContain('module_milestone:automation');
  });

  it("pitches on the team's own workaround for the module", () => {
    const a = assess({
      account: account({ plan: 'growth', licensedSeats: 50 }),
      usage: daily(60, () => ({ seats: 30, active: 20, events: { bulk_edits: 40 } })),
    });
    expect(motions(a)).toContain('module_cross_sell:automation');
  });
});

describe('2. seat adds sized to leave the crunch', () => {
  it('a steady crunch at 88% asks for enough seats to bring busy days under the trigger, not +2', () => {
    const [seat] = assess({ usage: usage([{ days: 60, seats: 88, active: 80 }]) }).opportunities.filter(
      (o) => o.motion === 'seat_add',
    );
    // p90 88 seats at 75% target utilization: ceil(88 / 0.75) = 118 licensed, so 18 more than 100.
    expect(seat?.seatsToAdd).toBe(18);
    expect(88 / (100 + (seat?.seatsToAdd ?? 0))).toBeLessThan(0.8);
  });

  it('a step up in the last two weeks is sized on the new level, not extrapolated to the cap', () => {
    const stepped = daily(60, (i) => ({ seats: i < 46 ? 60 : 90, active: i < 46 ? 55 : 80 }));
    const [seat] = assess({ usage: stepped }).opportunities.filter((o) => o.motion === 'seat_add');
    expect(seat?.seatsToAdd).toBe(20);
  });

  it('gives a range an AE can quote: the high end is within a few times the low end', () => {
    const [seat] = assess({ usage: usage([{ days: 60, seats: 90, active: 80 }]) }).opportunities.filter(
      (o) => o.motion === 'seat_add',
    );
    expect(seat?.arrLow).toBeGreaterThan(0);
    expect((seat?.arrHigh ?? 0) / (seat?.arrLow ?? 1)).toBeLessThanOrEqual(3);
  });

  it('does not pitch an opportunity under the minimum deal size', () => {
    const small = {
      account: account({ plan: 'starter', licensedSeats: 10 }),
      usage: usage([{ days: 60, seats: 9, active: 9 }]),
    };
    expect(assess(small).opportunities.filter((o) => o.motion === 'seat_add')).toEqual([]);
    expect(
      assess({ ...small, config: config({ sizing: { minDealArr: 0 } }) }).opportunities.map((o) => o.motion),
    ).toContain('seat_add');
  });
});

describe('3. growth reads activity as well as active users', () => {
  it('+50% events on +15% users is growth', () => {
    const a = assess({
      usage: daily(56, (i) =>
        i < 28
          ? { seats: 60, active: 60, events: { reports: 400 } }
          : { seats: 69, active: 69, events: { reports: 600 } },
      ),
    });
    expect(a.signals.map((s) => s.id)).toContain('usage_growth');
  });

  it('a holiday with no activity is not a decline', () => {
    const a = assess({
      usage: daily(56, (i) => (i >= 45 && i < 48 ? { seats: 0, active: 0 } : { seats: 60, active: 60 })),
    });
    expect(a.signals.map((s) => s.id)).not.toContain('usage_decline');
    expect(a.health).not.toBe('red');
  });
});

describe('4. never a pitch to an account at risk', () => {
  it('three open escalations make the account red, with nothing pitched', () => {
    const a = assess({ account: account({ openEscalations: 3 }), usage: usage([{ days: 60, seats: 92, active: 85 }]) });
    expect(a.health).toBe('red');
    expect(a.timing).toBe('hold');
    expect(pitched(a)).toEqual([]);
  });

  it('a usage decline outranks seat pressure: no "now" while users fall', () => {
    const a = assess({ usage: daily(56, (i) => ({ seats: 90, active: i < 28 ? 80 : 66 })) });
    expect(a.health).toBe('yellow');
    expect(a.timing).not.toBe('now');
  });

  it('no "now" without something to pitch', () => {
    const a = assess({
      account: account({ headcountGrowth: 0.4, executiveEngagedOn: isoDaysBefore(AS_OF, 10) }),
      usage: usage([{ days: 60, seats: 50, active: 45 }]),
    });
    expect(pitched(a)).toEqual([]);
    expect(a.timing).not.toBe('now');
  });
});

describe('5. opportunities stay visible inside the renewal window', () => {
  it('keeps the seat add, withheld for the renewal conversation, while timing holds', () => {
    const a = assess({
      account: account({ renewalDate: isoDaysBefore(AS_OF, -45) }),
      usage: usage([{ days: 60, seats: 90, active: 80 }]),
    });
    expect(a.timing).toBe('hold');
    expect(a.opportunities.map((o) => [o.motion, o.withheld])).toEqual([['seat_add', 'renewal_evaluation']]);
  });
});

describe('6. inputs the model could not take', () => {
  it('a customer still ramping is not pitched yet, but the opportunity is kept', () => {
    const a = assess({
      account: account({ customerSince: isoDaysBefore(AS_OF, 40) }),
      usage: usage([{ days: 40, seats: 90, active: 80 }]),
    });
    expect(a.opportunities.map((o) => o.withheld)).toEqual(['ramping']);
    expect(a.timing).toBe('90d');
  });

  it('a per-seat module costs at least its minimum price', () => {
    const scoring = config({
      catalog: {
        modules: [
          {
            id: 'automation',
            label: 'Automation',
            listPrice: 120,
            pricing: 'per_seat',
            minPrice: 2400,
            workarounds: ['bulk_edits'],
          },
        ],
      },
    });
    const a = assess({
      account: account({ licensedSeats: 12 }),
      usage: daily(60, () => ({ seats: 6, active: 6, events: { bulk_edits: 20 } })),
      config: scoring,
    });
    expect(a.opportunities.find((o) => o.module === 'automation')?.arrPotential).toBe(2400);
  });

  it('days that did not collect seats used are skipped, neither zero nor a full day', () => {
    const partial = daily(60, (i) => ({ seats: i % 5 === 0 ? undefined : 90, active: 80 }));
    expect(assess({ usage: partial }).signals.map((s) => s.id)).toContain('seat_utilization');
    // Ten uncollected days then four busy ones: four days of evidence, not fourteen.
    const thin = daily(60, (i) => ({ seats: i < 46 ? 50 : i < 56 ? undefined : 90, active: 45 }));
    expect(assess({ usage: thin }).signals.map((s) => s.id)).not.toContain('seat_utilization');
  });
});

describe('7. numbers that hold still', () => {
  it('a day with no new usage changes neither the seat add nor the timing', () => {
    const rows = daily(60, (i) => ({ seats: 80 + Math.floor(i / 6), active: 75 }));
    const today = assess({ usage: rows });
    const tomorrow = assessPortfolio([{ account: account(), usage: rows, previous: today }], {
      asOf: isoDaysBefore(AS_OF, -1),
      config: config(),
    })[0];
    expect(tomorrow?.timing).toBe(today.timing);
    expect(tomorrow?.opportunities.map((o) => o.arrPotential)).toEqual(today.opportunities.map((o) => o.arrPotential));
  });

  it('a small change in need keeps the size the AE already saw', () => {
    const yesterday = assess({ usage: usage([{ days: 60, seats: 88, active: 80 }]) });
    const today = assessPortfolio(
      [
        {
          account: account(),
          usage: usage([
            { days: 58, seats: 88, active: 80 },
            { days: 2, seats: 90, active: 80 },
          ]),
          previous: yesterday,
        },
      ],
      { asOf: AS_OF, config: config() },
    )[0];
    expect(today?.opportunities.find((o) => o.motion === 'seat_add')?.seatsToAdd).toBe(
      yesterday.opportunities.find((o) => o.motion === 'seat_add')?.seatsToAdd,
    );
  });

  it('a timing that just changed does not flip back the next day', () => {
    // Short of seats and working around Automation: now. The next day one quiet day ends the seat signal,
    // and the cross-sell alone would say "within the month"; the timing holds for a few days instead.
    const events = { bulk_edits: 60 };
    const busy = assess({ usage: daily(60, () => ({ seats: 88, active: 80, events })) });
    expect(busy.timing).toBe('now');
    const tomorrow = isoDaysBefore(AS_OF, -1);
    const quieter = daily(61, (i) => (i < 60 ? { seats: 88, active: 80, events } : { seats: 74, active: 70, events }), {
      asOf: tomorrow,
    });
    const next = assessPortfolio([{ account: account(), usage: quieter, previous: busy }], {
      asOf: tomorrow,
      config: config(),
    })[0];
    expect(next?.opportunities.map((o) => o.motion)).not.toContain('seat_add');
    expect(next?.timing).toBe('now');
  });
});
