import { describe, expect, it } from 'vitest';
import type { Account } from '../../../src/model/account.ts';
import type { Signal } from '../../../src/model/assessment.ts';
import { ScoringConfigSchema, type ScoringConfig } from '../../../src/scoring/config.ts';
import { dayNumber, type Day } from '../../../src/scoring/days.ts';
import { untracedNumbers } from '../../../src/scoring/evidence.ts';
import type { Evaluation } from '../../../src/scoring/result.ts';
import { NO_HISTORY, type SignalContext } from '../../../src/scoring/signals/context.ts';
import { evaluateFeatureGraduation } from '../../../src/scoring/signals/feature-graduation.ts';
import { evaluateModuleWorkarounds, type WorkaroundFacts } from '../../../src/scoring/signals/module-workaround.ts';
import { evaluatePowerUsers } from '../../../src/scoring/signals/power-users.ts';
import { evaluateTeamAdoption } from '../../../src/scoring/signals/team-adoption.ts';

const AS_OF = dayNumber('2026-11-20');
type Events = Record<string, number>;

const baseAccount = (overrides: Partial<Account> = {}): Account => ({
  system: 'hubspot',
  id: '101',
  name: 'Acme',
  licensedSeats: 100,
  plan: 'starter',
  modulesOwned: [],
  ...overrides,
});

/** One day `back` days before asOf (0 = asOf). */
const day = (back: number, events: Events = {}, activeUsers = 10): Day => ({
  day: AS_OF - back,
  activeUsers,
  seatsUsed: activeUsers,
  events,
});

/** Days from `fromBack` to `toBack` days before asOf, oldest first, all with the same events. */
function span(fromBack: number, toBack: number, events: Events = {}, activeUsers = 10): Day[] {
  const out: Day[] = [];
  for (let back = fromBack; back >= toBack; back -= 1) out.push(day(back, events, activeUsers));
  return out;
}

/** Days in date order, a later list's day replacing an earlier one on the same date. */
function merge(...lists: ReadonlyArray<readonly Day[]>): Day[] {
  const byDay = new Map<number, Day>();
  for (const list of lists) for (const d of list) byDay.set(d.day, d);
  return [...byDay.values()].sort((a, b) => a.day - b.day);
}

function context(
  days: readonly Day[],
  options: { readonly account?: Partial<Account>; readonly config?: Record<string, unknown> } = {},
): SignalContext {
  const config: ScoringConfig = ScoringConfigSchema.parse(options.config ?? {});
  return { account: baseAccount(options.account), days, asOf: AS_OF, usageEnd: AS_OF, config, history: NO_HISTORY };
}

function evaluated<Facts>(evaluation: Evaluation<Facts> | undefined): Facts {
  if (evaluation === undefined) throw new Error('no evaluation');
  if (!evaluation.evaluated) throw new Error(`not evaluated: ${evaluation.missing.join(', ')}`);
  return evaluation;
}

/** The context with no plan on the account (exactOptionalPropertyTypes: absent, not undefined). */
function withoutPlan(of: SignalContext): SignalContext {
  const { plan: _plan, ...account } = of.account;
  return { ...of, account };
}

function missingOf<Facts>(evaluation: Evaluation<Facts>): readonly string[] {
  return evaluation.evaluated ? [] : evaluation.missing;
}

const value = (signal: Signal | undefined, metric: string): number | undefined =>
  signal?.evidence.find((e) => e.metric === metric)?.value;

