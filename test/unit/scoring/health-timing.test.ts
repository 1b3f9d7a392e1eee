import { describe, expect, it } from 'vitest';
import { account, assess, isoDaysBefore, usage } from './helpers.ts';

const inDays = (days: number) => isoDaysBefore('2026-11-20', -days);

describe('health, timing and whether to pitch', () => {
  it('a sharp decline is red and on hold, with no opportunity even under seat pressure', () => {
    const result = assess({
      usage: usage([
        { days: 30, seats: 90, active: 80 },
        { days: 30, seats: 90, active: 40 },
      ]),
    });
    expect(result.health).toBe('red');
    expect(result.timing).toBe('hold');
    expect(result.opportunities).toEqual([]);
    expect(result.reasons[0]).toBe(
      'Red: active users fell 50% (40 a day vs 80, last 28 days vs the prior 28). Retention comes first; no expansion pitch.',
    );
  });

  it('a milder decline is yellow and outranks seat pressure: the seat add waits a quarter', () => {
    const result = assess({
      usage: usage([
        { days: 30, seats: 90, active: 80 },
        { days: 30, seats: 90, active: 68 },
      ]),
    });
    expect(result.health).toBe('yellow');
    expect(result.timing).toBe('90d');
    expect(result.opportunities.map((o) => [o.motion, o.timing])).toEqual([['seat_add', '90d']]);
  });

  it('a milder decline without seat pressure waits a quarter', () => {
    const result = assess({
      usage: usage([
        { days: 30, seats: 60, active: 50 },
        { days: 30, seats: 60, active: 42 },
      ]),
    });
    expect([result.health, result.timing]).toEqual(['yellow', '90d']);
  });

  it('healthy but flat is yellow, 30 days, and no seat opportunity', () => {
    const result = assess({ usage: usage([{ days: 60, seats: 75, active: 70 }]) });
    expect(result.health).toBe('yellow');
    expect(result.timing).toBe('30d');
    expect(result.opportunities).toEqual([]);
    expect(result.reasons[0]).toMatch(/steady and no expansion signal/);
  });

  it('growing usage is green, within the month', () => {
    const result = assess({
      usage: usage([
        { days: 30, seats: 60, active: 40 },
        { days: 30, seats: 70, active: 55 },
      ]),
    });
    expect([result.health, result.timing]).toEqual(['green', '30d']);
    expect(result.reasons[0]).toBe('Green: active users grew 38% (55 a day vs 40, last 28 days vs the prior 28).');
  });

  it("88% for 5 weeks: a seat add, now, opening with the customer's own numbers", () => {
    const result = assess({
      usage: usage([
        { days: 25, seats: 60, active: 55 },
        { days: 35, seats: 88, active: 80 },
      ]),
    });
    expect(result.timing).toBe('now');
    expect(['green', 'yellow']).toContain(result.health);
    const [opportunity] = result.opportunities;
    expect(opportunity?.motion).toBe('seat_add');
    expect(opportunity?.timing).toBe('now');
    expect(opportunity?.signalIds[0]).toBe('seat_utilization');
    const opener = opportunity?.narrative.body.split('\n')[0] ?? '';
    expect(opener).toMatch(/^Open with their own numbers: "Your team has been at 88% seat utilization for 5 weeks/);
    expect(opportunity?.narrative.title).toMatch(/88% seat utilization for 5 weeks/);
    expect(opportunity?.narrative.body).toMatch(/Next step: /);
  });

  it('renewal inside the 90-day evaluation window: hold, nothing pitched however full the seats, the seat add kept for the renewal', () => {
    const result = assess({ account: account({ renewalDate: inDays(20) }), usage: usage([{ days: 60, seats: 95 }]) });
    expect(result.timing).toBe('hold');
    expect(result.opportunities.map((o) => [o.motion, o.withheld, o.timing])).toEqual([
      ['seat_add', 'renewal_evaluation', 'hold'],
    ]);
    expect(result.signals.find((s) => s.id === 'renewal_evaluation')?.kind).toBe('risk');
    expect(result.reasons).toContain(
      'Hold: renewal in 20 days is inside the 90-day evaluation window; the opportunities below wait for the renewal conversation.',
    );
  });

  it.each([
    { days: 90, timing: 'hold' },
    { days: 91, timing: 'now' },
  ])('renewal in $days days on a full account: $timing', ({ days, timing }) => {
    expect(
      assess({ account: account({ renewalDate: inDays(days) }), usage: usage([{ days: 60, seats: 95 }]) }).timing,
    ).toBe(timing);
  });

  it('a flat account inside the renewal conversation window with nothing to pitch is not "now"', () => {
    const result = assess({
      account: account({ renewalDate: inDays(95) }),
      usage: usage([{ days: 60, seats: 60, active: 55 }]),
    });
    expect(result.timing).toBe('30d');
    expect(result.signals.find((s) => s.id === 'renewal_window')?.kind).toBe('expansion');
    expect(result.opportunities).toEqual([]);
  });

  it('too little history to judge: yellow, in about three months', () => {
    const result = assess({ usage: usage([{ days: 20, seats: 40 }]) });
    expect([result.health, result.timing]).toEqual(['yellow', '90d']);
  });

  it('a missing or past renewal date is listed, not guessed', () => {
    const { renewalDate: _drop, ...noRenewal } = account();
    expect(assess({ account: noRenewal, usage: usage([{ days: 60, seats: 60 }]) }).missing).toContain('renewalDate');
    const past = assess({ account: account({ renewalDate: inDays(-3) }), usage: usage([{ days: 60, seats: 95 }]) });
    expect(past.missing).toContain('renewalDate');
    expect(past.timing).toBe('now');
  });
});
