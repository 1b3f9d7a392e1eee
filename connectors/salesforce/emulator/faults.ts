import type { FaultControls, FaultHandle, FaultRule, FaultStep, ItemError, RecordFailureRule, WriteOperation } from './types.ts';

export interface FaultTarget {
  readonly method: string;
  readonly path: string;
  readonly route: string;
}

export type FaultAction = { readonly kind: 'pass' } | { readonly kind: 'reset' } | { readonly kind: 'respond'; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> };

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
 * Injected faults: status sequences per route, connection resets, latency and per-record collection
 * failures. Tests and the benchmark use them to exercise a client's retry and partial-failure paths.
 */
export class FaultRegistry implements FaultControls {
  private rules: Array<Active<FaultRule>> = [];
  private failures: Array<Active<RecordFailureRule>> = [];
  private latency: number;

  constructor(latencyMs: number) {
    this.latency = latencyMs;
  }

  /** A status sequence for matching requests, e.g. `{ method: 'GET', path: /\/query$/, sequence: [503, 'pass'] }`. */
  add(rule: FaultRule): FaultHandle {
    const active: Active<FaultRule> = { rule, step: 0, hits: 0 };
    this.rules.push(active);
    return handle(active, () => (this.rules = this.rules.filter((r) => r !== active)));
  }

  /** Collection records the predicate matches fail with this status code (the others succeed). */
  failRecords(rule: RecordFailureRule): FaultHandle {
    const active: Active<RecordFailureRule> = { rule, step: 0, hits: 0 };
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

  decide(target: FaultTarget): FaultDecision {
    const active = this.rules.find((r) => matches(r.rule, target) && (r.rule.repeat === true || r.step < r.rule.sequence.length));
    if (!active || active.rule.sequence.length === 0) return { delayMs: this.latency, action: { kind: 'pass' } };
    const step = active.rule.sequence[active.step % active.rule.sequence.length] as FaultStep;
    active.step += 1;
    active.hits += 1;
    return toDecision(step, this.latency);
  }

  recordFailure(object: string, operation: WriteOperation, record: Readonly<Record<string, unknown>>): ItemError | undefined {
    for (const failure of this.failures) {
      const { rule } = failure;
      if (rule.object !== undefined && rule.object.toLowerCase() !== object.toLowerCase()) continue;
      if (rule.operations !== undefined && !rule.operations.includes(operation)) continue;
      if (!rule.match(record)) continue;
      failure.hits += 1;
      return { statusCode: rule.statusCode ?? 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: rule.message ?? 'Injected validation failure', fields: rule.fields ?? [] };
    }
    return undefined;
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

function matches(rule: FaultRule, target: FaultTarget): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== target.method) return false;
  if (rule.route !== undefined && rule.route !== target.route) return false;
  if (rule.path instanceof RegExp) return rule.path.test(target.path);
  return rule.path === undefined || rule.path === target.path;
}

function toDecision(step: FaultStep, latency: number): FaultDecision {
  if (step === 'pass') return { delayMs: latency, action: { kind: 'pass' } };
  if (step === 'reset') return { delayMs: latency, action: { kind: 'reset' } };
  if (typeof step === 'number') return { delayMs: latency, action: { kind: 'respond', status: step } };
  const delayMs = latency + (step.delayMs ?? 0);
  if (step.status === undefined) return { delayMs, action: { kind: 'pass' } };
  return { delayMs, action: { kind: 'respond', status: step.status, ...(step.body !== undefined ? { body: step.body } : {}), ...(step.headers ? { headers: step.headers } : {}) } };
}
