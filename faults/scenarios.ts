import path from 'node:path';
import type { Snapshot } from './crm.ts';
import type { ProxyHook, RequestKind } from './proxy.ts';
import { RECORD_WRITES } from './proxy.ts';
import { exitLabel, type Trial } from './trial.ts';

/** What the scenarios read from the clean reference runs. */
export interface References {
  /** The final CRM state after clean runs on these dates, one after the other. */
  reference(phases: readonly string[]): Promise<Snapshot>;
  /** Fields the clean runs do not reproduce from one run to the next. */
  readonly unstable: ReadonlySet<string>;
  /** The clean first run: its data-changing requests, their kinds in order, its duration. */
  readonly firstRun: RunShape;
  /** The clean run on the later day after a complete first day. */
  readonly laterRun: RunShape;
}

export interface RunShape {
  readonly writes: number;
  readonly kinds: readonly RequestKind[];
  readonly ms: number;
}

export interface Scenario {
  readonly name: string;
  readonly about: string;
  /** Trials by default; `--kills` and `--trials` change them. */
  count(options: { readonly kills: number; readonly trials: number; readonly kinds: readonly RequestKind[] }): number;
  run(trial: Trial, index: number, refs: References): Promise<void>;
}

type KillMode = 'before-send' | 'after-commit' | 'timer';

/**
 * A kill (or stop) of the CLI child: at the Nth data-changing request of the run (before it reaches the
 * CRM, or once the CRM has committed it and before the answer gets back), or after a delay.
 */
async function runWithSignal(
  trial: Trial,
  asOf: string,
  signal: NodeJS.Signals,
  shape: RunShape,
): Promise<{
  readonly point: string;
  readonly result: Awaited<ReturnType<Trial['sync']>>;
  readonly sentAfter: number;
}> {
  const { rng } = trial;
  const mode: KillMode = rng.next() < 0.2 ? 'timer' : rng.next() < 0.5 ? 'before-send' : 'after-commit';
  const base = trial.target.proxy.writes();
  let requestsBefore = -1;
  const seenAtStart = trial.target.proxy.seen.length;
  if (mode === 'timer') {
    const ms = rng.int(0, Math.max(1, shape.ms));
    const result = await trial.sync(asOf, { timer: { ms, signal } });
    return { point: `${signal} after ${ms} ms`, result, sentAfter: requestsBefore };
  }
  // Provisioning makes most of a first run's calls; weight the record writes so kills land there too.
  const recordWrites = shape.kinds.flatMap((k, i) => (RECORD_WRITES.includes(k) ? [i + 1] : []));
  const n =
    recordWrites.length > 0 && rng.next() < 0.6 ? rng.pick(recordWrites) : rng.int(1, Math.max(1, shape.writes));
  const kind = shape.kinds[n - 1] ?? '?';
  const hook =
    (child: () => import('node:child_process').ChildProcess | undefined): ProxyHook =>
    (req) => {
      if (req.writeIndex !== base + n) return { kind: 'pass' };
      requestsBefore = trial.target.proxy.seen.length - seenAtStart - 1;
      if (signal === 'SIGTERM') {
        // A stop request: the batch in flight goes on and is recorded.
        child()?.kill(signal);
        return { kind: 'pass' };
      }
      if (mode === 'before-send') {
        child()?.kill(signal);
        return { kind: 'hang' };
      }
      return { kind: 'after-commit', then: 'drop', onCommitted: () => child()?.kill(signal) };
    };
  const result = await trial.sync(asOf, { hook });
  return { point: `${signal} at write #${n} (${kind}), ${mode}`, result, sentAfter: requestsBefore };
}

const KILL9: Scenario = {
  name: 'kill9',
  about: 'SIGKILL the CLI at a random write (before it is sent or after the CRM committed it) or a random moment',
  count: (o) => o.kills,
  run: async (trial, _i, refs) => {
    const { asOfA } = trial.setup;
    const { point } = await runWithSignal(trial, asOfA, 'SIGKILL', refs.firstRun);
    trial.notes.push(point);
    await trial.converge(asOfA);
    trial.compareWith(await refs.reference([asOfA]), { unstable: refs.unstable });
  },
};

