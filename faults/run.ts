/**
 * `npm run faults`: the fault suite. A script that prints figures, never a timed test.
 *
 * For each CRM emulator (HubSpot, Salesforce) it seeds a small book, makes clean reference runs through
 * the real CLI, then runs trials that each start from a fresh emulator and a fresh state store, inject
 * one fault (SIGKILL or SIGTERM at a random write or moment, a response lost after the CRM committed,
 * an outage longer than the retries, credentials expiring, the state store deleted or restored from an
 * old copy, human edits between runs), rerun until a run has nothing left to do, and compare the CRM's
 * final state with the reference: duplicates, lost writes, wrong values, owners over capacity, human
 * edits overwritten, orphan notes, and runs that ended badly. Exits 1 when any count is above zero.
 *
 *   node faults/run.ts [--crm hubspot|salesforce] [--only <scenario>[,<scenario>]] [--seed N] [--kills N]
 *                      [--trials N] [--trial I] [--jobs N] [--companies N] [--json <file>] [--keep]
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFECT_KINDS, defectCount, unstableFields, type Defects } from './compare.ts';
import { CRM_NAMES, type CrmName, type Snapshot } from './crm.ts';
import type { RequestKind } from './proxy.ts';
import { SCENARIOS, type References, type RunShape, type Scenario } from './scenarios.ts';
import type { SyncResult } from './sync-run.ts';
import { exitLabel, Rng, Trial, trialSeed, type SuiteSetup } from './trial.ts';

const { values: args } = parseArgs({
  options: {
    crm: { type: 'string' },
    only: { type: 'string' },
    seed: { type: 'string', default: '1' },
    kills: { type: 'string', default: '100' },
    trials: { type: 'string', default: '1' },
    trial: { type: 'string' },
    jobs: { type: 'string', default: String(Math.max(1, Math.min(4, os.availableParallelism()))) },
    companies: { type: 'string', default: '60' },
    capacity: { type: 'string', default: '5' },
    json: { type: 'string' },
    work: { type: 'string', default: path.join('.data', 'faults') },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  process.stdout.write(
    `${[
      'node faults/run.ts [options]',
      '  --crm <hubspot|salesforce>   one CRM (default both)',
      `  --only <names>               scenarios, comma-separated: ${SCENARIOS.map((s) => s.name).join(', ')}`,
      '  --seed <n>                   random choices (default 1); a failing trial prints how to rerun it',
      '  --kills <n>                  kill9 trials per CRM (default 100)',
      '  --trials <x>                 multiplier for the other random scenarios (default 1)',
      '  --trial <i>                  run only this trial index of each selected scenario',
      '  --jobs <n>                   trials at once (default: CPUs, at most 4)',
      '  --companies <n>              accounts in the book (default 60)',
      '  --capacity <n>               priority.capacityPerOwner (default 5; the book fills it)',
      '  --json <file>                write the figures and failing trials as JSON (updated as trials end)',
      '  --work <dir>                 trial folders (default .data/faults); failing ones are kept',
      '  --keep                       keep every trial folder, passing ones too',
    ].join('\n')}\n`,
  );
  process.exit(0);
}

const int = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`faults: --${name} must be a whole number, got "${value}"\n`);
    process.exit(2);
  }
  return n;
};

const seed = int('seed', args.seed);
const kills = int('kills', args.kills);
const trialsFactor = Number(args.trials);
const onlyTrial = args.trial === undefined ? undefined : int('trial', args.trial);
const jobs = Math.max(1, int('jobs', args.jobs));
const companies = int('companies', args.companies);
const capacity = Math.max(1, int('capacity', args.capacity));
const crms: CrmName[] =
  args.crm === undefined
    ? [...CRM_NAMES]
    : CRM_NAMES.includes(args.crm as CrmName)
      ? [args.crm as CrmName]
      : fail(`--crm must be one of ${CRM_NAMES.join(', ')}`);
const only = args.only?.split(',').map((s) => s.trim());
for (const name of only ?? [])
  if (!SCENARIOS.some((s) => s.name === name))
    fail(`unknown scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
const scenarios = SCENARIOS.filter((s) => only === undefined || only.includes(s.name));
if (!Number.isFinite(trialsFactor) || trialsFactor <= 0) fail('--trials must be a positive number');

function fail(message: string): never {
  process.stderr.write(`faults: ${message}\n`);
  process.exit(2);
}

const ASOF_A = '2026-11-20';
const ASOF_B = '2026-12-04';
const WORK = path.resolve(args.work);

interface FailedTrial {
  readonly crm: CrmName;
  readonly scenario: string;
  readonly trial: number;
  readonly seed: number;
  readonly point: string;
  readonly exits: readonly string[];
  readonly defects: Defects;
  readonly dir: string;
  readonly rerun: string;
}

interface ScenarioFigures {
  readonly scenario: string;
  trials: number;
  failed: number;
  readonly counts: Record<keyof Defects, number>;
  readonly exits: Record<string, number>;
}

const results = new Map<CrmName, ScenarioFigures[]>();
const failures: FailedTrial[] = [];
const referenceNotes: string[] = [];

async function saveJson(final: boolean): Promise<void> {
  if (args.json === undefined) return;
  const out = {
    final,
    seed,
    companies,
    capacityPerOwner: capacity,
    asOf: [ASOF_A, ASOF_B],
    references: referenceNotes,
    crms: Object.fromEntries([...results].map(([crm, rows]) => [crm, rows])),
    failures,
  };
  await writeFile(args.json, `${JSON.stringify(out, null, 2)}\n`);
}

function shapeOf(proxySeen: Trial['target']['proxy']['seen'], from: number, result: SyncResult): RunShape {
  const kinds: RequestKind[] = proxySeen
    .slice(from)
    .filter((r) => r.writeIndex !== undefined)
    .map((r) => r.kind);
  return { writes: kinds.length, kinds, ms: result.ms };
}

/** The clean runs every trial is compared with, and the shapes of a first and a later run. */
async function buildReferences(setup: SuiteSetup): Promise<References> {
  const open = (name: string): Promise<Trial> =>
    Trial.open(setup, path.join(WORK, setup.crm, `reference-${name}`), new Rng(seed));
  const check = (trial: Trial, label: string): void => {
    const self = trial.snapshot();
    const conflicts = trial.conflictsOf(trial.results);
    if (conflicts.length > 0) referenceNotes.push(`${setup.crm} ${label}: conflicts ${conflicts.join('; ')}`);
    const ourDeals = self.deals.filter((d) => d.key !== undefined);
    const perOwner = new Map<string, number>();
    for (const d of ourDeals) perOwner.set(d.owner ?? '', (perOwner.get(d.owner ?? '') ?? 0) + 1);
    const line = `${setup.crm} reference ${label}: ${ourDeals.length} deals, ${self.notes.length} notes, per owner ${[...perOwner.values()].sort().join('/')} (capacity ${capacity}), exits ${trial.exits.join(' ')}`;
    referenceNotes.push(line);
    process.stderr.write(`${line}\n`);
    const bad = Object.values(trial.defects).flat();
    if (bad.length > 0) {
      process.stderr.write(`faults: the clean reference ${label} on ${setup.crm} is not clean: ${bad.join('; ')}\n`);
      process.exit(2);
    }
  };

  const a = await open('a');
  const first = await a.sync(ASOF_A);
  const firstRun = shapeOf(a.target.proxy.seen, 0, first);
  if (first.code !== 0) fail(`the clean first run on ${setup.crm} exited ${exitLabel(first)}: ${first.stderrTail}`);
  await a.converge(ASOF_A, 'reference');
  check(a, 'A');
  const refA = a.snapshot();
  await a.close(args.keep);

  const again = await open('a2');
  await again.converge(ASOF_A, 'reference');
  const unstable = unstableFields(refA, again.snapshot());
  await again.close(args.keep);
  if (unstable.size > 0) {
    const line = `${setup.crm}: fields that differ between two clean references (left out of the comparison): ${[...unstable].join(', ')}`;
    referenceNotes.push(line);
    process.stderr.write(`${line}\n`);
  }

  const ab = await open('ab');
  await ab.converge(ASOF_A, 'reference');
  const seenBefore = ab.target.proxy.seen.length;
  const later = await ab.sync(ASOF_B);
  const laterRun = shapeOf(ab.target.proxy.seen, seenBefore, later);
  await ab.converge(ASOF_B, 'reference');
  check(ab, 'A then B');
  const refAB = ab.snapshot();
  await ab.close(args.keep);

  const onlyB = await open('b');
  await onlyB.converge(ASOF_B, 'reference');
  check(onlyB, 'B alone');
  const refB = onlyB.snapshot();
  await onlyB.close(args.keep);

  const byPhases: Record<string, Snapshot> = { [ASOF_A]: refA, [ASOF_B]: refB, [`${ASOF_A},${ASOF_B}`]: refAB };
  return {
    reference: async (phases) => {
      const snap = byPhases[phases.join(',')];
      if (snap === undefined) throw new Error(`no reference for ${phases.join(', ')}`);
      return snap;
    },
    unstable,
    firstRun,
    laterRun,
  };
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

async function runCrm(crm: CrmName): Promise<void> {
  const setup: SuiteSetup = {
    crm,
    book: { companies, asOf: ASOF_A, seed: 7 },
    settings: { capacityPerOwner: capacity, maxRetries: 2 },
    asOfA: ASOF_A,
    asOfB: ASOF_B,
    days: 90,
    workRoot: WORK,
  };
  process.stderr.write(`\n== ${crm}: clean references\n`);
  const refs = await buildReferences(setup);
  const rows: ScenarioFigures[] = [];
  results.set(crm, rows);
  const work: Array<{ scenario: Scenario; index: number; row: ScenarioFigures }> = [];
  for (const scenario of scenarios) {
    const count = scenario.count({ kills, trials: trialsFactor, kinds: refs.firstRun.kinds });
    const row: ScenarioFigures = {
      scenario: scenario.name,
      trials: 0,
      failed: 0,
      counts: Object.fromEntries(DEFECT_KINDS.map((k) => [k, 0])) as Record<keyof Defects, number>,
      exits: {},
    };
    rows.push(row);
    for (let index = 0; index < count; index += 1)
      if (onlyTrial === undefined || onlyTrial === index) work.push({ scenario, index, row });
  }
  process.stderr.write(`== ${crm}: ${work.length} trials, ${jobs} at a time\n`);
  let done = 0;
  await pool(work, jobs, async ({ scenario, index, row }) => {
    const tSeed = trialSeed(seed, crm, scenario.name, index);
    const dir = path.join(WORK, crm, `${scenario.name}-${index}`);
    const trialStart = Date.now();
    const trial = await Trial.open(setup, dir, new Rng(tSeed));
    let failed: boolean;
    try {
      await scenario.run(trial, index, refs);
    } catch (error) {
      trial.defects.runs.push(
        `the trial itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    } finally {
      failed = defectCount(trial.defects) > 0;
      await trial.close(args.keep || failed);
    }
    row.trials += 1;
    for (const k of DEFECT_KINDS) row.counts[k] += trial.defects[k].length;
    for (const e of trial.exits) row.exits[e] = (row.exits[e] ?? 0) + 1;
    done += 1;
    if (failed) {
      row.failed += 1;
      failures.push({
        crm,
        scenario: scenario.name,
        trial: index,
        seed,
        point: trial.notes.join('; '),
        exits: trial.exits,
        defects: trial.defects,
        dir,
        rerun: `node faults/run.ts --crm ${crm} --only ${scenario.name} --seed ${seed} --trial ${index}${companies === 60 ? '' : ` --companies ${companies}`}${capacity === 5 ? '' : ` --capacity ${capacity}`}`,
      });
    }
    const summary = failed
      ? DEFECT_KINDS.filter((k) => trial.defects[k].length > 0)
          .map((k) => `${k} ${trial.defects[k].length}`)
          .join(', ')
      : 'ok';
    process.stderr.write(
      `[${crm} ${done}/${work.length}] ${scenario.name}#${index}: ${summary} | ${trial.notes.join('; ')} | exits ${trial.exits.join(' ')} | ${((Date.now() - trialStart) / 1000).toFixed(1)} s\n`,
    );
    await saveJson(false);
  });
}

const HEADERS = [
  'scenario',
  'trials',
  'failed',
  'dup',
  'lost',
  'wrong',
  'over cap',
  'human overwr.',
  'orphans',
  'runs',
];

function table(rows: readonly ScenarioFigures[]): string {
  const total: ScenarioFigures = {
    scenario: 'TOTAL',
    trials: 0,
    failed: 0,
    counts: Object.fromEntries(DEFECT_KINDS.map((k) => [k, 0])) as Record<keyof Defects, number>,
    exits: {},
  };
  for (const r of rows) {
    total.trials += r.trials;
    total.failed += r.failed;
    for (const k of DEFECT_KINDS) total.counts[k] += r.counts[k];
  }
  const lines = [...rows, total].map((r) => [
    r.scenario,
    String(r.trials),
    String(r.failed),
    ...DEFECT_KINDS.map((k) => String(r.counts[k])),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [fmt(HEADERS), rule, ...lines.slice(0, -1).map(fmt), rule, fmt(lines.at(-1) ?? [])].join('\n');
}

function details(f: FailedTrial): string {
  const out = [`- ${f.crm} ${f.scenario}#${f.trial}: ${f.point}`, `    exits: ${f.exits.join(' ')}; folder ${f.dir}`];
  for (const k of DEFECT_KINDS) {
    const items = f.defects[k];
    if (items.length === 0) continue;
    out.push(`    ${k} (${items.length}):`);
    for (const item of items.slice(0, 6)) out.push(`      ${item.split('\n')[0]}`);
    if (items.length > 6) out.push(`      ... ${items.length - 6} more`);
  }
  out.push(`    rerun: ${f.rerun}`);
  return out.join('\n');
}

const started = Date.now();
for (const crm of crms) await runCrm(crm);
await saveJson(true);

process.stdout.write(
  `\nFault suite: seed ${seed}, ${companies} accounts, capacity ${capacity} per owner, asOf ${ASOF_A} then ${ASOF_B}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
);
process.stdout.write(
  'Columns: dup = duplicate deals/notes/links, lost = reference deal/note/field missing, wrong = value differs from the reference,\n' +
    "over cap = owner given more new deals than the capacity, human overwr. = a person's value changed by a run,\n" +
    'orphans = our notes linked to no deal, runs = a run that ended badly (exit code, never converged, own value taken for an edit).\n',
);
for (const [crm, rows] of results) {
  process.stdout.write(`\n${crm}\n${table(rows)}\n`);
  const exits = rows.map(
    (r) =>
      `${r.scenario} ${Object.entries(r.exits)
        .map(([e, n]) => `${e}x${n}`)
        .join(' ')}`,
  );
  process.stdout.write(`exit codes seen: ${exits.join(' | ')}\n`);
}
const total = failures.length;
if (total > 0) {
  process.stdout.write(`\nFailing trials (${total}):\n`);
  const byScenario = new Map<string, FailedTrial[]>();
  for (const f of failures)
    byScenario.set(`${f.crm} ${f.scenario}`, [...(byScenario.get(`${f.crm} ${f.scenario}`) ?? []), f]);
  for (const [, list] of byScenario) {
    for (const f of list.slice(0, 5)) process.stdout.write(`${details(f)}\n`);
    if (list.length > 5)
      process.stdout.write(
        `  ... ${list.length - 5} more failing trials of ${list[0]?.crm} ${list[0]?.scenario}${args.json ? ` (all in ${args.json})` : ''}\n`,
      );
  }
}
const anyDefects = [...results.values()].flat().some((r) => DEFECT_KINDS.some((k) => r.counts[k] > 0));
process.exit(anyDefects ? 1 : 0);
