import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/cli/csv.ts';
import { buildPipeline, type PipelineRow, type Totals } from '../../../src/cli/pipeline-model.ts';
import { renderPipeline } from '../../../src/cli/render-pipeline.ts';
import { parseStored, type ParsedAssessment } from '../../../src/cli/stored-assessments.ts';
import { EXIT } from '../../../src/cli/exit-codes.ts';
import { pipelineCommand, type PipelineCommandOptions } from '../../../src/cli/commands/pipeline.ts';
import { scoreCommand, type ScoreCommandOptions } from '../../../src/cli/commands/score.ts';
import { runCommand } from './in-process.ts';
import { storeIn } from '../../support/store.ts';
import { BETA, RED, ROWS, stored } from './pipeline-fixtures.ts';

let dir = '';
let config = '';
let eurConfig = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'expansion-sync-pipeline-'));
  config = path.join(dir, 'config.json');
  eurConfig = path.join(dir, 'config-eur.json');
  const base = {
    name: 'acme',
    dataDir: 'state',
    crm: { hubspot: { token: { env: 'ES_TEST_UNSET_TOKEN' } } },
    usage: { source: 'file', path: 'usage.csv' },
  };
  await writeFile(config, JSON.stringify(base));
  await writeFile(eurConfig, JSON.stringify({ ...base, scoring: { pricing: { currency: 'EUR' } } }));
  await storeIn(path.join(dir, 'state'))(async (store) => {
    addOwnerNameColumn(path.join(dir, 'state', 'state.db'));
    await store.saveAssessments('run-1', ROWS);
    await store.saveAssessments('run-sf', [
      { ...stored('A1', 'Salesforce Twin', 'owner-9', BETA), system: 'salesforce' },
    ]);
  });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * The store keeps owner names only where a migration has added assessments.owner_name; these tests need
 * them stored, so they add the column as that migration does (nothing to do once the column exists).
 */
function addOwnerNameColumn(file: string): void {
  const db = new DatabaseSync(file);
  try {
    const columns = db
      .prepare(`SELECT name FROM pragma_table_info('assessments')`)
      .all()
      .map((row) => row['name']);
    if (!columns.includes('owner_name')) db.exec('ALTER TABLE assessments ADD COLUMN owner_name TEXT');
  } finally {
    db.close();
  }
}

interface PipelineJson {
  readonly currency: string;
  readonly opportunities: readonly PipelineRow[];
  readonly totals: {
    readonly byMotion: Record<string, Totals>;
    readonly byTier: Record<string, Totals>;
    readonly byOwner: Record<string, Totals>;
    readonly pitched: Totals;
    readonly withheld: Totals;
    readonly byWithheld: Record<string, Totals>;
    readonly all: Totals;
  };
  readonly stabilize: readonly { readonly accountId: string; readonly reason: string }[];
}

// The commands run in this process: the flag parsing they skip is covered by cli-process.e2e.test.ts.
const runPipeline = (options: PipelineCommandOptions) => runCommand(() => pipelineCommand(options));
const runScore = (options: ScoreCommandOptions) => runCommand(() => scoreCommand(options));

function sumOf(rows: readonly PipelineRow[]): Totals {
  return {
    count: rows.length,
    arrPotential: rows.reduce((s, r) => s + r.arrPotential, 0),
    expectedValue: rows.reduce((s, r) => s + r.expectedValue, 0),
  };
}

