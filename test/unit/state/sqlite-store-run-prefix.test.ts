import { describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs.ts';

const { openStore } = useTempDirs();

describe('runs by id prefix', () => {
  it('finds runs whose id starts with the prefix, newest first, up to the limit, with no wildcards', async () => {
    const store = await openStore();
    const runs = [
      ['ab12-1', '2025-03-01T06:00:00.000Z'],
      ['ab12-2', '2025-03-03T06:00:00.000Z'],
      ['ab99-3', '2025-03-02T06:00:00.000Z'],
      ['a_c%-4', '2025-03-04T06:00:00.000Z'],
    ] as const;
    for (const [id, startedAt] of runs) await store.startRun({ id, sync: 'acme', mode: 'live', startedAt });
    const ids = async (prefix: string, limit = 10): Promise<string[]> =>
      (await store.findRunsByIdPrefix(prefix, limit)).map((r) => r.id);
    expect(await ids('ab12')).toEqual(['ab12-2', 'ab12-1']);
    expect(await ids('ab')).toEqual(['ab12-2', 'ab99-3', 'ab12-1']);
    expect(await ids('ab', 2)).toEqual(['ab12-2', 'ab99-3']);
    expect(await ids('ab99-3')).toEqual(['ab99-3']);
    expect(await ids('a_')).toEqual(['a_c%-4']);
    expect(await ids('a%')).toEqual([]);
    expect(await ids('zz')).toEqual([]);
  });
});