const SIGTERM: Scenario = {
  name: 'sigterm',
  about: 'SIGTERM at a random write or moment: exit 6 (or 0 if the run was done), then the rerun completes',
  count: (o) => Math.max(1, Math.round(o.trials * 10)),
  run: async (trial, _i, refs) => {
    const { asOfA } = trial.setup;
    const { point, result, sentAfter } = await runWithSignal(trial, asOfA, 'SIGTERM', refs.firstRun);
    trial.notes.push(point);
    const label = exitLabel(result);
    if (result.code === null) {
      // Killed by the signal itself: before the CLI had set up its handlers (no request made yet) it is
      // Node's default; after that it is an unclean stop.
      const started = trial.target.proxy.seen.length > 0 && sentAfter !== 0;
      if (started) trial.defects.runs.push(`stopped by ${label} instead of exiting 6`);
      else trial.notes.push('signal landed before the CLI installed its handlers');
    } else if (result.code !== 6 && result.code !== 0)
      trial.defects.runs.push(`exited ${label} on SIGTERM, README says 6: ${result.stderrTail}`);
    await trial.converge(asOfA);
    trial.compareWith(await refs.reference([asOfA]), { unstable: refs.unstable });
  },
};

const LOST_MODES = ['drop', 502] as const;

/** The write kinds this CRM makes, in the order of its clean first run. */
const kindsOf = (kinds: readonly RequestKind[]): RequestKind[] =>
  [...new Set(kinds)].filter((k) => RECORD_WRITES.includes(k));

const LOST_RESPONSE: Scenario = {
  name: 'lost-response',
  about: "each write kind's first call: the CRM commits, then the answer is lost (socket destroyed) or a 502",
  count: (o) => kindsOf(o.kinds).length * LOST_MODES.length,
  run: async (trial, index, refs) => {
    const { asOfA } = trial.setup;
    const kinds = kindsOf(refs.firstRun.kinds);
    const kind = kinds[Math.floor(index / LOST_MODES.length) % kinds.length] ?? 'other.write';
    const mode = LOST_MODES[index % LOST_MODES.length] ?? 'drop';
    let fired = false;
    const hook = (): ProxyHook => (req) => {
      if (fired || req.kind !== kind) return { kind: 'pass' };
      fired = true;
      return { kind: 'after-commit', then: mode };
    };
    trial.notes.push(
      `first ${kind} committed, answer ${mode === 'drop' ? 'lost (socket destroyed)' : 'replaced by 502'}`,
    );
    await trial.sync(asOfA, { hook });
    await trial.converge(asOfA);
    trial.compareWith(await refs.reference([asOfA]), { unstable: refs.unstable });
  },
};

const OUTAGE_VARIANTS: ReadonlyArray<{ readonly label: string; readonly kinds: readonly RequestKind[] }> = [
  { label: 'every record write', kinds: RECORD_WRITES },
  { label: 'note writes', kinds: ['note.create', 'link.create'] },
  { label: 'deal writes', kinds: ['deal.upsert', 'deal.associate'] },
];

/** Each CRM's 503 body: HubSpot's error object, Salesforce's error list. */
const UNAVAILABLE: Readonly<Record<string, unknown>> = {
  hubspot: { status: 'error', message: 'Service Unavailable', category: 'SERVICE_UNAVAILABLE' },
  salesforce: [{ message: 'Service Unavailable', errorCode: 'SERVER_UNAVAILABLE' }],
};

const OUTAGE: Scenario = {
  name: 'outage',
  about: '503 on writes for maxRetries+1 runs, then healthy runs: nothing lost',
  count: () => OUTAGE_VARIANTS.length,
  run: async (trial, index, refs) => {
    const { asOfA, settings } = trial.setup;
    const variant = OUTAGE_VARIANTS[index % OUTAGE_VARIANTS.length] ?? OUTAGE_VARIANTS[0];
    if (variant === undefined) return;
    const outageRuns = settings.maxRetries + 1;
    trial.notes.push(`503 on ${variant.label} for ${outageRuns} runs`);
    const hook = (): ProxyHook => (req) =>
      variant.kinds.includes(req.kind)
        ? {
            kind: 'respond',
            status: 503,
            // A load balancer's answer during maintenance; Retry-After keeps the in-run retries short.
            headers: { 'retry-after': '1' },
            body: UNAVAILABLE[trial.setup.crm],
          }
        : { kind: 'pass' };
    for (let i = 0; i < outageRuns; i += 1) await trial.sync(asOfA, { hook });
    await trial.converge(asOfA);
    trial.compareWith(await refs.reference([asOfA]), { unstable: refs.unstable });
  },
};

