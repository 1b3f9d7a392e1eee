import type { CrmHarness } from '../support/harness.ts';
import type { ContractCrm } from './crm-adapter.ts';

const HOUR = 3_600_000;

/** The members of a ContractCrm that the shared harness answers the same way for every CRM. */
export type HarnessMembers = Pick<
  ContractCrm,
  | 'dir'
  | 'configPath'
  | 'run'
  | 'passTime'
  | 'writeUsage'
  | 'writeFile'
  | 'editConfig'
  | 'withStore'
  | 'accountId'
  | 'clock'
  | 'close'
>;

export function harnessMembers<E>(h: CrmHarness<E>): HarnessMembers {
  return {
    dir: h.dir,
    configPath: h.configPath,
    run: (mode, options) => h.run(mode, options),
    // An hour between runs: a later edit's timestamp is past the incremental read's cursor.
    passTime: () => h.advance(HOUR),
    writeUsage: (days) => h.writeUsage(days),
    writeFile: (name, text) => h.writeFile(name, text),
    editConfig: (changes) => h.editConfig(changes),
    withStore: (fn) => h.withStore(fn),
    accountId: (domain) => h.accountId(domain),
    clock: () => new Date(h.clock()),
    close: () => h.close(),
  };
}

/** What an admin does to the CRM's schema, and records the CRM refuses. */
export type AdminMembers = Pick<
  ContractCrm,
  | 'fieldExists'
  | 'deleteField'
  | 'addDateField'
  | 'restrictPicklist'
  | 'makeReadOnly'
  | 'shortenText'
  | 'failAccountWrites'
>;

/** The CRM's records as it holds them, a person's edits, and the request counters. */
export type RecordMembers = Omit<ContractCrm, keyof HarnessMembers | keyof AdminMembers>;
