import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { cli } from '../support/cli.ts';
import { AS_OF, startHarness, type Harness } from '../support/hubspot-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('expansion-sync state rebuild', () => {
  it('rebuilds a deleted store from the portal with no HubSpot write, and the next sync writes nothing', async () => {
    h = await startHarness();
    const env = { HUBSPOT_TOKEN: h.emulator.token };
    const first = await cli(['sync', '--config', h.configPath, '--as-of', AS_OF, '--json'], env);
    expect(first.status).toBe(EXIT.ok);
    const notes = h.emulator.listObjects('notes').length;
    const deals = h.emulator.listObjects('deals').length;
    for (const file of ['state.db', 'state.db-wal', 'state.db-shm']) await rm(path.join(h.dir, file), { force: true });

    h.emulator.requests.reset();
    const rebuilt = await cli(['state', 'rebuild', '--config', h.configPath, '--as-of', AS_OF], env);
    expect(rebuilt.status).toBe(EXIT.ok);
    expect(h.emulator.requests.writes()).toBe(0);
    expect(rebuilt.stdout).toContain(`${deals} deals carrying our key recorded as ours`);
    expect(rebuilt.stdout).toContain(`${notes} notes found by their reference`);
    expect(rebuilt.stdout).toMatch(
      /A live run now would make 0 account updates, 0 new and 0 updated deals, and 0 notes/,
    );

    const next = await cli(['sync', '--config', h.configPath, '--as-of', AS_OF, '--json'], env);
    expect(next.status).toBe(EXIT.ok);
    expect(h.emulator.requests.writes()).toBe(0);
    expect(h.emulator.listObjects('notes')).toHaveLength(notes);
  });
});
