import { isIsoDate, parseUsageRow, show, type FieldLabels, type UsageItem } from '../../src/model/usage.ts';
import type { ArchiveLine } from './archive.ts';

/** One account's day so far: distinct users, counts per event type, and the first event's place. */
interface DayTotals {
  readonly users: Set<string>;
  readonly events: Map<string, number>;
  readonly at: string;
}

/** What the aggregation left out, for the read's summary. */
export interface AggregateStats {
  readonly events: number;
  /** Events with no value for the group type: not any account's usage. */
  readonly ungrouped: number;
  /** Events whose event_time falls outside the days asked for. */
  readonly outsideWindow: number;
  /** Events uploaded more than CLOSE_AFTER_MS after their day ended, once the day had been emitted. */
  readonly late: number;
}

const DAY_MS = 86_400_000;
/**
 * How long after a day ends its events are still added to it: the days a run reads again for late data
 * (USAGE_OVERLAP_DAYS in src/engine/usage-source.ts). Past that the day is emitted and its memory freed.
 */
export const CLOSE_AFTER_MS = 3 * DAY_MS;

/**
 * Per account and day (UTC, from each event's `event_time`), the distinct `user_id`s and the count of each
 * `event_type`, for the events whose `groups[groupType]` names an account. An event in several groups of
 * the type counts for each. The export comes in upload-hour order; `close(hour)` emits every day that ended
 * more than CLOSE_AFTER_MS before that hour, so memory holds a few days of accounts, not the whole pull.
 * An event for a day already emitted is counted as late and left out (it would be a second, differing row).
 */
export class AmplitudeAggregate {
  /** Open days by date, each by account key. */
  private readonly days = new Map<string, Map<string, DayTotals>>();
  private readonly labels: FieldLabels;
  private readonly counts = { events: 0, ungrouped: 0, outsideWindow: 0, late: 0 };
  private readonly options: { readonly groupType: string; readonly from: string; readonly to: string };
  /** Days before this date have been emitted. */
  private closedBefore = '';

  constructor(options: { readonly groupType: string; readonly from: string; readonly to: string }) {
    this.options = options;
    const group = `groups[${JSON.stringify(options.groupType)}]`;
    this.labels = {
      date: 'event_time',
      accountKey: group,
      activeUsers: 'distinct user_id',
      seatsUsed: 'seats',
      event: (feature) => `count of event_type ${JSON.stringify(feature)}`,
      events: 'event_type counts',
    };
  }

  /** Takes one line of the archive; returns a located problem when the line is not a usable event. */
  add(line: ArchiveLine): UsageItem | undefined {
    const location = `${line.file} line ${line.line}`;
    const problem = (message: string, accountKey?: string): UsageItem => ({
      location,
      ok: false,
      message,
      ...(accountKey === undefined ? {} : { accountKey }),
    });
    let event: unknown;
    try {
      event = JSON.parse(line.text);
    } catch {
      return problem(`the line is not a JSON event: ${show(line.text)}`);
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event))
      return problem(`the line is not a JSON event object: ${show(event)}`);
    this.counts.events += 1;
    const record = event as Record<string, unknown>;
    const keys = this.accountKeys(record['groups']);
    if (typeof keys === 'string') return problem(keys);
    if (keys.length === 0) {
      this.counts.ungrouped += 1;
      return undefined;
    }
    const time = record['event_time'];
    const date = typeof time === 'string' ? time.slice(0, 10) : '';
    if (!isIsoDate(date))
      return problem(`event_time ${show(time)} is not a UTC timestamp such as "2026-11-02 05:10:00.000000"`, keys[0]);
    if (date < this.options.from || date > this.options.to) {
      this.counts.outsideWindow += 1;
      return undefined;
    }
    if (date < this.closedBefore) {
      this.counts.late += 1;
      return undefined;
    }
    const type = record['event_type'];
    if (typeof type !== 'string' || type.trim() === '')
      return problem(`event_type ${show(type)} is not an event name`, keys[0]);
    const user = record['user_id'];
    let accounts = this.days.get(date);
    if (!accounts) this.days.set(date, (accounts = new Map()));
    for (const key of keys) {
      let day = accounts.get(key);
      if (!day) accounts.set(key, (day = { users: new Set(), events: new Map(), at: location }));
      day.events.set(type, (day.events.get(type) ?? 0) + 1);
      if (typeof user === 'string' && user !== '') day.users.add(user);
      else if (typeof user === 'number') day.users.add(String(user));
    }
    return undefined;
  }

  /** Emits the days that ended more than CLOSE_AFTER_MS before `uploadHour` (ms), now that the export has reached it. */
  *close(uploadHour: number): Generator<UsageItem> {
    const before = new Date(uploadHour - CLOSE_AFTER_MS).toISOString().slice(0, 10);
    if (before <= this.closedBefore) return;
    this.closedBefore = before;
    yield* this.emit((date) => date < before);
  }

  /** Every day still open, once the whole pull has been read. */
  *rows(): Generator<UsageItem> {
    yield* this.emit(() => true);
  }

  stats(): AggregateStats {
    return { ...this.counts };
  }

  /** The open days that `due` picks, oldest first, validated as usage rows and dropped as they go. */
  private *emit(due: (date: string) => boolean): Generator<UsageItem> {
    const dates = [...this.days.keys()].filter(due).sort();
    for (const date of dates) {
      const accounts = this.days.get(date);
      this.days.delete(date);
      for (const [accountKey, totals] of accounts ?? []) {
        const raw = {
          date,
          accountKey,
          activeUsers: totals.users.size > 0 ? totals.users.size : undefined,
          seatsUsed: undefined,
          events: [...totals.events],
        };
        // The first event's place, kept short: the ingest keeps every row's location while it reads.
        yield parseUsageRow(raw, this.labels, { location: totals.at });
      }
    }
  }

  /** The account keys an event's groups give for the group type, trimmed and lowercased, or a problem. */
  private accountKeys(groups: unknown): string[] | string {
    if (groups === undefined || groups === null) return [];
    if (typeof groups !== 'object' || Array.isArray(groups)) return `groups must be an object, got ${show(groups)}`;
    const value = (groups as Record<string, unknown>)[this.options.groupType];
    const values: readonly unknown[] = Array.isArray(value)
      ? value
      : value === undefined || value === null
        ? []
        : [value];
    const keys: string[] = [];
    for (const item of values) {
      if (typeof item !== 'string' && typeof item !== 'number')
        return `${this.labels.accountKey} must be text or a list of text, got ${show(value)}`;
      const key = String(item).trim().toLowerCase();
      if (key !== '' && !keys.includes(key)) keys.push(key);
    }
    return keys;
  }
}
