import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import {
  assertValidSchedule,
  describeSchedule,
  formatInZone,
  nextRunAt,
  scheduleConfigError,
  validateSchedule,
  type CronSchedule,
  type Schedule,
} from '../../../src/worker/schedule.ts';

const at = (iso: string): Date => new Date(iso);
const cron = (expression: string, timezone = 'UTC'): CronSchedule => ({ cron: expression, timezone });

/** Every run nextRunAt hands out in [from, to), as a worker would see them running back to back. */
function runsBetween(schedule: Schedule, from: Date, to: Date): string[] {
  const runs: string[] = [];
  let now = from;
  for (;;) {
    const next = nextRunAt(schedule, { now });
    if (next.getTime() >= to.getTime()) return runs;
    runs.push(next.toISOString());
    now = next;
  }
}

describe('nextRunAt for cron schedules', () => {
  const cases: ReadonlyArray<{ name: string; schedule: CronSchedule; now: string; next: string }> = [
    {
      name: 'UTC daily, later today',
      schedule: cron('0 6 * * *'),
      now: '2026-12-02T00:19:00Z',
      next: '2026-12-02T06:00:00.000Z',
    },
    {
      name: 'UTC daily, strictly after a run instant',
      schedule: cron('0 6 * * *'),
      now: '2026-12-02T06:00:00Z',
      next: '2026-12-03T06:00:00.000Z',
    },
    {
      name: 'weekdays, Friday after the run -> Monday',
      schedule: cron('0 6 * * 1-5'),
      now: '2026-12-04T07:00:00Z',
      next: '2026-12-07T06:00:00.000Z',
    },
    {
      name: 'weekdays, Saturday -> Monday',
      schedule: cron('0 6 * * 1-5'),
      now: '2026-12-05T12:00:00Z',
      next: '2026-12-07T06:00:00.000Z',
    },
    {
      name: 'weekdays, Sunday late -> Monday',
      schedule: cron('0 6 * * MON-FRI'),
      now: '2026-12-06T23:59:00Z',
      next: '2026-12-07T06:00:00.000Z',
    },
    {
      name: 'New York in winter (EST, -05:00)',
      schedule: cron('0 9 * * *', 'America/New_York'),
      now: '2026-01-15T00:00:00Z',
      next: '2026-01-15T14:00:00.000Z',
    },
    {
      name: 'New York in summer (EDT, -04:00)',
      schedule: cron('0 9 * * *', 'America/New_York'),
      now: '2026-07-15T00:00:00Z',
      next: '2026-07-15T13:00:00.000Z',
    },
    {
      name: 'New York: 03:00Z is still the day before locally, midnight is 04:00Z',
      schedule: cron('0 0 * * *', 'America/New_York'),
      now: '2026-07-15T03:00:00Z',
      next: '2026-07-15T04:00:00.000Z',
    },
    {
      name: 'Kolkata (+05:30, no DST)',
      schedule: cron('30 9 * * *', 'Asia/Kolkata'),
      now: '2026-07-15T00:00:00Z',
      next: '2026-07-15T04:00:00.000Z',
    },
    {
      name: 'Kolkata midnight is 18:30Z the day before',
      schedule: cron('0 0 * * *', 'Asia/Kolkata'),
      now: '2026-01-15T12:00:00Z',
      next: '2026-01-15T18:30:00.000Z',
    },
    {
      name: 'Sydney in January (AEDT, +11:00)',
      schedule: cron('0 9 * * *', 'Australia/Sydney'),
      now: '2026-01-15T00:00:00Z',
      next: '2026-01-15T22:00:00.000Z',
    },
    {
      name: 'Sydney in July (AEST, +10:00)',
      schedule: cron('0 9 * * *', 'Australia/Sydney'),
      now: '2026-07-15T00:00:00Z',
      next: '2026-07-15T23:00:00.000Z',
    },
    {
      name: 'zone name is case-insensitive',
      schedule: cron('30 9 * * *', 'asia/kolkata'),
      now: '2026-07-15T00:00:00Z',
      next: '2026-07-15T04:00:00.000Z',
    },
  ];
  it.each(cases)('$name', ({ schedule, now, next }) => {
    expect(nextRunAt(schedule, { now: at(now) }).toISOString()).toBe(next);
  });

  it('ignores lastFinishedAt: cron runs are on the clock, not after the previous run', () => {
    const next = nextRunAt(cron('0 6 * * *'), {
      now: at('2026-12-02T00:00:00Z'),
      lastFinishedAt: at('2026-12-01T23:59:00Z'),
    });
    expect(next.toISOString()).toBe('2026-12-02T06:00:00.000Z');
  });

  it('throws a config SyncError on an invalid schedule', () => {
    expect(() => nextRunAt(cron('0 6 * *'), { now: at('2026-12-02T00:00:00Z') })).toThrow(
      /invalid cron expression "0 6 \* \*"/,
    );
    expect(() => nextRunAt(cron('0 6 * * *', 'Mars/Olympus'), { now: at('2026-12-02T00:00:00Z') })).toThrow(
      /unknown time zone "Mars\/Olympus"/,
    );
  });
});

