import { expect } from 'vitest';
import type { RunReport } from '../../src/engine/report.ts';
import type { RunOptions } from '../support/harness.ts';
import type { ContractCrm, ContractRecord } from './crm-adapter.ts';

export const DOMAINS = ['acme', 'birch', 'cobalt', 'delta', 'ember'].map((c) => `${c}.example`);

export const conflictFields = (report: RunReport, recordKey: string): Array<string | undefined> =>
  report.conflicts
    .filter((c) => c.recordKey === recordKey)
    .map((c) => c.field)
    .sort();

export const totalWrites = (report: RunReport): number =>
  Object.values(report.writes).reduce((sum, w) => sum + w.created + w.updated + w.failed, 0);

export const filled = (values: Readonly<Record<string, unknown>>): number =>
  Object.values(values).filter((v) => v !== null && v !== undefined && v !== '').length;

/** A rerun on unchanged inputs and CRM sends nothing, whatever the policies and open conflicts. */
export async function expectIdleRerun(crm: ContractCrm, options: RunOptions = {}): Promise<RunReport> {
  crm.passTime();
  crm.requests.reset();
  const report = await crm.run('live', options);
  expect(report.status).toBe('succeeded');
  expect(totalWrites(report)).toBe(0);
  expect(crm.requests.writes()).toBe(0);
  return report;
}

/** The one opportunity the worker made on the account. */
export function onlyOpportunity(crm: ContractCrm, domain: string): ContractRecord {
  const [first, ...rest] = crm.opportunitiesOf(domain);
  expect(rest).toEqual([]);
  if (!first) throw new Error(`no opportunity on ${domain}`);
  return first;
}
