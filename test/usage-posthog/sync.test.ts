import { afterEach, describe, expect, it } from 'vitest';
import {
  seedFromUsage,
  startPosthogEmulator,
  type PosthogEmulator,
} from '../../connectors/usage-posthog/emulator/index.ts';
import { exitCodeForError } from '../../src/cli/exit-codes.ts';
import { SyncError } from '../../src/errors.ts';
import { AS_OF, defaultUsage } from '../support/companies.ts';
import { startCrmHarness, type CrmHarness, type CrmHarnessSpec } from '../support/harness.ts';
import { hubspotSpec } from '../support/hubspot-harness.ts';
import { rejectionOf } from '../support/rejection.ts';
import { salesforceSpec } from '../support/salesforce-harness.ts';
import { isoDaysBefore, usageSeries } from '../support/usage.ts';

/**
 * `usage.source: "posthog"` end to end on both CRM emulators: the run pulls usage from the PostHog query API
 * emulator in one aggregate query per run, for the run's window only, and a failing source stops the run
 * before any CRM write.
 */

interface Crm {
  readonly name: string;
  spec(): CrmHarnessSpec<{ readonly requests: { writes(): number } }>;
}

const CRMS: readonly Crm[] = [
  { name: 'HubSpot', spec: () => hubspotSpec() },
  { name: 'Salesforce', spec: () => salesforceSpec() },
];

const KEY = 'phx_emulator';
const DOMAINS = ['acme.example', 'birch.example', 'cobalt.example', 'delta.example', 'ember.example'];

let posthog: PosthogEmulator | undefined;
let harness: CrmHarness<{ readonly requests: { writes(): number } }> | undefined;
afterEach(async () => {
  await harness?.close();
  await posthog?.stop();
  harness = undefined;
  posthog = undefined;
});

async function start(crm: Crm, options: { readonly apiKey?: string } = {}) {
  posthog = await startPosthogEmulator({ apiKeys: [KEY], groupIndex: 1, days: seedFromUsage(defaultUsage()) });
  const base = crm.spec();
  const spec = {
    ...base,
    env: (e: Parameters<typeof base.env>[0]) => ({ ...base.env(e), POSTHOG_API_KEY: options.apiKey ?? KEY }),
  };
  harness = await startCrmHarness(spec, {
    config: {
      usage: {
        source: 'posthog',
        host: posthog.url,
        projectId: posthog.projectId,
        apiKey: { env: 'POSTHOG_API_KEY' },
        groupIndex: 1,
        events: ['reports'],
        joinOn: 'domain',
      },
    },
  });
  return { posthog, harness };
}

const dayAfter = (date: string, days: number) => isoDaysBefore(date, -days);

describe.each(CRMS)('PostHog usage source on $name', (crm) => {
  it('first sync reads the history in one query and writes to the CRM; a rerun reads the overlap and writes nothing', async () => {
    const { posthog: ph, harness: h } = await start(crm);
    const first = await h.run();
    expect(first.status).toBe('succeeded');
    expect(first.usage).toEqual({ inserted: 300, updated: 0, unchanged: 0 });
    expect(ph.queries()).toEqual([
      {
        groupIndex: 1,
        activeUsersFrom: 'person',
        events: ['reports'],
        from: isoDaysBefore(AS_OF, 364),
        toExclusive: dayAfter(AS_OF, 1),
        after: undefined,
        limit: 10_000,
      },
    ]);
    const acme = await h.withStore((store) =>
      store.usageByAccount({ accountKeys: ['acme.example'], from: AS_OF, to: AS_OF }),
    );
    expect(acme.get('acme.example')).toEqual([
      { accountKey: 'acme.example', date: AS_OF, activeUsers: 42, events: { reports: 126 } },
    ]);
    const written = h.emulator.requests.writes();
    expect(written).toBeGreaterThan(0);

    const rerun = await h.run();
    expect(rerun.status).toBe('succeeded');
    expect(h.emulator.requests.writes()).toBe(written);
    expect(rerun.usage).toEqual({ inserted: 0, updated: 0, unchanged: 20 });
    expect(ph.queries()).toHaveLength(2);
    expect(ph.queries()[1]).toMatchObject({ from: isoDaysBefore(AS_OF, 3), toExclusive: dayAfter(AS_OF, 1) });
  });

  it('an incremental run asks PostHog only for the days from the latest stored day less three', async () => {
    const { posthog: ph, harness: h } = await start(crm);
    await h.run();
    const later = dayAfter(AS_OF, 2);
    const more = DOMAINS.flatMap((key) =>
      usageSeries({ key, asOf: later, days: 2, shape: () => ({ activeUsers: 30, seatsUsed: 30 }) }),
    );
    ph.seed(seedFromUsage([...defaultUsage(), ...more]));
    const report = await h.run('live', { asOf: later });
    expect(report.status).toBe('succeeded');
    expect(ph.queries()).toHaveLength(2);
    expect(ph.queries()[1]).toMatchObject({ from: isoDaysBefore(AS_OF, 3), toExclusive: dayAfter(later, 1) });
    expect(report.usage).toEqual({ inserted: 10, updated: 0, unchanged: 20 });
    expect(await h.withStore((store) => store.latestUsageDate())).toBe(later);
  });

  it('a wrong API key stops the run as an auth failure (exit 3) before any CRM write', async () => {
    const { posthog: ph, harness: h } = await start(crm, { apiKey: 'phx_revoked' });
    const error = await rejectionOf<SyncError>(h.run());
    expect(error).toBeInstanceOf(SyncError);
    expect(error.kind).toBe('auth');
    expect(exitCodeForError(error)).toBe(3);
    expect(error.message).toMatch(/PostHog did not accept the API key/);
    expect(error.message).not.toContain('phx_revoked');
    expect(h.emulator.requests.writes()).toBe(0);
    expect(ph.requests.count({ status: 401 })).toBe(1);
  });

  it('a query PostHog rejects (400) stops the run as a config error (exit 2) before any CRM write', async () => {
    const { posthog: ph, harness: h } = await start(crm);
    ph.faults.add({ sequence: [400] });
    const error = await rejectionOf<SyncError>(h.run());
    expect(error.kind).toBe('config');
    expect(exitCodeForError(error)).toBe(2);
    expect(error.message).toMatch(/PostHog rejected the usage query/);
    expect(h.emulator.requests.writes()).toBe(0);
  });
});
