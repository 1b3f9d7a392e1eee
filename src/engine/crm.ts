import type { Account, CrmOpportunity, CrmSystem, Owner } from '../model/account.ts';
import type { FieldCatalog, MappingFile } from '../mapping/index.ts';
import type { WriteFieldsFn } from './plan.ts';

export interface ActiveMappings {
  readonly account: MappingFile;
  readonly opportunity: MappingFile;
}

/**
 * What the engine needs from a CRM connector. Implemented in connectors/<system>/; the engine never
 * imports a connector, the CLI wires one in through connectors/index.ts.
 */
export interface CrmConnector {
  readonly system: CrmSystem;
  /** CRM object names, for the ledger and reports. */
  readonly objects: { readonly account: string; readonly opportunity: string; readonly note: string };
  /** Largest batch the CRM accepts per write call (HubSpot 100, Salesforce collections 200). */
  readonly maxBatchSize: number;
  /**
   * Records per write call for this many writes of a kind; `maxBatchSize` when absent. A connector with a
   * bulk API takes large loads in one job (Salesforce Bulk API 2.0 above its threshold).
   */
  batchSize?(phase: 'account' | 'opportunity' | 'note', total: number): number;
  check(): Promise<CheckResult>;
  /** Create our custom fields/properties if missing. Idempotent. `dryRun` only reports what is missing. */
  provision(options: { readonly dryRun: boolean }): Promise<ProvisionResult>;
  readOwners(): Promise<readonly Owner[]>;
  /**
   * Every account, page by page; a record that fails mapping is a problem, never a failed page. A
   * connector with `incrementalAccounts` reads only accounts changed since `since` when it is given.
   */
  readAccounts(options?: { readonly since?: AccountCursor }): AsyncIterable<AccountPage>;
  /** The connector can read accounts changed since a cursor (Salesforce: SystemModstamp and Id). */
  readonly incrementalAccounts?: boolean;
  /** Open and closed opportunities on the given accounts that carry a motion (ours or an AE's). */
  readOpportunities(accountIds: ReadonlySet<string>): Promise<OpportunityRead>;
  /** Write fields on accounts (batched, by CRM id). One outcome per update, in any order. */
  updateAccounts(updates: readonly AccountUpdate[]): Promise<readonly WriteOutcome[]>;
  /** Create or update opportunities by our deterministic key, associated to their account. */
  upsertOpportunities(upserts: readonly OpportunityUpsert[]): Promise<readonly WriteOutcome[]>;
  /** Create notes associated to an opportunity and its account. */
  createNotes(notes: readonly NoteCreate[]): Promise<readonly WriteOutcome[]>;
  /** For notes left pending by a crash: which of these keys already exist on their opportunity. */
  findNotes(pending: readonly PendingNote[]): Promise<ReadonlyMap<string, string>>;
  /** Normalise a value read from or written to a field, so CRM formatting never looks like a human edit. */
  normalize(object: 'account' | 'opportunity', field: string, value: string | null | undefined): string | null;
  /** The mappings in force: the files, less the rules `useMappings` took out for this run. */
  readonly mappingFiles: ActiveMappings;
  /** Reads, writes and write fields use these from now on (the engine drops rules the schema disables). */
  useMappings(mappings: ActiveMappings): void;
  /** The mapped objects' field definitions now: HubSpot properties, Salesforce describe. */
  describeFields(): Promise<FieldCatalog>;
  /** The write mappings, as functions from canonical outputs to CRM fields with their policies. */
  readonly accountWriteFields: WriteFieldsFn;
  readonly opportunityWriteFields: WriteFieldsFn;
  apiStats(): ApiStats;
  /** Stops limiter timers so the process can exit. */
  close(): Promise<void>;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly checks: ReadonlyArray<{ readonly name: string; readonly ok: boolean; readonly message: string }>;
}

export interface ProvisionResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
  readonly missing: readonly string[];
  /** What provisioning could not do but the run can live without, for the log and the admin. */
  readonly warnings?: readonly string[];
}

export interface RecordProblem {
  readonly system: CrmSystem;
  readonly object: string;
  readonly recordId: string;
  readonly message: string;
}

/** Where an incremental account read got to: the last record's modification time and id. */
export interface AccountCursor {
  /** ISO 8601 UTC. */
  readonly modstamp: string;
  readonly id: string;
}

export interface AccountPage {
  readonly accounts: readonly Account[];
  /** The last record of the page, for incremental reads (pages come in modification order). */
  readonly cursor?: AccountCursor;
  /** Current CRM values of the fields we write, per account id (CRM field -> string or null). */
  readonly current: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  readonly problems: readonly RecordProblem[];
}

export interface OpportunityRead {
  readonly opportunities: readonly CrmOpportunity[];
  readonly problems: readonly RecordProblem[];
}

export interface AccountUpdate {
  readonly accountId: string;
  readonly fields: Readonly<Record<string, string | null>>;
}

export interface OpportunityUpsert {
  readonly key: string;
  readonly accountId: string;
  readonly create: boolean;
  /** CRM id when known (an update of a deal we created). */
  readonly crmId?: string;
  readonly fields: Readonly<Record<string, string | null>>;
}

export interface NoteCreate {
  readonly key: string;
  readonly accountId: string;
  /** CRM id of the opportunity the note belongs to. */
  readonly opportunityId: string;
  readonly title: string;
  readonly body: string;
}

export interface PendingNote {
  readonly key: string;
  readonly opportunityId: string;
}

export type WriteOutcome =
  | { readonly ref: string; readonly status: 'created' | 'updated'; readonly crmId: string }
  | { readonly ref: string; readonly status: 'failed'; readonly code: string; readonly message: string; readonly retryable: boolean };

export interface ApiStats {
  readonly total: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly retries: number;
  readonly rateLimited: number;
  /** The daily API allowance as the CRM last reported it (HubSpot's daily-remaining header, Salesforce's api-usage). */
  readonly quota?: { readonly remaining: number; readonly limit?: number };
}