describe('feature graduation (starter: 6 features on the plans above)', () => {
  it.each([
    { name: 'two features at minEvents fire', events: { scheduled_reports: 5, sso: 5 }, fires: true },
    { name: 'one event short on the second feature does not', events: { scheduled_reports: 5, sso: 4 }, fires: false },
    { name: 'one explored feature is below minFeatures', events: { scheduled_reports: 50 }, fires: false },
    { name: 'features two rungs up count too', events: { audit_log: 5, sandbox: 5 }, fires: true },
    { name: 'own-plan features never count', events: { reports: 50, dashboards: 50, exports: 50 }, fires: false },
  ])('$name', ({ events, fires }) => {
    const facts = evaluated(evaluateFeatureGraduation(context([day(0, events)])));
    expect(facts.signal !== undefined).toBe(fires);
    expect(facts.nextPlan).toBe('growth');
    expect(facts.gatedCount).toBe(6);
  });

  it.each([
    { name: 'the first day of the window counts', back: 29, fires: true },
    { name: 'the day before the window does not', back: 30, fires: false },
  ])('$name', ({ back, fires }) => {
    const days = merge([day(back, { sso: 5, sandbox: 5 })], [day(0)]);
    expect(evaluated(evaluateFeatureGraduation(context(days))).signal !== undefined).toBe(fires);
  });

  it('sums a feature over the days of the window', () => {
    const facts = evaluated(
      evaluateFeatureGraduation(context([day(3, { sso: 3, sandbox: 1 }), day(0, { sso: 2, sandbox: 4 })])),
    );
    expect(facts.explored).toEqual(['sandbox', 'sso']);
  });

  it('is entitlement aware: a growth account exploring its own features does not fire, enterprise ones do', () => {
    const own = evaluated(
      evaluateFeatureGraduation(context([day(0, { scheduled_reports: 9, sso: 9 })], { account: { plan: 'growth' } })),
    );
    expect(own.signal).toBeUndefined();
    expect(own.gatedCount).toBe(3);
    const higher = evaluated(
      evaluateFeatureGraduation(context([day(0, { audit_log: 9, sandbox: 9 })], { account: { plan: 'Growth ' } })),
    );
    expect(higher.signal?.id).toBe('feature_graduation');
    expect(higher.nextPlan).toBe('enterprise');
  });

  it('the top plan has nowhere to graduate to: evaluated, no signal', () => {
    const facts = evaluated(
      evaluateFeatureGraduation(context([day(0, { audit_log: 9, sandbox: 9 })], { account: { plan: 'enterprise' } })),
    );
    expect(facts).toMatchObject({ nextPlan: undefined, gatedCount: 0, explored: [], signal: undefined });
  });

  it.each([
    { name: 'no plan', plan: undefined, days: [day(0)], missing: ['plan'] },
    { name: 'a plan not on the ladder', plan: 'platinum', days: [day(0)], missing: ['plan'] },
    { name: 'no usage', plan: 'starter', days: [], missing: ['usage'] },
    {
      name: 'usage only before the window',
      plan: 'starter',
      days: [day(30, { sso: 9, sandbox: 9 })],
      missing: ['usage'],
    },
    { name: 'neither', plan: undefined, days: [], missing: ['plan', 'usage'] },
  ])('not evaluated with $name', ({ plan, days, missing }) => {
    const evaluation = evaluateFeatureGraduation(
      plan === undefined ? withoutPlan(context(days)) : context(days, { account: { plan } }),
    );
    expect(missingOf(evaluation)).toEqual(missing);
    if (!evaluation.evaluated) expect(evaluation.reason).toMatch(/not evaluated/);
  });

  it.each([
    { explored: { sso: 5, sandbox: 5 }, strength: 0.4 },
    { explored: { sso: 5, sandbox: 5, audit_log: 5, custom_roles: 5 }, strength: 0.7 },
    {
      explored: { sso: 5, sandbox: 5, audit_log: 5, custom_roles: 5, custom_fields: 5, scheduled_reports: 5 },
      strength: 1,
    },
  ])('strength $strength', ({ explored, strength }) => {
    expect(evaluated(evaluateFeatureGraduation(context([day(0, explored)]))).strength).toBe(strength);
  });

  it('reports breadth of its own plan and a summary whose numbers are all evidence', () => {
    const signal = evaluated(
      evaluateFeatureGraduation(context([day(0, { reports: 1, dashboards: 1, sso: 5, sandbox: 5, audit_log: 5 })])),
    ).signal;
    expect(value(signal, 'own_plan_feature_breadth')).toBe(67);
    expect(signal?.summary).toBe(
      'Explored 3 of 6 features from higher plans in the last 30 days, and used 67% of the features it has',
    );
    expect(untracedNumbers(signal?.summary ?? '', signal?.evidence ?? [])).toEqual([]);
  });
});

