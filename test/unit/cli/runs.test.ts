import { describe, expect, it } from 'vitest';
import {
  duration,
  readSummary,
  renderRunDiff,
  renderRunList,
  renderRunShow,
  runRow,
} from '../../../src/cli/render-runs.ts';
import { retryTargets } from '../../../src/engine/rerun-failed.ts';
import type { FailedWrite, RunRecord } from '../../../src/state/store.ts';

const base = { id: 'run-1', sync: 'acme', mode: 'live', startedAt: '2026-11-20T12:00:00.000Z' } as const;
const failedRun: RunRecord = {
  ...base,
  status: 'failed',
  finishedAt: '2026-11-20T12:00:04.500Z',
  summary: {
    message: 'HubSpot refused the token',
    code: 'hubspot_auth',
    apiCalls: { total: 2, calls: {}, retries: 0, rateLimited: 1 },
  },
};
const running: RunRecord = { ...base, id: 'run-2', status: 'running' };

const queued = (recordKey: string, runId: string, attempts = 1): FailedWrite => ({
  system: 'hubspot',
  objectType: 'companies',
  recordKey,
  runId,
  code: 'hubspot_validation_error',
  message: 'bad',
  retryable: false,
  at: '2026-11-21T00:00:00Z',
  attempts,
  firstFailedAt: '2026-11-20T12:00:01Z',
});

describe('runs rendering of stored summaries', () => {
  it('reads a run that failed outright, and one still running, without a report', () => {
    expect(readSummary(failedRun)).toMatchObject({
      kind: 'failed',
      message: 'HubSpot refused the token',
      code: 'hubspot_auth',
    });
    expect(readSummary(running)).toEqual({ kind: 'none' });
    expect(readSummary({ ...running, summary: ['not', 'a', 'report'] })).toEqual({ kind: 'none' });
    expect(runRow(failedRun)).toMatchObject({ durationMs: 4500, apiCalls: 2, rateLimited: 1 });
    expect(runRow(running)).not.toHaveProperty('durationMs');
  });

  it('lists rows as plain text off a terminal, dashes for what a run did not record', () => {
    const text = renderRunList([runRow(running), runRow(failedRun)], false);
    expect(text.split('\n')[2]).toMatch(/^run-2\s+live\s+running\s+2026-11-20 12:00:00\s+-\s+-\s+-\s+-\s+-\s+-\s+-$/);
    expect(text).toContain('4.5 s');
    expect(text).not.toContain('\u001b[');
    expect(renderRunList([], false)).toContain('No runs recorded yet');
  });

  it('shows the failure message of a failed run and explains a run left running', () => {
    const summary = readSummary(failedRun);
    expect(renderRunShow({ record: failedRun, summary, failures: [], maxRetries: 5, currency: 'USD' })).toContain(
      'status      failed: HubSpot refused the token [hubspot_auth]',
    );
    expect(
      renderRunShow({ record: running, summary: readSummary(running), failures: [], maxRetries: 5, currency: 'USD' }),
    ).toContain('a run that crashed before it finished stays "running"');
    expect(renderRunDiff(failedRun, summary, 20)).toBe(
      'Run run-1 (live) has no report to diff: it ended failed: HubSpot refused the token.',
    );
  });

  it('marks a record past the retry cap, and one that failed again in a later run', () => {
    const failures = [
      {
        object: 'companies',
        recordKey: 'c1',
        accountName: 'Acme',
        code: 'x',
        message: 'first',
        queued: { ...queued('c1', 'run-9', 5), message: 'later' },
      },
    ];
    const text = renderRunShow({
      record: failedRun,
      summary: readSummary(failedRun),
      failures,
      maxRetries: 5,
      currency: 'USD',
    });
    expect(text).toContain('companies c1 (Acme): x: first');
    expect(text).toContain(
      '5 failed attempts since 2026-11-20 12:00:01 UTC; failed again in run run-9: hubspot_validation_error: later',
    );
    expect(text).toContain('retry cap (writeBack.maxRetries 5) reached');
  });

  it('formats durations from seconds to hours', () => {
    expect([duration(1234), duration(65_000), duration(3_726_000)]).toEqual(['1.2 s', '1m 05s', '1h 02m']);
  });
});

describe('retry targets', () => {
  it("retries the run's failures still queued, and reports those a later run settled", () => {
    const failures = [
      { object: 'companies', recordKey: 'c1', accountName: 'A', code: 'x', message: 'm' },
      { object: 'companies', recordKey: 'c2', accountName: 'B', code: 'x', message: 'm' },
    ];
    const { queued: targets, settled } = retryTargets('run-1', failures, [
      queued('c1', 'run-3'),
      queued('c3', 'run-1'),
      queued('c4', 'run-7'),
    ]);
    expect(targets.map((q) => q.recordKey)).toEqual(['c1', 'c3']);
    expect(settled.map((f) => f.recordKey)).toEqual(['c2']);
  });
});