const TOKEN: Scenario = {
  name: 'token-expiry',
  about: 'credentials expire at a random write: the run stops as an auth failure (exit 3), the next completes',
  count: (o) => Math.max(1, Math.round(o.trials * 4)),
  run: async (trial, _i, refs) => {
    const { asOfA } = trial.setup;
    const base = trial.target.proxy.writes();
    const n = trial.rng.int(1, Math.max(1, refs.firstRun.writes));
    const kind = refs.firstRun.kinds[n - 1] ?? '?';
    trial.notes.push(`credentials expired before write #${n} (${kind})`);
    const hook = (): ProxyHook => (req) => {
      if (req.writeIndex === base + n) trial.target.expireAuth();
      return { kind: 'pass' };
    };
    const result = await trial.sync(asOfA, { hook });
    if (result.code !== 3) {
      // Salesforce's client-credentials flow may sign in again by itself: a completed run is fine there.
      const tolerated = trial.setup.crm === 'salesforce' && (result.code === 0 || result.code === 1);
      if (tolerated) trial.notes.push(`exited ${exitLabel(result)} (signed in again)`);
      else
        trial.defects.runs.push(
          `exited ${exitLabel(result)} after the token expired, expected 3: ${result.stderrTail}`,
        );
    }
    trial.target.renewAuth();
    await trial.converge(asOfA);
    trial.compareWith(await refs.reference([asOfA]), { unstable: refs.unstable });
  },
};

const STORE_DELETED: Scenario = {
  name: 'store-deleted',
  about: 'the state store deleted after a complete run; rerun on the same day, then on a later day',
  count: () => 2,
  run: async (trial, index, refs) => {
    const { asOfA, asOfB } = trial.setup;
    const later = index % 2 === 1;
    const next = later ? asOfB : asOfA;
    trial.notes.push(`store deleted after a complete run on ${asOfA}, rerun on ${next}`);
    await trial.converge(asOfA, 'first');
    await trial.deleteState();
    const runs = await trial.converge(next);
    for (const c of trial.conflictsOf(runs)) trial.defects.runs.push(`own value listed as a human edit: ${c}`);
    if (later)
      trial.compareRebuiltWith(await refs.reference([asOfA, asOfB]), await refs.reference([asOfB]), refs.unstable);
    else trial.compareWith(await refs.reference([asOfA]), { unstable: refs.unstable });
  },
};

const STORE_RESTORED: Scenario = {
  name: 'store-restored',
  about: 'the state store restored from a copy taken after run 1, after a run on a later day changed values',
  count: () => 2,
  run: async (trial, index, refs) => {
    const { asOfA, asOfB } = trial.setup;
    const copy = path.join(trial.ws.dir, 'state-copy');
    await trial.sync(asOfA);
    await trial.copyState(copy);
    await trial.converge(asOfA, 'first');
    await trial.converge(asOfB, 'second');
    await trial.restoreState(copy);
    // Rerun on the later day; the second variant reruns once on the old day first, as a backfill would.
    if (index % 2 === 1) await trial.converge(asOfA, 'backfill');
    trial.notes.push(
      `store copied after run 1 (${asOfA}), runs on ${asOfB}, copy restored${index % 2 === 1 ? `, rerun ${asOfA}` : ''}, rerun ${asOfB}`,
    );
    const runs = await trial.converge(asOfB);
    for (const c of trial.conflictsOf(runs)) trial.defects.runs.push(`own value listed as a human edit: ${c}`);
    trial.compareWith(await refs.reference([asOfA, asOfB]), { unstable: refs.unstable });
  },
};