/** Top-decile events are part of all activity: 50 of 100 events is a 50% share. */
describe('power users', () => {
  it.each([
    { name: 'exactly minPowerUsers fires', events: { power_users: 3 }, fires: true },
    { name: 'just under does not', events: { power_users: 2.9 }, fires: false },
    {
      name: 'share exactly at shareAt fires',
      events: { power_users: 3, top_decile_events: 50, exports: 100 },
      fires: true,
    },
    {
      name: 'share one point under does not',
      events: { power_users: 3, top_decile_events: 49, exports: 100 },
      fires: false,
    },
    {
      name: 'team metrics are not activity',
      events: { power_users: 3, top_decile_events: 50, exports: 100, team_sales: 1000 },
      fires: true,
    },
    {
      name: 'no activity: the share is unknown, power users alone decide',
      events: { power_users: 3, top_decile_events: 0 },
      fires: true,
    },
  ])('$name', ({ events, fires }) => {
    const facts = evaluated(evaluatePowerUsers(context(span(29, 0, events))));
    expect(facts.signal !== undefined).toBe(fires);
  });

  it.each([
    { name: 'no power-user metric', days: span(29, 0, { exports: 40 }) },
    { name: 'the metric only before the window', days: merge(span(40, 30, { power_users: 9 }), span(29, 0)) },
    { name: 'no usage', days: [] },
  ])('not evaluated with $name', ({ days }) => {
    expect(missingOf(evaluatePowerUsers(context(days)))).toEqual(['usage.powerUsers']);
  });

  it('zero power users reported is evaluated and quiet', () => {
    const facts = evaluated(evaluatePowerUsers(context(span(29, 0, { power_users: 0 }))));
    expect(facts).toMatchObject({ averagePowerUsers: 0, signal: undefined, strength: 0 });
  });

  it('days without the metric are unknown, not zero', () => {
    const facts = evaluated(evaluatePowerUsers(context(merge(span(29, 15), span(14, 0, { power_users: 4 })))));
    expect(facts.averagePowerUsers).toBe(4);
  });

  it('the share counts only days that report top-decile events', () => {
    const days = merge(
      span(29, 15, { power_users: 3, exports: 500 }),
      span(14, 0, { power_users: 3, top_decile_events: 60, exports: 100 }),
    );
    expect(evaluated(evaluatePowerUsers(context(days))).topDecileShare).toBe(0.6);
  });

  it('shows how activity spreads across teams', () => {
    const signal = evaluated(
      evaluatePowerUsers(context(span(29, 0, { power_users: 3, team_sales: 6, team_ops: 2, team_hr: 1 }, 10))),
    ).signal;
    expect(value(signal, 'teams_active')).toBe(2);
    expect(value(signal, 'largest_team_active_user_share')).toBe(60);
  });

  it.each([
    { events: { power_users: 3, top_decile_events: 50, exports: 100 }, strength: 0.4 },
    { events: { power_users: 9, top_decile_events: 100, exports: 100 }, strength: 1 },
    { events: { power_users: 6, top_decile_events: 75, exports: 100 }, strength: 0.7 },
    { events: { power_users: 9 }, strength: 0.7 },
  ])('strength $strength', ({ events, strength }) => {
    expect(evaluated(evaluatePowerUsers(context(span(29, 0, events)))).strength).toBe(strength);
  });

  it('summary numbers are all evidence', () => {
    const signal = evaluated(
      evaluatePowerUsers(
        context(
          span(29, 0, { power_users: 4.24, top_decile_events: 62, exports: 100, team_sales: 4.5, team_ops: 3 }, 10),
        ),
      ),
    ).signal;
    expect(signal?.summary).toBe(
      '4.2 power users a day over the last 30 days; the most active tenth of users drive 62% of activity; 2 teams active, the largest with 45% of active users',
    );
    expect(untracedNumbers(signal?.summary ?? '', signal?.evidence ?? [])).toEqual([]);
  });
});