describe('expansion-sync pipeline', () => {
  it('--json ranks by priority, pitched before withheld, keeps red accounts out, and totals equal the sums of the rows', async () => {
    const result = await runPipeline({ config, json: true });
    expect(result.status).toBe(EXIT.ok);
    expect(result.stderr).toMatch(/skipped: .*account F6/);
    const out = JSON.parse(result.stdout) as PipelineJson;
    expect(out.currency).toBe('USD');
    expect(out.opportunities.map((o) => `${o.accountId}:${o.motion}:${o.withheld ?? 'pitched'}`)).toEqual([
      'A1:seat_add:pitched',
      'B2:tier_upgrade:pitched',
      'A1:module_cross_sell:pitched',
      'E5:seat_add:pitched',
      'D4:tier_upgrade:renewal_evaluation',
      'G7:seat_add:ramping',
      'A1:module_cross_sell:watch',
    ]);
    expect(out.opportunities.map((o) => o.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(out.opportunities.some((o) => o.accountId === 'C3' || o.accountName === 'Salesforce Twin')).toBe(false);
    expect(out.opportunities[2]).toMatchObject({ queued: true, tier: 'P2', module: 'analytics' });
    expect(out.opportunities[0]).toMatchObject({ owner: 'Dana Whitfield', ownerId: 'owner-1' });
    expect(out.opportunities[1]).toMatchObject({ owner: 'owner-2', ownerId: 'owner-2' });
    expect(out.opportunities[3]).toMatchObject({ owner: 'unassigned' });
    const rows = out.opportunities;
    const pitched = rows.filter((r) => r.withheld === undefined);
    for (const motion of ['seat_add', 'tier_upgrade', 'module_cross_sell'])
      expect(out.totals.byMotion[motion]).toEqual(sumOf(pitched.filter((r) => r.motion === motion)));
    for (const tier of ['P1', 'P2'])
      expect(out.totals.byTier[tier]).toEqual(sumOf(pitched.filter((r) => r.tier === tier)));
    expect(out.totals.byTier['unprioritized']).toEqual(sumOf(pitched.filter((r) => r.tier === undefined)));
    expect(Object.keys(out.totals.byOwner)).toEqual(['Dana Whitfield', 'owner-2', 'unassigned']);
    expect(out.totals.byOwner['Dana Whitfield']).toEqual(sumOf(pitched.filter((r) => r.ownerId === 'owner-1')));
    expect(out.totals.pitched).toEqual({
      count: 4,
      arrPotential: 53_000,
      expectedValue: 10_000 + 4_500 + 3_000 + 4_000,
    });
    expect(out.totals.withheld).toEqual(sumOf(rows.filter((r) => r.withheld !== undefined)));
    expect(out.totals.byWithheld['ramping']).toEqual(sumOf(rows.filter((r) => r.withheld === 'ramping')));
    expect(out.totals.all).toEqual(sumOf(rows));
    expect(out.stabilize.map((s) => s.accountId)).toEqual(['C3']);
    expect(out.stabilize[0]?.reason).toMatch(/^Red: usage fell 41%/);
  });

  it('prints plain aligned tables off a terminal: owners by name, money as $12,345, a Status column, a Stabilize first list', async () => {
    const result = await runPipeline({ config });
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).not.toMatch(/[┌│─]/);
    const lines = result.stdout.split('\n');
    const first = lines.findIndex((l) => /^\s*1\s+Acme/.test(l));
    expect(first).toBeGreaterThan(0);
    expect(lines[first]).toMatch(/Acme, Inc\. "North"\s+Dana Whitfield\s+seat add/);
    expect(lines[first]).toContain('$20,000');
    expect(lines[first + 1]).toMatch(/^\s*2\s+Beta Labs\s+owner-2\s+tier upgrade -> enterprise/);
    expect(lines[first + 2]).toMatch(/queued$/);
    expect(lines[first + 4]).toMatch(/^\s*5\s+Delta Renewing\s+owner-2\s.*renewal: held for the renewal conversation$/);
    expect(lines[first + 5]).toMatch(/^\s*6\s+Golf Ramping\s+Lee Park\s.*ramping/);
    expect(result.stdout).not.toContain('owner-1');
    expect(result.stdout).toMatch(/Total pitched: 4 opportunities, \$53,000 potential ARR, \$21,500 expected\./);
    expect(result.stdout).toMatch(
      /Total withheld: 3 opportunities, \$25,000 potential ARR, \$7,400 expected \(not in the pitched total\)/,
    );
    const stabilize = result.stdout.slice(result.stdout.indexOf('Stabilize first'));
    expect(stabilize).toMatch(/Gamma Red\s+Dana Whitfield\s+red\s+hold/);
    expect(result.stdout.slice(0, result.stdout.indexOf('Stabilize first'))).not.toContain('Gamma Red');
  });

  it('prints money in the configured currency: EUR as €, never $', async () => {
    const result = await runPipeline({ config: eurConfig });
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/Total pitched: 4 opportunities, €53,000 potential ARR, €21,500 expected\./);
    expect(result.stdout).not.toContain('$');
  });

  it('--csv parses back: one record per row, owners by name, the name with a comma and quotes intact; --limit cuts rows', async () => {
    const result = await runPipeline({ config, csv: true, limit: 3 });
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout).toContain('"Acme, Inc. ""North"""');
    const records = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      rank: '1',
      account_id: 'A1',
      account_name: 'Acme, Inc. "North"',
      owner: 'Dana Whitfield',
      owner_id: 'owner-1',
      motion: 'seat_add',
      tier: 'P1',
      arr_potential: '20000',
      queued: 'false',
      withheld: '',
    });
    expect(records[2]).toMatchObject({ account_id: 'A1', module: 'analytics', queued: 'true' });
    const all = parse((await runPipeline({ config, csv: true })).stdout, { columns: true }) as Record<string, string>[];
    expect(all.filter((r) => r['withheld'] !== '').map((r) => `${r['account_id']}:${r['withheld']}`)).toEqual([
      'D4:renewal_evaluation',
      'G7:ramping',
      'A1:watch',
    ]);
  });
});

