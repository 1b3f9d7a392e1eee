import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, defaultUsage } from '../support/hubspot-harness.ts';
import { toCsv } from '../support/usage.ts';
import { cli } from '../support/cli.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('bad input gets a clear, located message and loses nothing else', () => {
  it('an invalid config exits 2 naming the file, the JSON path and the fix', async () => {
    harness = await startHarness();
    const bad = path.join(harness.dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify(
        {
          name: 'Bad Name',
          crm: { hubspot: { token: 'pat-literal-secret', pipelin: 'x' } },
          usage: { source: 'file', path: 'usage.csv' },
        },
        null,
        2,
      ),
    );
    const result = await cli(['sync', '--config', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(bad);
    expect(result.stderr).toMatch(/crm\.hubspot\.token/);
    expect(result.stderr).toMatch(/environment variable/);
    expect(result.stderr).toMatch(/crm\.hubspot(\.pipelin)?/);
    expect(result.stderr).toMatch(/fix:/);
    expect(result.stderr).not.toContain('pat-literal-secret');
  });

  it('a missing usage file fails the run with its path, and writes nothing', async () => {
    harness = await startHarness({ config: { usage: { source: 'file', path: 'nope.csv' } } });
    await expect(harness.run()).rejects.toThrow(/nope\.csv/);
    expect(harness.emulator.listObjects('deals')).toHaveLength(0);
    const result = await cli(['sync', '--config', harness.configPath], { HUBSPOT_TOKEN: harness.emulator.token });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('nope.csv');
  });

  it('a garbled usage file is refused with a message that says what is wrong', async () => {
    harness = await startHarness();
    await writeFile(path.join(harness.dir, 'usage.csv'), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x42, 0x0a, 0x00]));
    await expect(harness.run()).rejects.toThrow(/usage\.csv/);
  });

  it('rows for unknown accounts and impossible numbers are reported by line; every other account is synced', async () => {
    const usage = defaultUsage();
    const csv = toCsv(usage).trimEnd().split('\n');
    csv.push('2026-11-20,ghost.example,5,5,1'); // line after the valid rows: an account the CRM lacks
    csv.push('2026-11-20,acme.example,-4,44,1'); // impossible: negative active users
    csv.push('2026-13-40,birch.example,3,3,1'); // impossible date
    harness = await startHarness();
    await writeFile(path.join(harness.dir, 'usage.csv'), `${csv.join('\n')}\n`);
    const report = await harness.run();
    const ghostLine = csv.length - 2; // 1-based line numbers: header is line 1
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          where: expect.stringMatching(new RegExp(`usage\\.csv:${ghostLine}$`)),
          message: expect.stringContaining('ghost.example'),
        }),
        expect.objectContaining({
          where: expect.stringMatching(new RegExp(`usage\\.csv:${ghostLine + 1}$`)),
          message: expect.stringMatching(/active_users/),
        }),
        expect.objectContaining({
          where: expect.stringMatching(new RegExp(`usage\\.csv:${ghostLine + 2}$`)),
          message: expect.stringMatching(/date/),
        }),
      ]),
    );
    expect(report.read.unknownUsageAccounts).toBe(1);
    expect(report.read.usageProblems).toBe(2);
    expect(report.status).toBe('succeeded');
    expect(report.writes.account.updated).toBe(5);
    expect(report.writes.opportunity.created).toBe(2);
  });

  it('a company whose mapped values do not parse is reported by record id and the rest are scored', async () => {
    harness = await startHarness();
    harness.emulator.updateProperties('companies', harness.companyId('birch.example'), { licensed_seats: 'forty' });
    const report = await harness.run();
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          where: `hubspot companies ${harness.companyId('birch.example')}`,
          message: expect.stringContaining('licensed_seats'),
        }),
      ]),
    );
    expect(report.writes.account.updated).toBe(5);
  });
});