describe('new-team adoption (recent: last 14 days; baseline: 30 days ending 30 days back)', () => {
  const baseline = (events: Events = { team_sales: 3 }) => span(59, 30, events);
  const recent = (events: Events = { team_sales: 3, team_ops: 3 }) => span(13, 0, events);

  it('a team active recently but not in the baseline is new', () => {
    const facts = evaluated(evaluateTeamAdoption(context(merge(baseline(), recent()))));
    expect(facts).toMatchObject({
      newTeams: ['ops'],
      teamsRecent: ['ops', 'sales'],
      teamsBaseline: ['sales'],
      strength: 0.5,
    });
    expect(facts.signal?.id).toBe('new_team_adoption');
  });

  it.each([
    { name: 'active on the last baseline day is not new', back: 30, fires: false },
    { name: 'active only in the gap is new', back: 29, fires: true },
    { name: 'active on the first baseline day is not new', back: 59, fires: false },
    { name: 'active the day before the baseline is new', back: 60, fires: true },
  ])('$name', ({ back, fires }) => {
    // 60 users on one of 30 baseline rows: a mean of exactly 2, the threshold.
    const days = merge(span(60, 30, { team_sales: 3 }), [day(back, { team_sales: 3, team_ops: 60 })], recent());
    expect(evaluated(evaluateTeamAdoption(context(days))).signal !== undefined).toBe(fires);
  });

  it.each([
    { name: 'a recent mean at minActiveUsers fires', days: recent({ team_sales: 3, team_ops: 2 }), fires: true },
    {
      name: 'a recent mean just under does not',
      days: merge(recent({ team_sales: 3, team_ops: 2 }), [day(0, { team_sales: 3, team_ops: 1 })]),
      fires: false,
    },
    {
      name: 'rows without the team count as zero for it',
      days: merge(span(13, 7, { team_sales: 3, team_ops: 4 }), span(6, 0, { team_sales: 3 })),
      fires: true,
    },
    {
      name: 'no team metric on most rows halves the mean',
      days: merge(span(13, 7, { team_sales: 3, team_ops: 3 }), span(6, 0, { team_sales: 3 })),
      fires: false,
    },
  ])('$name', ({ days, fires }) => {
    expect(evaluated(evaluateTeamAdoption(context(merge(baseline(), days)))).signal !== undefined).toBe(fires);
  });

  it.each([
    { name: 'no team metrics anywhere', days: merge(span(59, 0)), missing: ['usage.teams'] },
    { name: 'a new account: no baseline rows', days: recent(), missing: ['usage.teamsBaseline'] },
    {
      name: 'baseline rows without team metrics',
      days: merge(span(59, 30), recent()),
      missing: ['usage.teamsBaseline'],
    },
    { name: 'no recent team metrics', days: merge(baseline(), span(13, 0)), missing: ['usage.teamsRecent'] },
  ])('not evaluated with $name, never calling every team new', ({ days, missing }) => {
    expect(missingOf(evaluateTeamAdoption(context(days)))).toEqual(missing);
  });

  it.each([
    { teams: { team_a: 2 }, strength: 0.5 },
    { teams: { team_a: 2, team_b: 2 }, strength: 0.7 },
    { teams: { team_a: 2, team_b: 2, team_c: 2, team_d: 2 }, strength: 1 },
  ])('strength $strength', ({ teams, strength }) => {
    expect(
      evaluated(evaluateTeamAdoption(context(merge(baseline(), recent({ team_sales: 3, ...teams }))))).strength,
    ).toBe(strength);
  });

  it('a team that stopped is not new and the summary numbers are all evidence', () => {
    const signal = evaluated(
      evaluateTeamAdoption(
        context(merge(baseline({ team_sales: 3, team_hr: 5 }), recent({ team_sales: 3, team_ops: 3, team_it: 2 }))),
      ),
    ).signal;
    expect(value(signal, 'teams_new')).toBe(2);
    expect(signal?.summary).toBe('2 new teams using the product in the last 14 days (3 active now, 2 before)');
    expect(untracedNumbers(signal?.summary ?? '', signal?.evidence ?? [])).toEqual([]);
  });
});

