import type { ChildProcess } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { compareRebuilt, compareSnapshots, noDefects, type Defects } from './compare.ts';
import {
  CREATE_ONLY,
  SCORED_AT,
  startTarget,
  type BookOptions,
  type CrmName,
  type CrmTarget,
  type Snapshot,
} from './crm.ts';
import type { ProxyHook } from './proxy.ts';
import {
  makeWorkspace,
  nothingPlanned,
  runSync,
  type SyncResult,
  type TrialSettings,
  type Workspace,
} from './sync-run.ts';

/** At most this many runs to get back to a clean, converged state after a fault. */
export const MAX_RECOVERY_RUNS = 5;

/** A small seeded generator (mulberry32), so `--seed` reproduces every random choice. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** A stable seed for one trial from the suite seed and its name. */
export function trialSeed(seed: number, ...parts: Array<string | number>): number {
  let h = seed >>> 0 || 1;
  for (const ch of parts.join('/')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** What every trial of a CRM shares: the book, the settings, the two dates. */
export interface SuiteSetup {
  readonly crm: CrmName;
  readonly book: BookOptions;
  readonly settings: TrialSettings;
  /** The first run's date, and a later one (two weeks on) whose scores differ. */
  readonly asOfA: string;
  readonly asOfB: string;
  readonly days: number;
  readonly workRoot: string;
}

/** A label for a run's end: its exit code, or the signal it died of. */
export function exitLabel(r: SyncResult): string {
  if (r.code !== null) return String(r.code);
  return r.signal ?? '?';
}

/**
 * One trial: a fresh emulator behind a fresh proxy and a fresh state store. The scenario drives runs
 * through it (with faults), then `converge` reruns until nothing is left to do.
 */
export class Trial {
  readonly defects: Defects = noDefects();
  readonly notes: string[] = [];
  readonly exits: string[] = [];
  /** Every run of the trial, oldest first. */
  readonly results: SyncResult[] = [];
  readonly setup: SuiteSetup;
  readonly target: CrmTarget;
  readonly ws: Workspace;
  readonly rng: Rng;

  private constructor(setup: SuiteSetup, target: CrmTarget, ws: Workspace, rng: Rng) {
    this.setup = setup;
    this.target = target;
    this.ws = ws;
    this.rng = rng;
  }

  static async open(setup: SuiteSetup, dir: string, rng: Rng): Promise<Trial> {
    const target = await startTarget(setup.crm, setup.book);
    try {
      const ws = await makeWorkspace(dir, target, setup.settings, setup.days);
      return new Trial(setup, target, ws, rng);
    } catch (error) {
      await target.stop();
      throw error;
    }
  }

  async close(keep: boolean): Promise<void> {
    await this.target.stop();
    if (!keep) await rm(this.ws.dir, { recursive: true, force: true });
  }

  /** One run, optionally with a proxy hook for its duration and a kill on a timer. */
  async sync(
    asOf: string,
    fault: {
      readonly hook?: (child: () => ChildProcess | undefined) => ProxyHook;
      readonly timer?: { readonly ms: number; readonly signal: NodeJS.Signals };
    } = {},
  ): Promise<SyncResult> {
    let child: ChildProcess | undefined;
    let timer: NodeJS.Timeout | undefined;
    this.target.proxy.setHook(fault.hook?.(() => child));
    try {
      const result = await runSync(this.ws, this.target, this.setup.settings, asOf, {
        onSpawn: (c) => {
          child = c;
          if (fault.timer) {
            const { ms, signal } = fault.timer;
            timer = setTimeout(() => c.kill(signal), ms);
          }
        },
      });
      this.exits.push(exitLabel(result));
      this.results.push(result);
      return result;
    } finally {
      if (timer) clearTimeout(timer);
      this.target.proxy.setHook(undefined);
    }
  }

  /**
   * Runs until a run exits 0 having planned nothing and written nothing (at most MAX_RECOVERY_RUNS).
   * A run that ends otherwise than 0 or 1 (some records failed, retried next run) is a defect.
   */
  async converge(asOf: string, label = 'recovery'): Promise<SyncResult[]> {
    const runs: SyncResult[] = [];
    for (let i = 0; i < MAX_RECOVERY_RUNS; i += 1) {
      const r = await this.sync(asOf);
      runs.push(r);
      if (r.code !== 0 && r.code !== 1)
        this.defects.runs.push(
          `${label} run ${i + 1} exited ${exitLabel(r)}: ${r.stderrTail || r.report?.message || ''}`,
        );
      if (r.code === 0 && nothingPlanned(r.report) && r.writes === 0) return runs;
    }
    const last = runs.at(-1);
    this.defects.runs.push(
      `${label}: no clean run within ${MAX_RECOVERY_RUNS} runs (last exited ${last ? exitLabel(last) : '?'}, planned ${JSON.stringify(last?.report?.planned ?? null)}, ${last?.writes ?? 0} writes)`,
    );
    return runs;
  }

  /** Conflicts a run listed: values it takes for a person's. */
  conflictsOf(runs: readonly SyncResult[]): string[] {
    return runs.flatMap((r) =>
      (r.report?.conflicts ?? []).map((c) => `${c.object} ${c.recordKey}${c.field ? ` ${c.field}` : ''}: ${c.reason}`),
    );
  }

  snapshot(): Snapshot {
    return this.target.snapshot();
  }

  compareWith(
    reference: Snapshot,
    options: { readonly ignore?: ReadonlySet<string>; readonly unstable?: ReadonlySet<string> } = {},
  ): void {
    const found = compareSnapshots(reference, this.snapshot(), {
      capacityPerOwner: this.setup.settings.capacityPerOwner,
      ...options,
    });
    for (const key of Object.keys(found) as Array<keyof Defects>) this.defects[key].push(...found[key]);
  }

  /** After the state store was lost: see `compareRebuilt`. */
  compareRebuiltWith(kept: Snapshot, fresh: Snapshot, unstable: ReadonlySet<string>): void {
    const found = compareRebuilt(kept, fresh, this.snapshot(), {
      capacityPerOwner: this.setup.settings.capacityPerOwner,
      unstable: new Set([...unstable, `account:${SCORED_AT[this.setup.crm]}`]),
      createOnly: CREATE_ONLY[this.setup.crm],
    });
    for (const key of Object.keys(found) as Array<keyof Defects>) this.defects[key].push(...found[key]);
  }

  async copyState(to: string): Promise<void> {
    await rm(to, { recursive: true, force: true });
    await cp(this.ws.dataDir, to, { recursive: true });
  }

  async restoreState(from: string): Promise<void> {
    await rm(this.ws.dataDir, { recursive: true, force: true });
    await cp(from, this.ws.dataDir, { recursive: true });
  }

  async deleteState(): Promise<void> {
    await rm(this.ws.dataDir, { recursive: true, force: true });
  }
}