/** Human edits: two accounts' health cleared, one deal's amount changed, one deal's amount cleared. */
function humanEdits(trial: Trial): { readonly ignore: Set<string>; check(): void; readonly said: string } {
  const { edits } = trial.target;
  const snap = trial.snapshot();
  const withHealth = [...snap.accounts].filter(([, f]) => f[edits.healthField] !== undefined).map(([id]) => id);
  const deals = snap.deals.filter((d) => d.key !== undefined && d.fields[edits.amountField] !== undefined);
  const ignore = new Set<string>();
  const checks: Array<() => string | undefined> = [];
  const said: string[] = [];
  const accounts = [...new Set([trial.rng.pick(withHealth), trial.rng.pick(withHealth)])];
  for (const id of accounts) {
    edits.clearHealth(id);
    ignore.add(`account:${id}:${edits.healthField}`);
    said.push(`cleared ${edits.healthField} on account ${id}`);
    checks.push(() => {
      const v = trial.snapshot().accounts.get(id)?.[edits.healthField];
      return v === undefined ? undefined : `account ${id} ${edits.healthField} cleared by a person, now ${v}`;
    });
  }
  const changed = trial.rng.pick(deals);
  const cleared = trial.rng.pick(deals.filter((d) => d !== changed));
  const amount = Number(changed.fields[edits.amountField]) + 12_345;
  edits.setDealAmount(changed.id, amount);
  edits.clearDealAmount(cleared.id);
  said.push(
    `set ${edits.amountField} ${amount} on deal ${changed.key}`,
    `cleared ${edits.amountField} on deal ${cleared.key}`,
  );
  for (const d of [changed, cleared]) ignore.add(`deal:${d.key}:${edits.amountField}`);
  checks.push(() => {
    const deal = trial.snapshot().deals.find((d) => d.id === changed.id);
    const v = deal?.fields[edits.amountField];
    return v !== undefined && Number(v) === amount
      ? undefined
      : `deal ${changed.key} amount set to ${amount} by a person, now ${v ?? 'empty'}`;
  });
  checks.push(() => {
    const deal = trial.snapshot().deals.find((d) => d.id === cleared.id);
    const v = deal?.fields[edits.amountField];
    return v === undefined ? undefined : `deal ${cleared.key} amount cleared by a person, now ${v}`;
  });
  return {
    ignore,
    said: said.join('; '),
    check: () => {
      for (const c of checks) {
        const problem = c();
        if (problem) trial.defects.humanOverwritten.push(problem);
      }
    },
  };
}

const HUMAN_EDITS: Scenario = {
  name: 'human-edits',
  about: 'a person clears health and changes/clears deal amounts between runs; later runs keep them',
  count: (o) => Math.max(1, Math.round(o.trials * 2)),
  run: async (trial, index, refs) => {
    const { asOfA, asOfB } = trial.setup;
    await trial.converge(asOfA, 'first');
    const edits = humanEdits(trial);
    // Half rerun on the same day first; all then run on the later day, whose scores differ.
    if (index % 2 === 1) await trial.converge(asOfA, 'same-day');
    trial.notes.push(edits.said);
    await trial.converge(asOfB);
    edits.check();
    trial.compareWith(await refs.reference([asOfA, asOfB]), { ignore: edits.ignore, unstable: refs.unstable });
  },
};

const HUMAN_EDITS_KILL: Scenario = {
  name: 'human-edits-kill',
  about: 'human edits between runs, then the next run is SIGKILLed at a random point and rerun',
  count: (o) => Math.max(1, Math.round(o.trials * 5)),
  run: async (trial, _i, refs) => {
    const { asOfA, asOfB } = trial.setup;
    await trial.converge(asOfA, 'first');
    const edits = humanEdits(trial);
    trial.notes.push(edits.said);
    const { point } = await runWithSignal(trial, asOfB, 'SIGKILL', refs.laterRun);
    trial.notes.push(point);
    await trial.converge(asOfB);
    edits.check();
    trial.compareWith(await refs.reference([asOfA, asOfB]), { ignore: edits.ignore, unstable: refs.unstable });
  },
};

export const SCENARIOS: readonly Scenario[] = [
  KILL9,
  SIGTERM,
  LOST_RESPONSE,
  OUTAGE,
  TOKEN,
  STORE_DELETED,
  STORE_RESTORED,
  HUMAN_EDITS,
  HUMAN_EDITS_KILL,
];
