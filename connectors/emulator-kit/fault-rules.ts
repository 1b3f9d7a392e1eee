/**
 * One step of a fault sequence: a status (with optional body and headers), `pass`, `reset`, or a delay.
 * A lost response, the request processed but its answer never arriving, is `commit-then-reset` (the
 * emulator does the work, then drops the connection) or a status with `afterCommit` (the work is done, then
 * a 502 or 504 answers, as a gateway does when the instance behind it answered too late).
 */
export type FaultStep =
  | 'pass'
  | 'reset'
  | 'commit-then-reset'
  | number
  | {
      readonly status?: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      readonly delayMs?: number;
      /** Process the request first, then answer with `status` instead of the real answer. */
      readonly afterCommit?: boolean;
    };

/** The request-level rule both emulators take; a vendor may add fields its own matcher reads. */
export interface FaultRuleBase {
  readonly method?: string;
  /** A RegExp tested on the path (no query), or an exact path. */
  readonly path?: RegExp | string;
  /** A route template such as `GET /query`, as the request log names it. */
  readonly route?: string;
  readonly sequence: readonly FaultStep[];
  /** Start the sequence over once it is used up, instead of passing from then on. */
  readonly repeat?: boolean;
}

export interface FaultHandle {
  remove(): void;
  /** Requests (or records) this fault has acted on so far. */
  readonly hits: number;
}

/** Fault injection as tests drive it; vendors extend it (HubSpot's `expireToken`). */
export interface FaultControlsBase<Rule, Failure> {
  /** A status sequence for matching requests, e.g. `{ method: 'GET', path: /\/query$/, sequence: [503, 'pass'] }`. */
  add(rule: Rule): FaultHandle;
  /** Records of a batch or collection write the predicate matches fail; the others succeed. */
  failRecords(rule: Failure): FaultHandle;
  /** Latency added to every response, in ms. */
  setLatency(ms: number): void;
  /** Removes every fault rule (latency and auth state stay). */
  clear(): void;
}

/** What a request looks like to the fault rules. */
export interface FaultTarget {
  readonly method: string;
  readonly path: string;
  readonly route: string;
}

export type FaultAction =
  | { readonly kind: 'pass' }
  | { readonly kind: 'reset'; readonly afterCommit?: boolean }
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly body?: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      /** The request is processed (and committed) before this answer replaces the real one. */
      readonly afterCommit?: boolean;
    };

export interface FaultDecision {
  readonly delayMs: number;
  readonly action: FaultAction;
}

interface Active<R> {
  readonly rule: R;
  step: number;
  hits: number;
}

/**
 * Injected faults: status sequences per route, connection resets, latency, and per-record write failures
 * whose error shape each vendor builds itself (through `takeFailure`). `matchesMore` lets a vendor narrow
 * request rules by its own fields (HubSpot's object type).
 */
export class FaultRegistryBase<
  Rule extends FaultRuleBase,
  Failure,
  Target extends FaultTarget = FaultTarget,
> implements FaultControlsBase<Rule, Failure> {
  private rules: Array<Active<Rule>> = [];
  private failures: Array<Active<Failure>> = [];
  private latency: number;
  private readonly matchesMore: (rule: Rule, target: Target) => boolean;

  constructor(latencyMs: number, matchesMore: (rule: Rule, target: Target) => boolean = () => true) {
    this.latency = latencyMs;
    this.matchesMore = matchesMore;
  }

  add(rule: Rule): FaultHandle {
    const active: Active<Rule> = { rule, step: 0, hits: 0 };
    this.rules.push(active);
    return handle(active, () => (this.rules = this.rules.filter((r) => r !== active)));
  }

  failRecords(rule: Failure): FaultHandle {
    const active: Active<Failure> = { rule, step: 0, hits: 0 };
    this.failures.push(active);
    return handle(active, () => (this.failures = this.failures.filter((f) => f !== active)));
  }

  setLatency(ms: number): void {
    this.latency = ms;
  }

  clear(): void {
    this.rules = [];
    this.failures = [];
  }

  /** The first live rule matching the request advances one step; with none, the request passes. */
  decide(target: Target): FaultDecision {
    const active = this.rules.find(
      (r) => this.matches(r.rule, target) && (r.rule.repeat === true || r.step < r.rule.sequence.length),
    );
    if (!active || active.rule.sequence.length === 0) return { delayMs: this.latency, action: { kind: 'pass' } };
    const step = active.rule.sequence[active.step % active.rule.sequence.length] as FaultStep;
    active.step += 1;
    active.hits += 1;
    return toDecision(step, this.latency);
  }

  /** The first record-failure rule `applies` accepts, counted as a hit; the vendor turns it into its error. */
  protected takeFailure(applies: (rule: Failure) => boolean): Failure | undefined {
    const failure = this.failures.find((f) => applies(f.rule));
    if (failure) failure.hits += 1;
    return failure?.rule;
  }

  private matches(rule: Rule, target: Target): boolean {
    if (rule.method !== undefined && rule.method.toUpperCase() !== target.method) return false;
    if (rule.route !== undefined && rule.route !== target.route) return false;
    if (!this.matchesMore(rule, target)) return false;
    if (rule.path instanceof RegExp) return rule.path.test(target.path);
    return rule.path === undefined || rule.path === target.path;
  }
}

function handle(active: { hits: number }, remove: () => void): FaultHandle {
  return {
    remove,
    get hits() {
      return active.hits;
    },
  };
}

function toDecision(step: FaultStep, latency: number): FaultDecision {
  if (step === 'pass') return { delayMs: latency, action: { kind: 'pass' } };
  if (step === 'reset') return { delayMs: latency, action: { kind: 'reset' } };
  if (step === 'commit-then-reset') return { delayMs: latency, action: { kind: 'reset', afterCommit: true } };
  if (typeof step === 'number') return { delayMs: latency, action: { kind: 'respond', status: step } };
  const delayMs = latency + (step.delayMs ?? 0);
  if (step.status === undefined) return { delayMs, action: { kind: 'pass' } };
  return {
    delayMs,
    action: {
      kind: 'respond',
      status: step.status,
      ...(step.body !== undefined ? { body: step.body } : {}),
      ...(step.headers ? { headers: step.headers } : {}),
      ...(step.afterCommit === true ? { afterCommit: true } : {}),
    },
  };
}