describe('DST', () => {
  // Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
  // Australia/Sydney: 2026-04-05 03:00 AEDT -> 02:00 AEST; 2026-10-04 02:00 AEST -> 03:00 AEDT.
  const gaps: ReadonlyArray<{ name: string; schedule: CronSchedule; now: string; runs: readonly string[] }> = [
    {
      name: 'Berlin spring-forward: 02:30 does not exist, runs at 03:00+02:00 the same day, then 02:30 again',
      schedule: cron('30 2 * * *', 'Europe/Berlin'),
      now: '2026-03-28T12:00:00Z',
      runs: ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'],
    },
    {
      name: 'Berlin spring-forward with a list of hours: also runs once after the gap',
      schedule: cron('30 2,14 * * *', 'Europe/Berlin'),
      now: '2026-03-28T20:00:00Z',
      runs: ['2026-03-29T01:00:00.000Z', '2026-03-29T12:30:00.000Z'],
    },
    {
      name: 'Sydney spring-forward in October: 02:30 runs at 03:00+11:00',
      schedule: cron('30 2 * * *', 'Australia/Sydney'),
      now: '2026-10-03T06:00:00Z',
      runs: ['2026-10-03T16:00:00.000Z', '2026-10-04T15:30:00.000Z'],
    },
  ];
  it.each(gaps)('$name', ({ schedule, now, runs }) => {
    const first = nextRunAt(schedule, { now: at(now) });
    const second = nextRunAt(schedule, { now: first });
    expect([first.toISOString(), second.toISOString()]).toEqual(runs);
  });

  const repeats: ReadonlyArray<{
    name: string;
    schedule: CronSchedule;
    from: string;
    to: string;
    runs: readonly string[];
  }> = [
    {
      name: 'Berlin fall-back: 02:30 runs once, at the first (CEST) occurrence',
      schedule: cron('30 2 * * *', 'Europe/Berlin'),
      from: '2026-10-24T22:00:00Z', // 00:00+02:00
      to: '2026-10-25T05:00:00Z', // 06:00+01:00
      runs: ['2026-10-25T00:30:00.000Z'],
    },
    {
      name: 'Berlin fall-back with a list of hours: 02:30 still runs once',
      schedule: cron('30 2,14 * * *', 'Europe/Berlin'),
      from: '2026-10-24T22:00:00Z',
      to: '2026-10-25T05:00:00Z',
      runs: ['2026-10-25T00:30:00.000Z'],
    },
    {
      name: 'Sydney fall-back in April: 02:30 runs once, at the first (AEDT) occurrence',
      schedule: cron('30 2 * * *', 'Australia/Sydney'),
      from: '2026-04-04T13:00:00Z', // 00:00+11:00
      to: '2026-04-04T20:00:00Z', // 06:00+10:00
      runs: ['2026-04-04T15:30:00.000Z'],
    },
    {
      name: 'interval cron keeps its real-time rhythm through the repeated hour (both 02:30s)',
      schedule: cron('30 * * * *', 'Europe/Berlin'),
      from: '2026-10-24T23:45:00Z',
      to: '2026-10-25T02:00:00Z',
      runs: ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    },
  ];
  it.each(repeats)('$name', ({ schedule, from, to, runs }) => {
    expect(runsBetween(schedule, at(from), at(to))).toEqual(runs);
  });

  it('never offers the second 02:30 in Berlin, whatever minute the worker asks at', () => {
    const schedule = cron('30 2 * * *', 'Europe/Berlin');
    const seen = new Set<string>();
    for (let t = at('2026-10-24T22:00:00Z').getTime(); t < at('2026-10-25T05:00:00Z').getTime(); t += 60_000) {
      seen.add(nextRunAt(schedule, { now: new Date(t) }).toISOString());
    }
    expect([...seen].sort()).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });
});

