import { afterEach, describe, expect, it } from 'vitest';
import { startAmplitudeEmulator, type AmplitudeEmulator } from '../../connectors/usage-amplitude/emulator/index.ts';
import { exitCodeForError } from '../../src/cli/exit-codes.ts';
import { AS_OF } from '../support/companies.ts';
import { startCrmHarness, type CrmHarness, type CrmHarnessSpec } from '../support/harness.ts';
import { hubspotSpec } from '../support/hubspot-harness.ts';
import { salesforceSpec } from '../support/salesforce-harness.ts';
import { isoDaysBefore } from '../support/usage.ts';
import { companyEvents, event } from './events.ts';

/** Both CRM emulators count their write calls the same way. */
interface CrmEmulator {
  readonly requests: { writes(): number };
}

const CRMS: ReadonlyArray<readonly [string, () => CrmHarnessSpec<CrmEmulator>]> = [
  ['HubSpot', () => hubspotSpec()],
  ['Salesforce', () => salesforceSpec()],
];

let harness: CrmHarness<CrmEmulator> | undefined;
let amplitude: AmplitudeEmulator | undefined;
afterEach(async () => {
  await harness?.close();
  await amplitude?.stop();
  harness = undefined;
  amplitude = undefined;
});

/** A CRM harness whose usage comes from the Amplitude emulator, the keys in the environment the config names. */
async function start(
  spec: CrmHarnessSpec<CrmEmulator>,
  options: { readonly secretKey?: string } = {},
): Promise<{ h: CrmHarness<CrmEmulator>; amp: AmplitudeEmulator }> {
  const amp = await startAmplitudeEmulator({ events: companyEvents() });
  amplitude = amp;
  const withKeys: CrmHarnessSpec<CrmEmulator> = {
    ...spec,
    env: (e) => ({
      ...spec.env(e),
      AMPLITUDE_API_KEY: amp.apiKey,
      AMPLITUDE_SECRET_KEY: options.secretKey ?? amp.secretKey,
    }),
  };
  const usage = {
    source: 'amplitude',
    host: amp.url,
    apiKey: { env: 'AMPLITUDE_API_KEY' },
    secretKey: { env: 'AMPLITUDE_SECRET_KEY' },
    groupType: 'company',
    joinOn: 'domain',
  };
  const h = await startCrmHarness(withKeys, { config: { usage } });
  harness = h;
  return { h, amp };
}

describe.each(CRMS)('usage from Amplitude, synced to %s', (_name, spec) => {
  it('first sync reads the history in one export call and scores every account from it', async () => {
    const { h, amp } = await start(spec());
    const report = await h.run();
    expect(report.status).toBe('succeeded');
    // One aggregate pull: the first run's 365 days in one call, from the first hour of the first day.
    expect(amp.requests.log().map((r) => [r.start, r.status])).toEqual([
      [`${isoDaysBefore(AS_OF, 364).replaceAll('-', '')}T00`, 200],
    ]);
    expect(report.writes.account.updated).toBe(5);
    expect(h.emulator.requests.writes()).toBeGreaterThan(0);
    const acme = await h.withStore((s) =>
      s.usageByAccount({ accountKeys: ['acme.example'], from: isoDaysBefore(AS_OF, 59), to: AS_OF }),
    );
    const acmeDays = acme.get('acme.example') ?? [];
    expect(acmeDays).toHaveLength(60);
    expect(acmeDays.at(-1)).toEqual({
      accountKey: 'acme.example',
      date: AS_OF,
      activeUsers: 42,
      events: { report_viewed: 42, export_csv: 14 },
    });
  });

  it('a rerun writes nothing to the CRM; a later run pulls only from the latest stored day less 3 days', async () => {
    const { h, amp } = await start(spec());
    expect((await h.run()).status).toBe('succeeded');
    const writes = h.emulator.requests.writes();
    amp.requests.reset();

    const rerun = await h.run();
    expect(rerun.status).toBe('succeeded');
    expect(h.emulator.requests.writes()).toBe(writes);
    expect(amp.requests.log().map((r) => r.start)).toEqual([`${isoDaysBefore(AS_OF, 3).replaceAll('-', '')}T00`]);

    // The next day's events arrive; the next run reads from the latest stored day less 3 and stores the new day.
    const next = isoDaysBefore(AS_OF, -1);
    amp.addEvents([event({ account: 'acme.example', user: 'new-user', type: 'report_viewed', at: `${next} 08:00` })]);
    amp.requests.reset();
    expect((await h.run('live', { asOf: next })).status).toBe('succeeded');
    expect(amp.requests.log().map((r) => [r.start, r.end])).toEqual([
      [`${isoDaysBefore(AS_OF, 3).replaceAll('-', '')}T00`, `${next.replaceAll('-', '')}T23`],
    ]);
    expect(await h.withStore((s) => s.latestUsageDate())).toBe(next);
  });

  it('a wrong secret key stops the run before any CRM write, as an auth failure (exit 3)', async () => {
    const { h, amp } = await start(spec(), { secretKey: 'wrong-secret' });
    const error = await h.run().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', code: 'amplitude_unauthorized' });
    expect(exitCodeForError(error)).toBe(3);
    expect((error as Error).message).not.toContain('wrong-secret');
    expect(amp.requests.count({ status: 401 })).toBe(1);
    expect(h.emulator.requests.writes()).toBe(0);
  });
});
