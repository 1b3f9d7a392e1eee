import { describe, expect, it } from 'vitest';
import { account, assess, config, signalIds, usage } from './helpers.ts';

/** 1,000 licensed seats keep the seat signal out of the way: these tests are about active users. */
const wide = account({ licensedSeats: 1000 });
const trend = (prior: number, last: number, scoring = config()) =>
  assess({
    account: wide,
    config: scoring,
    usage: usage([
      { days: 30, seats: 100, active: prior },
      { days: 30, seats: 100, active: last },
    ]),
  });

describe('usage trend: last 28 days vs the prior 28', () => {
  it.each([
    { prior: 50, last: 60, ids: ['usage_growth'], name: '+20% is growth' },
    { prior: 50, last: 59, ids: [], name: '+18% is below the growth threshold' },
    { prior: 50, last: 46, ids: [], name: '-8% is flat' },
    { prior: 50, last: 45, ids: ['usage_decline'], name: '-10% is a decline' },
    { prior: 50, last: 20, ids: ['usage_decline'], name: '-60% is a decline' },
  ])('$name', ({ prior, last, ids }) => {
    expect(signalIds(trend(prior, last)).filter((id) => id.startsWith('usage_'))).toEqual(ids);
  });

  it('growth is an expansion signal and decline a risk', () => {
    expect(trend(50, 70).signals.find((s) => s.id === 'usage_growth')?.kind).toBe('expansion');
    expect(trend(50, 20).signals.find((s) => s.id === 'usage_decline')?.kind).toBe('risk');
  });

  it('the growth threshold is configurable', () => {
    expect(signalIds(trend(50, 56, config({ trend: { growthAt: 0.1 } })))).toContain('usage_growth');
  });

  it('states both means as whole numbers and the change as a whole percent, after trimming the extreme days', () => {
    const days = usage([
      { days: 15, seats: 100, active: 40 },
      { days: 15, seats: 100, active: 41 },
      { days: 29, seats: 100, active: 50 },
      { days: 1, seats: 100, active: 52 },
    ]);
    const growth = assess({ account: wide, usage: days }).signals.find((s) => s.id === 'usage_growth');
    const value = (metric: string) => growth?.evidence.find((e) => e.metric === metric)?.value;
    // Recent: 27 days at 50 and one at 52, trimmed of two days each side: 50. Prior: 11 at 40, 15 at 41 and
    // 2 at 50, trimmed: 9 at 40 and 15 at 41, 40.6 a day. The change, +23%, is taken before rounding the means.
    expect(value('active_users_daily_mean_recent')).toBe(50);
    expect(value('active_users_daily_mean_prior')).toBe(41);
    expect(value('active_users_change')).toBe(23);
    expect(growth?.summary).toBe('Active users grew 23% (50 a day vs 41, last 28 days vs the prior 28)');
  });

  it('windows end on the latest day with usage, so a day without new rows changes nothing', () => {
    const days = usage(
      [
        { days: 30, seats: 100, active: 50 },
        { days: 30, seats: 100, active: 70 },
      ],
      { endsDaysBeforeAsOf: 5 },
    );
    const today = assess({ account: wide, usage: days }).signals.find((s) => s.id === 'usage_growth');
    expect(today?.evidence.find((e) => e.metric === 'active_users_daily_mean_recent')?.value).toBe(70);
    const tomorrow = assess({ account: wide, usage: days, asOf: '2026-11-21' }).signals.find(
      (s) => s.id === 'usage_growth',
    );
    expect(tomorrow).toEqual(today);
  });

  it('usage gone quiet for longer than staleAfterDays is stale: the trend is not evaluated', () => {
    const days = usage([{ days: 60, seats: 100, active: 50 }], { endsDaysBeforeAsOf: 10 });
    expect(assess({ account: wide, usage: days }).missing).toContain('usage.recent');
  });
});

describe('usage trend: slow, steady growth over a quarter', () => {
  /** Active users rising linearly from `from` to `to` over 100 days. */
  const ramp = (from: number, to: number) =>
    usage(
      Array.from({ length: 100 }, (_, i) => ({
        days: 1,
        seats: 100,
        active: Math.round(from + ((to - from) * i) / 99),
      })),
    );

  it('+10% a month for three months is growth, stated against two months earlier', () => {
    const growth = assess({ account: wide, usage: ramp(55, 81) }).signals.find((s) => s.id === 'usage_growth');
    expect(growth?.summary).toMatch(
      /^Active users grew \d+% \(\d+ a day vs \d+, last 28 days vs the same span two months earlier\)$/,
    );
  });

  it('a flat quarter with one busy month in the middle is not', () => {
    const spiky = usage([
      { days: 40, seats: 100, active: 50 },
      { days: 28, seats: 100, active: 80 },
      { days: 32, seats: 100, active: 58 },
    ]);
    expect(signalIds(assess({ account: wide, usage: spiky }))).not.toContain('usage_growth');
  });
});

describe('usage trend: not enough history', () => {
  it.each([
    {
      name: '13 days in the prior window',
      stretches: [
        { days: 11, seats: 100, active: 50 },
        { days: 30, seats: 100, active: 20 },
      ],
      missing: 'usage.prior28Days',
      evaluated: false,
    },
    {
      name: '14 days in the prior window',
      stretches: [
        { days: 12, seats: 100, active: 50 },
        { days: 30, seats: 100, active: 20 },
      ],
      missing: undefined,
      evaluated: true,
    },
    {
      name: 'only 10 days of history',
      stretches: [{ days: 10, seats: 100, active: 50 }],
      missing: 'usage.last28Days',
      evaluated: false,
    },
  ])('$name', ({ stretches, missing, evaluated }) => {
    const result = assess({ account: wide, usage: usage(stretches) });
    if (missing) expect(result.missing).toContain(missing);
    expect(signalIds(result).includes('usage_decline')).toBe(evaluated);
    if (!evaluated) expect(result.reasons.join(' ')).toMatch(/not enough usage history/i);
  });

  it('the minimum days per window is configurable', () => {
    const stretches = [
      { days: 8, seats: 100, active: 50 },
      { days: 30, seats: 100, active: 20 },
    ];
    expect(
      signalIds(
        assess({ account: wide, usage: usage(stretches), config: config({ trend: { minDaysPerWindow: 10 } }) }),
      ),
    ).toContain('usage_decline');
  });

  it('no active users before: the change cannot be stated, so the trend is not evaluated', () => {
    const result = trend(0, 20);
    expect(result.missing).toContain('usage.priorActivity');
    expect(signalIds(result).filter((id) => id.startsWith('usage_'))).toEqual([]);
  });
});
