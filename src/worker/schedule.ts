import { Cron } from 'croner';
import type { z } from 'zod';
import type { ScheduleSchema } from '../config/schema.ts';
import { ConfigError, SyncError } from '../errors.ts';

/**
 * When the worker runs a sync: a cron expression read in an IANA time zone, or a fixed interval counted
 * from the end of the previous run. The same shape serves `alerts.weeklyDigest` ({cron, timezone}).
 *
 * DST, as implemented by croner 11 with `fixedTimeRule: 'no-wildcard'` (Vixie-cron semantics):
 * - Fixed-time jobs (no `*`, `?` or step in minute and hour, e.g. `30 2 * * *` or `30 2,14 * * *`):
 *   a wall-clock time skipped by spring-forward runs once at the first valid time after the gap, the
 *   same day (02:30 Europe/Berlin on 2026-03-29 runs at 03:00+02:00 = 01:00Z); a wall-clock time that
 *   repeats at fall-back runs once, at its first occurrence (02:30 on 2026-10-25 runs at 02:30+02:00 =
 *   00:30Z, not again at 02:30+01:00).
 * - Interval jobs (a wildcard or step in minute or hour, e.g. `*\/30 * * * *`, `15 * * * *`): a
 *   skipped time is skipped, and a repeated time runs on both occurrences, so the job keeps its
 *   real-time rhythm through the repeated hour instead of pausing for an hour.
 * 'no-wildcard' rather than croner's default 'single-value' so that lists and ranges such as
 * `30 2,14 * * *` are fixed-time too: with the default they would skip 02:30 in spring and run twice
 * in autumn, which is the double run this module exists to prevent.
 */
export type Schedule = z.infer<typeof ScheduleSchema>;
export type CronSchedule = Extract<Schedule, { cron: string }>;
export type IntervalSchedule = Extract<Schedule, { everyMinutes: number }>;

export type ScheduleValidation =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly field: 'cron' | 'timezone' | 'everyMinutes';
      readonly message: string;
      readonly fix: string;
    };

export interface NextRunOptions {
  readonly now: Date;
  /** When the previous run ended; only interval schedules use it. */
  readonly lastFinishedAt?: Date;
}

const CRON_FIELDS = 'minute hour day-of-month month day-of-week';

/** Throws on a bad pattern; `paused` so that constructing one never starts a timer. */
function cronFor(schedule: CronSchedule): Cron {
  return new Cron(schedule.cron.trim(), {
    timezone: schedule.timezone,
    paused: true,
    mode: '5-part',
    fixedTimeRule: 'no-wildcard',
  });
}

function isCron(schedule: Schedule): schedule is CronSchedule {
  return 'cron' in schedule;
}

/**
 * croner's own zone check only fires on the first `nextRun`, with a long nested message; Intl gives a
 * clean yes/no up front. Returns the canonical name ("europe/berlin" -> "Europe/Berlin").
 */
function canonicalZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** "Berlin" or "berlin" -> "Europe/Berlin": the common mistake is leaving out the region. */
function suggestZone(zone: string): string | undefined {
  const wanted = zone.trim().toLowerCase().replaceAll(' ', '_');
  return Intl.supportedValuesOf('timeZone').find((candidate) => candidate.toLowerCase().split('/').pop() === wanted);
}

function validateZone(zone: string): ScheduleValidation {
  if (canonicalZone(zone) !== undefined) return { ok: true };
  const suggestion = suggestZone(zone);
  return {
    ok: false,
    field: 'timezone',
    message: `unknown time zone "${zone}"`,
    fix: suggestion
      ? `did you mean "${suggestion}"? Use an IANA time zone name.`
      : 'use an IANA time zone name such as "UTC", "Europe/Berlin" or "America/New_York"',
  };
}

/** croner prefixes its messages with "CronPattern: "; the user needs only the reason. */
function cronReason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^Cron(?:Pattern|Options)?:\s*/, '');
}

function validateCron(schedule: CronSchedule, now: Date): ScheduleValidation {
  const pattern = schedule.cron.trim();
  const fix = `use five fields (${CRON_FIELDS}), e.g. "0 6 * * 1-5" for 06:00 on weekdays`;
  // croner also takes an ISO date as a one-shot pattern; a recurring schedule must not silently be one.
  if (!pattern.startsWith('@') && pattern.split(/\s+/).length !== 5) {
    return {
      ok: false,
      field: 'cron',
      message: `invalid cron expression "${schedule.cron}": expected five fields (${CRON_FIELDS})`,
      fix,
    };
  }
  let cron: Cron;
  try {
    cron = cronFor(schedule);
  } catch (error) {
    return {
      ok: false,
      field: 'cron',
      message: `invalid cron expression "${schedule.cron}": ${cronReason(error)}`,
      fix,
    };
  }
  if (cron.nextRun(now) === null) {
    return {
      ok: false,
      field: 'cron',
      message: `cron expression "${schedule.cron}" never fires (e.g. a day that does not exist in that month)`,
      fix,
    };
  }
  return { ok: true };
}

