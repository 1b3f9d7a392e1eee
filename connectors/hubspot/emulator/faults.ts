import { FaultRegistryBase, type FaultTarget as KitFaultTarget } from '../../emulator-kit/fault-rules.ts';
import { findObjectType } from './object-types.ts';
import type { ItemError } from './store.ts';
import type { BatchInputView, FaultControls, FaultRule, RecordFailureRule } from './types.ts';

/** A request as HubSpot's fault rules see it: the shared fields and the object type the route named. */
export type FaultTarget = KitFaultTarget & { readonly objectType?: string | undefined };

/**
 * HubSpot's faults: the shared sequences, resets and latency, rules narrowed by object type (under any of
 * its names), per-record batch failures with HubSpot's categories, and the expired token.
 */
export class FaultRegistry
  extends FaultRegistryBase<FaultRule, RecordFailureRule, FaultTarget>
  implements FaultControls
{
  private readonly onExpire: () => void;

  constructor(options: { readonly latencyMs: number; readonly onExpire: () => void }) {
    super(
      options.latencyMs,
      (rule, target) =>
        rule.objectType === undefined || findObjectType(rule.objectType) === findObjectType(target.objectType ?? ''),
    );
    this.onExpire = options.onExpire;
  }

  expireToken(): void {
    this.onExpire();
  }

  /** The error a matching batch input fails with (a 207 when others succeed). */
  recordFailure(
    objectType: string,
    operation: 'create' | 'update' | 'upsert',
    input: BatchInputView,
  ): ItemError | undefined {
    const rule = this.takeFailure(
      (r) =>
        (r.objectType === undefined || findObjectType(r.objectType) === findObjectType(objectType)) &&
        (r.operations === undefined || r.operations.includes(operation)) &&
        r.match(input),
    );
    if (!rule) return undefined;
    const message = rule.message ?? 'Property values were not valid';
    const category = rule.category ?? 'VALIDATION_ERROR';
    return {
      status: STATUS_OF[category] ?? 500,
      category,
      message,
      ...(rule.subCategory ? { errors: [{ message, subCategory: rule.subCategory }] } : {}),
    };
  }
}

/** The status a single-record call fails with for an injected category (https://developers.hubspot.com/docs/faq/api-error-responses). */
const STATUS_OF: Readonly<Record<string, number>> = {
  VALIDATION_ERROR: 400,
  OBJECT_NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITS: 429,
  MISSING_SCOPES: 403,
};
