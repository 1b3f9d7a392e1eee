import { describe, expect, it } from 'vitest';
import { account, assess, config, signalIds, usage } from './helpers.ts';

/** 1,000 licensed seats keep the seat signal out of the way: these tests are about active users. */
const wide = account({ licensedSeats: 1000 });
const trend = (prior: number, last: number, scoring = config()) =>
  assess({ account: wide, config: scoring, usage: usage([{ days: 30, seats: 100, active: prior }, { days: 30, seats: 100, active: last }]) });

describe('usage trend: last 30 days vs the prior 30', () => {
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

  it('states both means to one decimal and the change as a whole percent', () => {
    const days = usage([{ days: 15, seats: 100, active: 40 }, { days: 15, seats: 100, active: 41 }, { days: 29, seats: 100, active: 50 }, { days: 1, seats: 100, active: 52 }]);
    const growth = assess({ account: wide, usage: days }).signals.find((s) => s.id === 'usage_growth');
    const value = (metric: string) => growth?.evidence.find((e) => e.metric === metric)?.value;
    expect(value('active_users_daily_mean_recent')).toBe(50.1);
    expect(value('active_users_daily_mean_prior')).toBe(40.5);
    expect(value('active_users_change')).toBe(24);
    expect(growth?.summary).toBe('Active users grew 24% (50.1 a day vs 40.5, last 30 days vs the prior 30)');
  });

  it('windows are dated from asOf, not from the latest row', () => {
    // The last 10 days are missing: the recent window holds 20 days, the prior one 30.
    const days = usage([{ days: 30, seats: 100, active: 50 }, { days: 20, seats: 100, active: 70 }], { endsDaysBeforeAsOf: 10 });
    const growth = assess({ account: wide, usage: days }).signals.find((s) => s.id === 'usage_growth');
    expect(growth?.evidence.find((e) => e.metric === 'active_users_daily_mean_recent')?.value).toBe(70);
  });
});

describe('usage trend: not enough history', () => {
  it.each([
    { name: '13 days in the prior window', stretches: [{ days: 13, seats: 100, active: 50 }, { days: 30, seats: 100, active: 20 }], missing: 'usage.prior30Days', evaluated: false },
    { name: '14 days in the prior window', stretches: [{ days: 14, seats: 100, active: 50 }, { days: 30, seats: 100, active: 20 }], missing: undefined, evaluated: true },
    { name: 'only 10 days of history', stretches: [{ days: 10, seats: 100, active: 50 }], missing: 'usage.last30Days', evaluated: false },
  ])('$name', ({ stretches, missing, evaluated }) => {
    const result = assess({ account: wide, usage: usage(stretches) });
    if (missing) expect(result.missing).toContain(missing);
    expect(signalIds(result).includes('usage_decline')).toBe(evaluated);
    if (!evaluated) expect(result.reasons.join(' ')).toMatch(/not enough usage history/i);
  });

  it('the minimum days per window is configurable', () => {
    const stretches = [{ days: 10, seats: 100, active: 50 }, { days: 30, seats: 100, active: 20 }];
    expect(signalIds(assess({ account: wide, usage: usage(stretches), config: config({ trend: { minDaysPerWindow: 10 } }) }))).toContain('usage_decline');
  });

  it('no active users before: the change cannot be stated, so the trend is not evaluated', () => {
    const result = trend(0, 20);
    expect(result.missing).toContain('usage.priorActiveUsers');
    expect(signalIds(result).filter((id) => id.startsWith('usage_'))).toEqual([]);
  });
});
