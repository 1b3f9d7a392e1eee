import type { CrmOpportunity, CrmSystem, Owner } from '../model/account.ts';
import type { FieldCatalog, MappingFile } from '../mapping/index.ts';

/** The mapping files in force for a run: loaded and validated by the engine, never by a connector. */
export interface ActiveMappings {
  readonly account: MappingFile;
  readonly opportunity: MappingFile;
}

/**
 * What the engine needs from a CRM connector: raw records in and out. Implemented in connectors/<system>/
 * and created through the CRM registry. The engine owns the mappings: it says which fields to read and to
 * create, and maps raw records to canonical ones and back (src/mapping/records.ts). A connector knows
 * its API (paging, batches, limits, field types), never the mapping files.
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
  /** Sign-in, reachability, and that the given mappings' fields exist where they are read and written. */
  check(mappings: ActiveMappings): Promise<CheckResult>;
  /**
   * Create the fields the write rules name, where missing. Idempotent; `dryRun` only reports what is
   * missing. The target written from `expansionKey` is the unique key opportunities are upserted on.
   */
  provision(options: { readonly dryRun: boolean; readonly targets: readonly WriteTarget[] }): Promise<ProvisionResult>;
  /** The mapped objects' field definitions now: HubSpot properties, Salesforce describe. */
  describeFields(): Promise<FieldCatalog>;
  readOwners(): Promise<readonly Owner[]>;
  /**
   * Every account, page by page, with the asked fields. A connector with `incrementalAccounts` reads only
   * accounts changed since `since` when it is given; its pages come in modification order.
   */
  readAccounts(options: {
    readonly fields: readonly string[];
    readonly since?: AccountCursor;
  }): AsyncIterable<RawAccountPage>;
  /** The connector can read accounts changed since a cursor (Salesforce: SystemModstamp and Id). */
  readonly incrementalAccounts?: boolean;
  /**
   * Opportunities on the given accounts that have a value in any `markers` field (our key, a motion):
   * open and closed, page by page.
   */
  readOpportunities(options: OpportunityQuery): AsyncIterable<readonly RawOpportunity[]>;
  /** Write fields on accounts (batched, by CRM id). One outcome per update, in any order. */
  updateAccounts(updates: readonly AccountUpdate[]): Promise<readonly WriteOutcome[]>;
  /** Create or update opportunities by our deterministic key, associated to their account. */
  upsertOpportunities(upserts: readonly OpportunityUpsert[]): Promise<readonly WriteOutcome[]>;
  /** Create notes associated to an opportunity and its account. */
  createNotes(notes: readonly NoteCreate[]): Promise<readonly WriteOutcome[]>;
  /**
   * For notes whose creation is unconfirmed (a crash, a lost response, a lost store): which of these keys
   * already exist, found by the reference each note carries. A note found half-written (not yet linked to
   * its opportunity) is completed, so a found note is one the AE sees.
   */
  findNotes(pending: readonly PendingNote[]): Promise<ReadonlyMap<string, string>>;
  apiStats(): ApiStats;
  /** Stops limiter timers so the process can exit. */
  close(): Promise<void>;
}

/** A field a write rule writes: the CRM field and the worker output it carries (the connector types it). */
export interface WriteTarget {
  readonly entity: 'account' | 'opportunity';
  readonly field: string;
  /** The worker output, such as `score` or `expansionKey` (src/mapping/output-specs.ts). */
  readonly from: string;
}

/** A record as the CRM holds it: field values as strings, keyed by the field names asked for. */
export interface RawRecord {
  readonly id: string;
  readonly values: Readonly<Record<string, string | null | undefined>>;
}

export interface RawAccountPage {
  readonly records: readonly RawRecord[];
  /** The last record of the page, for incremental reads. */
  readonly cursor?: AccountCursor;
}

export interface RawOpportunity extends RawRecord {
  readonly accountId: string;
  readonly closed: boolean;
  readonly won: boolean;
  /** When the CRM created it (ISO 8601): owner capacity counts our creations from the CRM, not the store. */
  readonly createdAt?: string;
}

export interface OpportunityQuery {
  readonly fields: readonly string[];
  readonly markers: readonly string[];
  readonly accountIds: ReadonlySet<string>;
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
  /** The account the note is linked to besides the opportunity: a note found unlinked is linked to both. */
  readonly accountId?: string;
  /** The note's title as planned: a CRM that can leave a note unlinked finds it by title and reference. */
  readonly title?: string;
}

export type WriteOutcome =
  | {
      readonly ref: string;
      readonly status: 'created' | 'updated';
      readonly crmId: string;
      /**
       * The record exists but its link to the account could not be made (HubSpot: the association call after
       * the upsert failed). Not done: the link is retried on the next run until it holds.
       */
      readonly unlinked?: { readonly code: string; readonly message: string };
    }
  | {
      readonly ref: string;
      readonly status: 'failed';
      readonly code: string;
      readonly message: string;
      readonly retryable: boolean;
    };

export interface ApiStats {
  readonly total: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly retries: number;
  readonly rateLimited: number;
  /** The daily API allowance as the CRM last reported it (HubSpot's daily-remaining header, Salesforce's api-usage). */
  readonly quota?: { readonly remaining: number; readonly limit?: number };
}