describe('nextRunAt for interval schedules', () => {
  const now = '2026-12-02T00:20:00.000Z';
  const cases: ReadonlyArray<{ name: string; everyMinutes: number; lastFinishedAt?: string; next: string }> = [
    { name: 'never ran: now', everyMinutes: 15, next: now },
    {
      name: 'ran 10 minutes ago: 5 minutes from now',
      everyMinutes: 15,
      lastFinishedAt: '2026-12-02T00:10:00.000Z',
      next: '2026-12-02T00:25:00.000Z',
    },
    {
      name: 'overdue: now, never in the past',
      everyMinutes: 15,
      lastFinishedAt: '2026-12-01T20:00:00.000Z',
      next: now,
    },
    { name: 'due exactly now', everyMinutes: 60, lastFinishedAt: '2026-12-01T23:20:00.000Z', next: now },
    {
      name: 'weekly',
      everyMinutes: 10_080,
      lastFinishedAt: '2026-12-01T00:00:00.000Z',
      next: '2026-12-08T00:00:00.000Z',
    },
  ];
  it.each(cases)('$name', ({ everyMinutes, lastFinishedAt, next }) => {
    const options =
      lastFinishedAt === undefined ? { now: at(now) } : { now: at(now), lastFinishedAt: at(lastFinishedAt) };
    expect(nextRunAt({ everyMinutes }, options).toISOString()).toBe(next);
  });
});

describe('validateSchedule', () => {
  const now = at('2026-12-02T00:00:00Z');
  const valid: readonly Schedule[] = [
    cron('0 6 * * 1-5'),
    cron('*/15 * * * *', 'Europe/Berlin'),
    cron('@daily', 'Asia/Kolkata'),
    cron('0 0 29 2 *'),
    { everyMinutes: 30 },
  ];
  it.each(valid)('accepts %j', (schedule) => {
    expect(validateSchedule(schedule, now)).toEqual({ ok: true });
  });

  const invalid: ReadonlyArray<{ schedule: Schedule; field: string; message: RegExp }> = [
    { schedule: cron('61 * * * *'), field: 'cron', message: /^invalid cron expression "61 \* \* \* \*": .*minute/ },
    { schedule: cron('0 6 * *'), field: 'cron', message: /^invalid cron expression "0 6 \* \*": expected five fields/ },
    {
      schedule: cron('0 0 6 * * *'),
      field: 'cron',
      message: /^invalid cron expression "0 0 6 \* \* \*": expected five fields/,
    },
    { schedule: cron('every day'), field: 'cron', message: /^invalid cron expression "every day"/ },
    {
      schedule: cron('2030-01-23T00:00:00'),
      field: 'cron',
      message: /^invalid cron expression "2030-01-23T00:00:00": expected five fields/,
    },
    { schedule: cron('0 0 31 2 *'), field: 'cron', message: /^cron expression "0 0 31 2 \*" never fires/ },
    { schedule: cron('0 6 * * *', 'Mars/Olympus'), field: 'timezone', message: /^unknown time zone "Mars\/Olympus"$/ },
    { schedule: cron('0 6 * * *', 'CEST'), field: 'timezone', message: /^unknown time zone "CEST"$/ },
    { schedule: { everyMinutes: 0 }, field: 'everyMinutes', message: /positive whole number/ },
  ];
  it.each(invalid)(
    'rejects $schedule.cron$schedule.everyMinutes in $schedule.timezone',
    ({ schedule, field, message }) => {
      const result = validateSchedule(schedule, now);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.field).toBe(field);
      expect(result.message).toMatch(message);
      expect(result.fix).not.toBe('');
    },
  );

  it('suggests the full zone name when the region is missing', () => {
    const result = validateSchedule(cron('0 6 * * *', 'Berlin'), now);
    expect(result).toMatchObject({ ok: false, field: 'timezone', fix: expect.stringContaining('"Europe/Berlin"') });
  });
});

