import { describe, expect, it } from 'vitest';
import type { UsageDay } from '../../../src/model/usage.ts';
import { untracedNumbers } from '../../../src/scoring/evidence.ts';
import { account, assess, isoDaysBefore, signalIds, usage } from './helpers.ts';

const inDays = (days: number) => isoDaysBefore('2026-11-20', -days);

/** Adds these events per active user to the last `days` days of the usage. */
function withEvents(days: readonly UsageDay[], perUser: Record<string, number>, last = 30): UsageDay[] {
  return days.map((d, i) =>
    i < days.length - last
      ? d
      : {
          ...d,
          events: {
            ...d.events,
            ...Object.fromEntries(Object.entries(perUser).map(([k, v]) => [k, Math.round(v * (d.activeUsers ?? 0))])),
          },
        },
  );
}

const flat = () => usage([{ days: 60, seats: 60, active: 55 }]);

describe("the seeds' scenarios", () => {
  it('88% seat utilization for 5 weeks: a seat add, now', () => {
    const result = assess({
      usage: usage([
        { days: 25, seats: 60, active: 55 },
        { days: 35, seats: 88, active: 80 },
      ]),
    });
    expect(result.timing).toBe('now');
    expect(result.opportunities.map((o) => [o.motion, o.timing])).toEqual([['seat_add', 'now']]);
    expect(result.opportunities[0]?.narrative.body).toMatch(
      /^Open with their own numbers: "Your team has been at 88% seat utilization for 5 weeks/,
    );
  });

  it('healthy but flat: nurture within 30 days, nothing to pitch', () => {
    const result = assess({ usage: flat() });
    expect([result.health, result.timing, result.opportunities.length]).toEqual(['yellow', '30d', 0]);
  });

  it('early churn indicators (a detractor and open escalations): red, hold, no opportunity, even at full seats', () => {
    const result = assess({
      account: account({ nps: 5, openEscalations: 2 }),
      usage: usage([{ days: 60, seats: 95, active: 90 }]),
    });
    expect(signalIds(result)).toEqual(
      expect.arrayContaining(['seat_utilization', 'low_satisfaction', 'support_escalations']),
    );
    expect([result.health, result.timing]).toEqual(['red', 'hold']);
    expect(result.opportunities).toEqual([]);
    expect(result.reasons[0]).toMatch(/^Red: .*early churn indicators/);
  });

  it('one open risk (an escalation) on a full account: yellow, resolve it first, in about three months', () => {
    const result = assess({
      account: account({ openEscalations: 1 }),
      usage: usage([{ days: 60, seats: 95, active: 90 }]),
    });
    expect([result.health, result.timing]).toEqual(['yellow', '90d']);
    expect(result.opportunities.map((o) => [o.motion, o.timing])).toEqual([['seat_add', '90d']]);
  });

  it('a long-overdue invoice alone makes the account red', () => {
    const result = assess({ account: account({ paymentOverdueDays: 75 }), usage: flat() });
    expect([result.health, result.timing, result.opportunities.length]).toEqual(['red', 'hold', 0]);
  });

  it('approaching renewal inside the evaluation window: no pitch, the opportunities kept for the renewal conversation', () => {
    const result = assess({
      account: account({ renewalDate: inDays(45) }),
      usage: withEvents(usage([{ days: 60, seats: 95, active: 90 }]), { audit_log: 1, sandbox: 1 }),
    });
    expect(result.timing).toBe('hold');
    expect(result.opportunities.length).toBeGreaterThan(0);
    expect(result.opportunities.every((o) => o.withheld === 'renewal_evaluation')).toBe(true);
  });

  it('renewal 90 to 120 days out on a healthy account with something to pitch: the conversation starts now', () => {
    const result = assess({
      account: account({ renewalDate: inDays(110) }),
      usage: withEvents(
        usage([
          { days: 30, seats: 60, active: 40 },
          { days: 30, seats: 70, active: 55 },
        ]),
        { audit_log: 0.5, sandbox: 0.3 },
      ),
    });
    expect(result.timing).toBe('now');
    expect(signalIds(result)).toContain('renewal_window');
  });

  it('exploring features of the next plan: a tier upgrade to that plan, sized from the price ladder', () => {
    const result = assess({ usage: withEvents(flat(), { audit_log: 0.5, sandbox: 0.3 }) });
    const tier = result.opportunities.find((o) => o.motion === 'tier_upgrade');
    expect(tier?.targetPlan).toBe('enterprise');
    // 100 licensed seats x ($900 - $600)
    expect(tier?.arrPotential).toBe(30_000);
    expect(tier?.arrLow).toBeLessThanOrEqual(tier?.arrPotential ?? 0);
    expect(tier?.arrHigh).toBeGreaterThan(tier?.arrPotential ?? 0);
    expect(tier?.expectedValue).toBe(Math.round((tier?.arrPotential ?? 0) * (tier?.probability ?? 0)));
  });

  it("features of the customer's own plan are not graduation", () => {
    const result = assess({ usage: withEvents(flat(), { scheduled_reports: 3, custom_fields: 2, sso: 1 }) });
    expect(result.opportunities.filter((o) => o.motion === 'tier_upgrade')).toEqual([]);
  });

  it('heavy exports without the reporting module: a reporting cross-sell at list price; owning it, none', () => {
    const heavy = withEvents(flat(), { exports: 2 });
    const cross = assess({ usage: heavy }).opportunities.find((o) => o.motion === 'module_cross_sell');
    expect([cross?.module, cross?.arrPotential]).toEqual(['reporting', 6_000]);
    expect(cross?.signalIds[0]).toBe('module_workaround:reporting');
    const owned = assess({ account: account({ modulesOwned: ['reporting'] }), usage: heavy });
    expect(owned.opportunities.filter((o) => o.motion === 'module_cross_sell')).toEqual([]);
  });

  it('several confirming signals on a green account make it a conversation now, and a strong account gets a QBR agenda and an email', () => {
    const busy = withEvents(
      usage([
        { days: 30, seats: 60, active: 40 },
        { days: 30, seats: 70, active: 55 },
      ]),
      { audit_log: 0.5, sandbox: 0.3, exports: 2 },
    );
    const result = assess({
      account: account({ executiveEngagedOn: inDays(-10), headcountGrowth: 0.35 }),
      usage: busy,
    });
    expect([result.health, result.timing]).toEqual(['green', 'now']);
    expect(result.score).toBeGreaterThanOrEqual(60);
    expect(result.qbrAgenda?.body.length).toBeGreaterThan(0);
    expect(result.outreachEmail?.body.length).toBeGreaterThan(0);
    for (const text of [result.qbrAgenda, result.outreachEmail])
      expect(untracedNumbers(`${text?.title} ${text?.body}`, text?.evidence ?? [])).toEqual([]);
  });
});
