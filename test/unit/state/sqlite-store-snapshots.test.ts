import { describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs.ts';

const { openStore } = useTempDirs();

const snapshot = (accountId: string, score: string | null) => ({
  accountId,
  account: { system: 'salesforce', id: accountId, name: `Account ${accountId}` },
  current: { Expansion_Score__c: score },
});

describe('account snapshots', () => {
  it('adds and replaces accounts one by one, per sync', async () => {
    const store = await openStore();
    await store.putAccountSnapshots('sf', [snapshot('001A', null), snapshot('001B', '40')]);
    await store.putAccountSnapshots('sf', [snapshot('001B', '55')]);
    await store.putAccountSnapshots('other', [snapshot('001Z', '1')]);
    expect(await store.listAccountSnapshots('sf')).toEqual([snapshot('001A', null), snapshot('001B', '55')]);
  });

  it('a replacing write (a full read) drops accounts it does not name, in that sync only', async () => {
    const store = await openStore();
    await store.putAccountSnapshots('sf', [snapshot('001A', '1'), snapshot('001B', '2')]);
    await store.putAccountSnapshots('other', [snapshot('001Z', '9')]);
    await store.putAccountSnapshots('sf', [snapshot('001B', '3')], { replace: true });
    expect(await store.listAccountSnapshots('sf')).toEqual([snapshot('001B', '3')]);
    expect(await store.listAccountSnapshots('other')).toHaveLength(1);
  });
});