describe('expansion-sync score', () => {
  it('prints the one-line summary without --explain, counting what is withheld apart', async () => {
    const result = await runScore({ config, account: 'A1' });
    expect(result.status).toBe(EXIT.ok);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toMatch(
      /score 82, health green, timing now; top opportunity: seat add, \$20,000 potential ARR \(50%, \$10,000 expected, now\) \(\+1 more\); 1 opportunity withheld \(watch/,
    );
  });

  it('--explain shows the owner by name, signals with their evidence values, the missing inputs, the opportunities and the drafts', async () => {
    const result = await runScore({ config, account: 'A1', explain: true });
    expect(result.status).toBe(EXIT.ok);
    const out = result.stdout;
    expect(out.split('\n')[0]).toContain('(hubspot, owner Dana Whitfield)');
    expect(out).not.toContain('owner-1');
    expect(out).toMatch(/seat_pressure \(expansion, strength 0\.90\): 97% of seats are in use/);
    expect(out).toContain('seat_utilization = 97% (window: last 30 days; comparison: threshold 85%; source: usage)');
    expect(out).toContain('seats_active = 194 seats');
    expect(out).toMatch(/Not evaluated: nps, csat/);
    expect(out).toMatch(
      /1\. seat add \(\+20 seats\), timing now\n\s+potential \$20,000 ARR \(range \$16,000–\$25,000\), probability 50%, expected value \$10,000/,
    );
    expect(out).toMatch(/priority P2, rank 3 in the portfolio, queued/);
    expect(out).toMatch(/3\. module cross sell: automation, timing now\n.*\n\s+withheld: watch: resemblance only/);
    expect(out).toContain('peers that own it: P9, P8');
    expect(out).toContain('seat_add talking points');
    expect(out).toContain('QBR agenda: QBR: growing into the next tier');
    expect(out).toContain('Outreach email: Your team is at 97% of seats');
    expect(out.indexOf('1. seat add')).toBeLessThan(out.indexOf('2. module cross sell: analytics'));
  });

  it('--json prints the stored assessment', async () => {
    const result = await runScore({ config, account: 'C3', json: true });
    expect(result.status).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toEqual(RED);
  });

  it('an unknown account exits non-zero, naming the id and the store', async () => {
    const result = await runScore({ config, account: 'NOPE-42' });
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
    const out = renderPipeline(pipeline, { tty: true, currency: 'USD' });
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
