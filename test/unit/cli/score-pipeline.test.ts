import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/cli/csv.ts';
import { buildPipeline, type PipelineRow, type Totals } from '../../../src/cli/pipeline-model.ts';
import { renderPipeline } from '../../../src/cli/render-pipeline.ts';
import { parseStored, type ParsedAssessment } from '../../../src/cli/stored-assessments.ts';
import { EXIT } from '../../../src/cli/exit-codes.ts';
import { cli } from '../../support/cli.ts';
import { storeIn } from '../../support/store.ts';
import { BETA, RED, ROWS, stored } from './pipeline-fixtures.ts';

let dir = '';
let config = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-pipeline-'));
  config = path.join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ name: 'acme', dataDir: 'state', crm: { hubspot: { token: { env: 'ES_TEST_UNSET_TOKEN' } } }, usage: { source: 'file', path: 'usage.csv' } }));
  await storeIn(path.join(dir, 'state'))(async (store) => {
    await store.saveAssessments('run-1', ROWS);
    await store.saveAssessments('run-sf', [{ ...stored('A1', 'Salesforce Twin', 'owner-9', BETA), system: 'salesforce' }]);
  });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface PipelineJson {
  readonly opportunities: readonly PipelineRow[];
  readonly totals: { readonly byMotion: Record<string, Totals>; readonly byTier: Record<string, Totals>; readonly byOwner: Record<string, Totals>; readonly all: Totals };
  readonly stabilise: readonly { readonly accountId: string; readonly reason: string }[];
}

function sumOf(rows: readonly PipelineRow[]): Totals {
  return { count: rows.length, arrPotential: rows.reduce((s, r) => s + r.arrPotential, 0), expectedValue: rows.reduce((s, r) => s + r.expectedValue, 0) };
}

describe('expansion-sync pipeline', () => {
  it('--json ranks by priority, keeps red and on-hold accounts out, and totals equal the sums of the rows', async () => {
    const result = await cli(['pipeline', '--config', config, '--json']);
    expect(result.status).toBe(EXIT.ok);
    expect(result.stderr).toMatch(/skipped: .*account F6/);
    const out = JSON.parse(result.stdout) as PipelineJson;
    expect(out.opportunities.map((o) => `${o.accountId}:${o.motion}`)).toEqual(['A1:seat_add', 'B2:tier_upgrade', 'A1:module_cross_sell', 'E5:seat_add']);
    expect(out.opportunities.map((o) => o.rank)).toEqual([1, 2, 3, 4]);
    expect(out.opportunities.some((o) => o.accountId === 'C3' || o.accountId === 'D4' || o.accountName === 'Salesforce Twin')).toBe(false);
    expect(out.opportunities[2]).toMatchObject({ queued: true, tier: 'P2', module: 'analytics' });
    const rows = out.opportunities;
    for (const motion of ['seat_add', 'tier_upgrade', 'module_cross_sell']) expect(out.totals.byMotion[motion]).toEqual(sumOf(rows.filter((r) => r.motion === motion)));
    for (const tier of ['P1', 'P2']) expect(out.totals.byTier[tier]).toEqual(sumOf(rows.filter((r) => r.tier === tier)));
    expect(out.totals.byTier['unprioritised']).toEqual(sumOf(rows.filter((r) => r.tier === undefined)));
    expect(out.totals.byOwner['owner-1']).toEqual(sumOf(rows.filter((r) => r.ownerId === 'owner-1')));
    expect(out.totals.byOwner['owner-2']).toEqual(sumOf(rows.filter((r) => r.ownerId === 'owner-2')));
    expect(out.totals.all).toEqual({ count: 4, arrPotential: 53_000, expectedValue: 10_000 + 4_500 + 3_000 + 4_000 });
    expect(out.stabilise.map((s) => s.accountId)).toEqual(['C3', 'D4']);
    expect(out.stabilise.find((s) => s.accountId === 'C3')?.reason).toMatch(/^Red: usage fell 41%/);
    expect(out.stabilise.find((s) => s.accountId === 'D4')?.reason).toMatch(/^Hold: renewal/);
  });

  it('prints plain aligned tables off a terminal, with money as $12,345 and a Stabilise first list', async () => {
    const result = await cli(['pipeline', '--config', config]);
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).not.toMatch(/[┌│─]/);
    const lines = result.stdout.split('\n');
    const first = lines.findIndex((l) => /^\s*1\s+Acme/.test(l));
    expect(first).toBeGreaterThan(0);
    expect(lines[first]).toContain('$20,000');
    expect(lines[first + 1]).toMatch(/^\s*2\s+Beta Labs\s+owner-2\s+tier upgrade -> enterprise/);
    expect(result.stdout).toMatch(/queued/);
    expect(result.stdout).toMatch(/Total: 4 opportunities, \$53,000 potential ARR, \$21,500 expected/);
    const stabilise = result.stdout.slice(result.stdout.indexOf('Stabilise first'));
    expect(stabilise).toMatch(/Gamma Red\s+owner-1\s+red\s+hold/);
    expect(result.stdout.slice(0, result.stdout.indexOf('Stabilise first'))).not.toContain('Gamma Red');
  });

  it('--csv parses back: a header and one record per row, the name with a comma and quotes intact; --limit cuts rows', async () => {
    const result = await cli(['pipeline', '--config', config, '--csv', '--limit', '3']);
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain('"Acme, Inc. ""North"""');
    const records = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ rank: '1', account_id: 'A1', account_name: 'Acme, Inc. "North"', owner_id: 'owner-1', motion: 'seat_add', tier: 'P1', arr_potential: '20000', queued: 'false' });
    expect(records[2]).toMatchObject({ account_id: 'A1', module: 'analytics', queued: 'true' });
  });

  it('rejects --json with --csv', async () => {
    const result = await cli(['pipeline', '--config', config, '--json', '--csv']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/cannot be used with/);
  });
});

