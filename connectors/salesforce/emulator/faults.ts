import { FaultRegistryBase } from '../../emulator-kit/fault-rules.ts';
import type { FaultControls, FaultRule, ItemError, RecordFailureRule, WriteOperation } from './types.ts';

/**
 * Salesforce's faults: the shared sequences, resets and latency, and per-record collection failures with a
 * SaveResult status code (sObject names compare case-insensitively, as the API treats them).
 */
export class FaultRegistry extends FaultRegistryBase<FaultRule, RecordFailureRule> implements FaultControls {
  /** The error a matching collection record fails with; the other records succeed. */
  recordFailure(
    object: string,
    operation: WriteOperation,
    record: Readonly<Record<string, unknown>>,
  ): ItemError | undefined {
    const rule = this.takeFailure(
      (r) =>
        (r.object === undefined || r.object.toLowerCase() === object.toLowerCase()) &&
        (r.operations === undefined || r.operations.includes(operation)) &&
        r.match(record),
    );
    if (!rule) return undefined;
    return {
      statusCode: rule.statusCode ?? 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: rule.message ?? 'Injected validation failure',
      fields: rule.fields ?? [],
    };
  }
}
