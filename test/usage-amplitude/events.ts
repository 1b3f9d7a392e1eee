import type { AmplitudeEvent } from '../../connectors/usage-amplitude/emulator/index.ts';
import { AS_OF } from '../support/companies.ts';
import { isoDaysBefore } from '../support/usage.ts';

/** An exported event in Amplitude's shape: times as "YYYY-MM-DD HH:MM:SS.ffffff", UTC. */
export function event(options: {
  readonly account: string | readonly string[] | undefined;
  readonly user: string | null;
  readonly type: string;
  /** "2026-11-02 10:00" (UTC). */
  readonly at: string;
  /** Upload delay after the event, in minutes (5 by default). */
  readonly uploadedAfterMinutes?: number;
  readonly groupType?: string;
}): AmplitudeEvent {
  const at = Date.parse(`${options.at.replace(' ', 'T')}:00Z`);
  const stamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '000');
  return {
    event_type: options.type,
    event_time: stamp(at),
    server_upload_time: stamp(at + (options.uploadedAfterMinutes ?? 5) * 60_000),
    user_id: options.user,
    uuid: `${options.user ?? 'anon'}-${options.type}-${at}`,
    groups: options.account === undefined ? {} : { [options.groupType ?? 'company']: options.account },
    event_properties: {},
  };
}

/** Daily active users per company, as the CRM tests' usage file has them (activeUsers of defaultUsage). */
const USERS: Readonly<Record<string, (daysAgo: number) => number>> = {
  'acme.example': () => 42,
  'birch.example': () => 28,
  'cobalt.example': (daysAgo) => (daysAgo >= 30 ? 50 : 20),
  'delta.example': () => 18,
  'ember.example': () => 85,
};

/**
 * Sixty days of events up to `asOf` for the five test companies: each active user views a report at 10:00
 * UTC, and every third one exports, so each day has its distinct users and two event counts.
 */
export function companyEvents(asOf = AS_OF, days = 60): AmplitudeEvent[] {
  const events: AmplitudeEvent[] = [];
  for (let i = days - 1; i >= 0; i -= 1) {
    const date = isoDaysBefore(asOf, i);
    for (const [domain, users] of Object.entries(USERS)) {
      for (let u = 0; u < users(i); u += 1) {
        const user = `${domain}-user-${u}`;
        events.push(event({ account: domain, user, type: 'report_viewed', at: `${date} 10:00` }));
        if (u % 3 === 0) events.push(event({ account: domain, user, type: 'export_csv', at: `${date} 10:30` }));
      }
    }
  }
  return events;
}