/**
 * Checks what zod cannot: that the cron expression parses and ever fires, and that the zone exists.
 * The zone is checked first because croner only notices a bad zone when computing a run.
 * `now` is only used to prove the expression fires at least once more.
 */
export function validateSchedule(schedule: Schedule, now: Date = new Date()): ScheduleValidation {
  if (!isCron(schedule)) {
    const ok = Number.isInteger(schedule.everyMinutes) && schedule.everyMinutes > 0;
    return ok
      ? { ok: true }
      : {
          ok: false,
          field: 'everyMinutes',
          message: `everyMinutes must be a positive whole number, got ${schedule.everyMinutes}`,
          fix: 'use a number of minutes such as 60',
        };
  }
  const zone = validateZone(schedule.timezone);
  return zone.ok ? validateCron(schedule, now) : zone;
}

/**
 * The start-up guard: the worker refuses to start on a schedule that can never be honoured, with the
 * config file and JSON path in the message (exit code 2 via ConfigError). `path` is where the schedule
 * sits in the file: `schedule` for a sync, `alerts.weeklyDigest` for the digest.
 */
export function scheduleConfigError(
  schedule: Schedule,
  file: string,
  path = 'schedule',
  now: Date = new Date(),
): ConfigError | undefined {
  const result = validateSchedule(schedule, now);
  if (result.ok) return undefined;
  return new ConfigError(file, [{ file, path: `${path}.${result.field}`, message: result.message, fix: result.fix }]);
}

/** Throwing form of {@link scheduleConfigError}, for the worker's start-up sequence. */
export function assertValidSchedule(schedule: Schedule, file: string, path = 'schedule', now: Date = new Date()): void {
  const error = scheduleConfigError(schedule, file, path, now);
  if (error) throw error;
}

function invalid(message: string): SyncError {
  return new SyncError(message, { code: 'schedule_invalid', kind: 'config' });
}

/**
 * The instant the worker should start the next run.
 * Cron: the next fire time strictly after `now`, in the schedule's zone (DST as described above). The
 * worker passes the current time after each run, so croner, which moves in real time, never returns
 * the second pass of a repeated hour for a fixed-time job it has already run.
 * Interval: `lastFinishedAt + everyMinutes`, counted from the end of the run so that a slow run never
 * overlaps the next; `now` if it never ran or is overdue, never a time in the past.
 */
export function nextRunAt(schedule: Schedule, options: NextRunOptions): Date {
  const { now, lastFinishedAt } = options;
  if (!isCron(schedule)) {
    if (lastFinishedAt === undefined) return new Date(now.getTime());
    const due = lastFinishedAt.getTime() + schedule.everyMinutes * 60_000;
    return new Date(Math.max(now.getTime(), due));
  }
  const result = validateSchedule(schedule, now);
  if (!result.ok) throw invalid(result.message);
  const next = cronFor(schedule).nextRun(now);
  if (next === null) throw invalid(`cron expression "${schedule.cron}" has no run after ${now.toISOString()}`);
  return next;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * An instant as local wall-clock time in `zone` with its UTC offset, e.g. 2026-03-29T03:00+02:00, so
 * a log reader sees both what the cron expression meant and which side of a DST change it fell on.
 * Seconds are shown only when not zero (cron runs are always on the minute).
 */
export function formatInZone(date: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    timeZoneName: 'longOffset',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const num = (type: Intl.DateTimeFormatPartTypes): number => Number(part(type));
  const offset = part('timeZoneName').replace(/^GMT/, '') || '+00:00';
  const seconds = num('second') === 0 ? '' : `:${pad(num('second'))}`;
  return `${part('year')}-${pad(num('month'))}-${pad(num('day'))}T${pad(num('hour'))}:${pad(num('minute'))}${seconds}${offset}`;
}

/**
 * One line for logs and `--help`: "cron 30 2 * * * (Europe/Berlin), next 2026-03-29T03:00+02:00" or
 * "every 15 minutes after the previous run, next 2026-12-02T00:35:10+00:00". Never throws: an invalid
 * schedule is described with its problem, so a log line about it can still be written.
 */
export function describeSchedule(schedule: Schedule, now: Date, lastFinishedAt?: Date): string {
  const options: NextRunOptions = lastFinishedAt === undefined ? { now } : { now, lastFinishedAt };
  if (!isCron(schedule)) {
    const unit = schedule.everyMinutes === 1 ? 'minute' : 'minutes';
    return `every ${schedule.everyMinutes} ${unit} after the previous run, next ${formatInZone(nextRunAt(schedule, options), 'UTC')}`;
  }
  const head = `cron ${schedule.cron.trim()} (${schedule.timezone})`;
  const result = validateSchedule(schedule, now);
  if (!result.ok) return `${head}, invalid: ${result.message}`;
  return `${head}, next ${formatInZone(nextRunAt(schedule, options), schedule.timezone)}`;
}
