import { describe, expect, it } from 'vitest';
import { USAGE_HISTORY_DAYS, USAGE_OVERLAP_DAYS, usageReadWindow } from '../../../src/engine/usage-source.ts';

describe('the days a run asks a usage source for', () => {
  it('a first run reads the history the signals need, up to the as-of date', () => {
    expect(usageReadWindow(undefined, '2026-12-04')).toEqual({ from: '2025-12-05', to: '2026-12-04', firstRun: true });
    expect(USAGE_HISTORY_DAYS).toBe(365);
  });

  it('a later run reads from its latest stored day less the overlap, for rows that arrive late', () => {
    expect(usageReadWindow('2026-12-01', '2026-12-04')).toEqual({
      from: '2026-11-28',
      to: '2026-12-04',
      firstRun: false,
    });
    expect(USAGE_OVERLAP_DAYS).toBe(3);
  });

  it('a backfill with an as-of before the latest stored day reads back from the as-of date', () => {
    expect(usageReadWindow('2026-12-01', '2026-11-10')).toEqual({
      from: '2026-11-07',
      to: '2026-11-10',
      firstRun: false,
    });
  });
});