describe('module workarounds (7 active users a day: 30 events in 30 days is 1 per user a week)', () => {
  const reporting = (
    days: readonly Day[],
    options: Parameters<typeof context>[1] = {},
  ): Evaluation<WorkaroundFacts> | undefined =>
    // A threshold of 1 per user a week keeps the table's numbers small; the default is 5.
    evaluateModuleWorkarounds(
      context(days, { ...options, config: { workarounds: { perActiveUserPerWeek: 1 }, ...options.config } }),
    ).find((w) => w.moduleId === 'reporting')?.evaluation;
  const month = (exports: number, activeUsers = 7, back = 0) =>
    merge(span(29, 0, {}, activeUsers), [day(back, { exports }, activeUsers)]);

  it.each([
    { name: 'a rate at the threshold fires', days: month(30), fires: true },
    { name: 'a rate of 0.9 does not', days: month(27), fires: false },
    { name: 'minEvents fires', days: month(20, 1), fires: true },
    { name: 'one event under minEvents does not, whatever the rate', days: month(19, 1), fires: false },
    {
      name: 'events the day before the window do not count',
      days: merge(span(29, 0, {}, 1), [day(30, { exports: 500 }, 1)]),
      fires: false,
    },
    { name: 'events on the first day of the window count', days: month(30, 7, 29), fires: true },
  ])('$name', ({ days, fires }) => {
    const facts = evaluated(reporting(days));
    expect(facts.signal !== undefined).toBe(fires);
  });

  it('evaluates every unowned module with workarounds, and only those', () => {
    const ids = (owned: string[]) =>
      evaluateModuleWorkarounds(context(month(30), { account: { modulesOwned: owned } })).map((w) => w.moduleId);
    expect(ids([])).toEqual(['reporting', 'automation', 'integrations']);
    expect(ids([' Reporting', 'INTEGRATIONS'])).toEqual(['automation']);
  });

  it.each([
    { name: 'no usage', days: [], missing: ['usage'] },
    { name: 'usage only before the window', days: [day(30, { exports: 500 })], missing: ['usage'] },
    { name: 'no active users', days: span(29, 0, { exports: 50 }, 0), missing: ['usage.activeUsers'] },
  ])('not evaluated with $name', ({ days, missing }) => {
    const all = evaluateModuleWorkarounds(context(days));
    expect(all).toHaveLength(3);
    for (const w of all) expect(missingOf(w.evaluation)).toEqual(missing);
  });

  it.each([
    { exports: 30, strength: 0.4 },
    { exports: 60, strength: 0.7 },
    { exports: 90, strength: 1 },
    { exports: 300, strength: 1 },
  ])('strength $strength at $exports events', ({ exports, strength }) => {
    expect(evaluated(reporting(month(exports))).strength).toBe(strength);
  });

  it('signals per module, with a summary whose numbers are all evidence', () => {
    const facts = evaluated(reporting(month(63)));
    expect(facts.signal?.id).toBe('module_workaround:reporting');
    expect(facts.signal?.summary).toBe(
      '63 exports in the last 30 days (2.1 per active user a week), work Advanced Reporting would replace',
    );
    expect(untracedNumbers(facts.signal?.summary ?? '', facts.signal?.evidence ?? [])).toEqual([]);
  });

  it('reads a configured module with several workarounds', () => {
    const modules = [{ id: 'sync', label: 'Data Sync', listPrice: 100, workarounds: ['csv_imports', 'exports'] }];
    const [only] = evaluateModuleWorkarounds(
      context(merge(span(29, 0, {}, 7), [day(0, { csv_imports: 20, exports: 10 }, 7)]), {
        config: { catalog: { modules }, workarounds: { perActiveUserPerWeek: 1 } },
      }),
    );
    const signal = evaluated(only?.evaluation).signal;
    expect(signal?.summary).toBe(
      '30 csv imports and exports in the last 30 days (1 per active user a week), work Data Sync would replace',
    );
  });
});