describe('expansion-sync score', () => {
  it('prints the one-line summary without --explain', async () => {
    const result = await cli(['score', '--config', config, '--account', 'A1']);
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(/score 82, health green, timing now; top opportunity: seat add, \$20,000 potential ARR \(50%, \$10,000 expected, now\)/);
  });

  it('--explain shows signals with their evidence values, the missing inputs, the opportunities and the drafts', async () => {
    const result = await cli(['score', '--config', config, '--account', 'A1', '--explain']);
    expect(result.status).toBe(EXIT.ok);
    const out = result.stdout;
    expect(out).toMatch(/seat_pressure \(expansion, strength 0\.90\): 97% of seats are in use/);
    expect(out).toContain('seat_utilization = 97% (window: last 30 days; comparison: threshold 85%; source: usage)');
    expect(out).toContain('seats_active = 194 seats');
    expect(out).toMatch(/Not evaluated: nps, csat/);
    expect(out).toMatch(/1\. seat add \(\+20 seats\), timing now\n\s+potential \$20,000 ARR \(range \$16,000–\$25,000\), probability 50%, expected value \$10,000/);
    expect(out).toMatch(/priority P2, rank 3 in the portfolio, queued/);
    expect(out).toContain('peers that own it: P9, P8');
    expect(out).toContain('seat_add talking points');
    expect(out).toContain('QBR agenda: QBR: growing into the next tier');
    expect(out).toContain('Outreach email: Your team is at 97% of seats');
    expect(out.indexOf('1. seat add')).toBeLessThan(out.indexOf('2. module cross sell: analytics'));
  });

  it('--json prints the stored assessment', async () => {
    const result = await cli(['score', '--config', config, '--account', 'C3', '--json']);
    expect(result.status).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toEqual(RED);
  });

  it('an unknown account exits non-zero, naming the id and the store', async () => {
    const result = await cli(['score', '--config', config, '--account', 'NOPE-42']);
    expect(result.status).toBe(EXIT.failed);
    expect(result.stderr).toContain('NOPE-42');
    expect(result.stderr).toContain(path.join(dir, 'state', 'state.db'));
    expect(result.stdout).toBe('');
  });
});

describe('pipeline rendering and CSV', () => {
  const parsed = ROWS.map(parseStored).flatMap((r): ParsedAssessment[] => (r.ok ? [r.value] : []));
  const pipeline = buildPipeline(parsed, { now: 1, '30d': 0.6, '90d': 0.3 });

  it('draws cli-table3 tables on a terminal', () => {
    const out = renderPipeline(pipeline, { tty: true });
    expect(out).toMatch(/┌/);
    expect(out).toMatch(/│ Acme, Inc\. "North"/);
  });

  it('quotes fields holding commas, quotes and line breaks, and ends records with CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x\r\ny']])).toBe('a,b\r\n1,"x\r\ny"\r\n');
  });
});
