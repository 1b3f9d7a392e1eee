import { findObjectType } from './object-types.ts';
import type { ItemError } from './store.ts';
import type { BatchInputView, FaultControls, FaultHandle, FaultRule, FaultStep, RecordFailureRule } from './types.ts';

export interface FaultTarget {
  readonly method: string;
  readonly path: string;
  readonly route: string;
  readonly objectType?: string | undefined;
}

export type FaultAction = { readonly kind: 'pass' } | { readonly kind: 'reset' } | { readonly kind: 'respond'; readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> };

export interface FaultDecision {
  readonly delayMs: number;
  readonly action: FaultAction;
}

interface ActiveRule {
  readonly rule: FaultRule;
  step: number;
  hits: number;
}

interface ActiveFailure {
  readonly rule: RecordFailureRule;
  hits: number;
}

/**
 * Injected faults: status sequences per route, connection resets, latency, per-record batch failures and
 * the expired token. Tests and the benchmark use them to exercise a client's retry and partial-failure paths.
 */
export class FaultRegistry implements FaultControls {
  private rules: ActiveRule[] = [];
  private failures: ActiveFailure[] = [];
  private latency: number;
  private readonly onExpire: () => void;

  constructor(options: { readonly latencyMs: number; readonly onExpire: () => void }) {
    this.latency = options.latencyMs;
    this.onExpire = options.onExpire;
  }

  /** A status sequence for matching requests, e.g. `{ method: 'POST', path: /\/batch\/upsert$/, sequence: [503, 429, 'pass'] }`. */
  add(rule: FaultRule): FaultHandle {
    const active: ActiveRule = { rule, step: 0, hits: 0 };
    this.rules.push(active);
    return handle(active, () => (this.rules = this.rules.filter((r) => r !== active)));
  }

  /** Batch inputs the predicate matches fail with this category and message (a 207 when others succeed). */
  failRecords(rule: RecordFailureRule): FaultHandle {
    const active: ActiveFailure = { rule, hits: 0 };
    this.failures.push(active);
    return handle(active, () => (this.failures = this.failures.filter((f) => f !== active)));
  }

  /** Latency added to every response, in ms. */
  setLatency(ms: number): void {
    this.latency = ms;
  }

  /** The current token answers 401 EXPIRED_AUTHENTICATION until the emulator's `setToken`. */
  expireToken(): void {
    this.onExpire();
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

  recordFailure(objectType: string, operation: 'create' | 'update' | 'upsert', input: BatchInputView): ItemError | undefined {
    for (const failure of this.failures) {
      const { rule } = failure;
      if (rule.objectType !== undefined && findObjectType(rule.objectType) !== findObjectType(objectType)) continue;
      if (rule.operations !== undefined && !rule.operations.includes(operation)) continue;
      if (!rule.match(input)) continue;
      failure.hits += 1;
      const message = rule.message ?? 'Property values were not valid';
      const category = rule.category ?? 'VALIDATION_ERROR';
      return { status: STATUS_OF[category] ?? 500, category, message, ...(rule.subCategory ? { errors: [{ message, subCategory: rule.subCategory }] } : {}) };
    }
    return undefined;
  }
}

/** The status a single-record call fails with for an injected category (https://developers.hubspot.com/docs/faq/api-error-responses). */
const STATUS_OF: Readonly<Record<string, number>> = { VALIDATION_ERROR: 400, OBJECT_NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITS: 429, MISSING_SCOPES: 403 };

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
  if (rule.objectType !== undefined && findObjectType(rule.objectType) !== findObjectType(target.objectType ?? '')) return false;
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