describe('scheduleConfigError / assertValidSchedule', () => {
  const now = at('2026-12-02T00:00:00Z');
  it('names the file, the JSON path and the zone', () => {
    const error = scheduleConfigError(cron('0 6 * * *', 'Europe/Berln'), '/etc/sync/acme.json', 'schedule', now);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues).toEqual([
      expect.objectContaining({
        file: '/etc/sync/acme.json',
        path: 'schedule.timezone',
        message: 'unknown time zone "Europe/Berln"',
      }),
    ]);
    expect(error?.message).toContain('/etc/sync/acme.json at schedule.timezone: unknown time zone "Europe/Berln"');
  });

  it('uses the given path for the weekly digest', () => {
    expect(() => assertValidSchedule(cron('0 8 * * 8'), 'acme.json', 'alerts.weeklyDigest', now)).toThrow(
      /acme\.json at alerts\.weeklyDigest\.cron: invalid cron expression "0 8 \* \* 8"/,
    );
  });

  it('returns nothing for a valid schedule', () => {
    expect(scheduleConfigError(cron('0 8 * * 1'), 'acme.json', 'alerts.weeklyDigest', now)).toBeUndefined();
    expect(() => assertValidSchedule({ everyMinutes: 60 }, 'acme.json')).not.toThrow();
  });
});

describe('describeSchedule', () => {
  const cases: ReadonlyArray<{ schedule: Schedule; now: string; lastFinishedAt?: string; text: string }> = [
    {
      schedule: cron('30 2 * * *', 'Europe/Berlin'),
      now: '2026-03-28T12:00:00Z',
      text: 'cron 30 2 * * * (Europe/Berlin), next 2026-03-29T03:00+02:00',
    },
    {
      schedule: cron('30 2 * * *', 'Europe/Berlin'),
      now: '2026-10-24T12:00:00Z',
      text: 'cron 30 2 * * * (Europe/Berlin), next 2026-10-25T02:30+02:00',
    },
    {
      schedule: cron('0 6 * * 1-5'),
      now: '2026-12-04T07:00:00Z',
      text: 'cron 0 6 * * 1-5 (UTC), next 2026-12-07T06:00+00:00',
    },
    {
      schedule: cron('30 9 * * *', 'Asia/Kolkata'),
      now: '2026-07-15T00:00:00Z',
      text: 'cron 30 9 * * * (Asia/Kolkata), next 2026-07-15T09:30+05:30',
    },
    {
      schedule: cron('0 9 * * *', 'America/New_York'),
      now: '2026-01-15T00:00:00Z',
      text: 'cron 0 9 * * * (America/New_York), next 2026-01-15T09:00-05:00',
    },
    {
      schedule: { everyMinutes: 15 },
      now: '2026-12-02T00:20:00Z',
      text: 'every 15 minutes after the previous run, next 2026-12-02T00:20+00:00',
    },
    {
      schedule: { everyMinutes: 1 },
      now: '2026-12-02T00:20:00Z',
      lastFinishedAt: '2026-12-02T00:19:30Z',
      text: 'every 1 minute after the previous run, next 2026-12-02T00:20:30+00:00',
    },
    {
      schedule: cron('0 6 * * *', 'Mars/Olympus'),
      now: '2026-12-02T00:00:00Z',
      text: 'cron 0 6 * * * (Mars/Olympus), invalid: unknown time zone "Mars/Olympus"',
    },
  ];
  it.each(cases)('$text', ({ schedule, now, lastFinishedAt, text }) => {
    expect(describeSchedule(schedule, at(now), lastFinishedAt === undefined ? undefined : at(lastFinishedAt))).toBe(
      text,
    );
  });

  it('formats instants with their offset on each side of a DST change', () => {
    expect(formatInZone(at('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25T02:30+02:00');
    expect(formatInZone(at('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25T02:30+01:00');
    expect(formatInZone(at('2026-04-04T16:30:00Z'), 'Australia/Sydney')).toBe('2026-04-05T02:30+10:00');
  });
});
