import type { RunMode, RunReport } from '../../src/engine/report.ts';
import type { UsageDay } from '../../src/model/usage.ts';
import type { StateStore } from '../../src/state/store.ts';
import type { TestCompany } from '../support/companies.ts';
import type { RunOptions } from '../support/harness.ts';

/**
 * What a CRM supplies to run the contract suite (`describeCrmContract`). The suite drives the product only
 * through its public run entry points (a config file and `runSync`, or the CLI), and looks at the CRM only
 * through this adapter, so any CRM can implement it: an emulator behind HTTP (HubSpot, Salesforce) or an
 * in-memory store registered through the CRM registry (the adapter then reads and edits its records directly).
 *
 * Conventions:
 * - `kind` is the canonical object: 'account' (HubSpot company, Salesforce Account) or 'opportunity'.
 * - Field names are the CRM's own (`es_score`, `Expansion_Score__c`); `fields` maps canonical names to them.
 * - Values are as the CRM holds them; `values.num` and `values.date` turn a canonical value into that form so
 *   assertions stay exact (HubSpot keeps every property as a string, Salesforce keeps numbers as numbers).
 * - `null` in an edit clears the field, in whatever way the CRM spells "empty".
 * - Optional members are capabilities a CRM may lack (HubSpot text properties have no length to shorten);
 *   the tests that need them are skipped for that CRM.
 *
 * A third CRM: register its connector in the CRM registry, give test/support/harness.ts a `CrmHarnessSpec`
 * for it (its config key, a `start` that seeds it with TestCompany rows, its config block and secrets), and
 * write the members below over whatever holds its records. An in-memory CRM that lives in the test process
 * cannot be reached by the CLI's child process, so it leaves `mappingsCheck` out (or serves itself over HTTP);
 * it can leave `dailyQuota` out until it models an API allowance.
 */
export interface CrmContractAdapter {
  /** The system name the store keys records by, and the prefix of deterministic keys (`hubspot`). */
  readonly name: string;
  /** For test titles (`HubSpot`). */
  readonly label: string;
  /** The CRM's object names as the run report states them (`companies`/`deals`, `Account`/`Opportunity`). */
  readonly objects: { readonly account: string; readonly opportunity: string };
  readonly fields: ContractFields;
  readonly values: ContractValues;
  /** The CRM's default mapping files and the lines of rules the suite names. */
  readonly mappings: ContractMappings;
  /** What the CRM's metadata can express; tests of what it cannot are skipped for it. */
  readonly capabilities: {
    /** Field-level security can make a field read-only for the integration user (`makeReadOnly`). */
    readonly readOnlyFields: boolean;
    /** Text fields have a length an admin can shorten (`shortenText`). */
    readonly textLengths: boolean;
    /** How a rerun reads accounts: only those changed since the last run, or all of them. */
    readonly rerunAccountRead: 'incremental' | 'full';
  };
  /** The CRM's daily API allowance: the config that lets a run spend all of it, and how running out reads. */
  readonly dailyQuota?: {
    readonly config: Readonly<Record<string, unknown>>;
    /** The checkpoint code a run stopped by it leaves. */
    readonly code: string;
    readonly message: RegExp;
  };
  /** The `mappings check` scenarios, which are about the CRM's own metadata. */
  readonly mappingsCheck?: MappingsCheckAdapter;
  /**
   * The CRM's standard deal type field and its expansion value (HubSpot `dealtype` = `existingbusiness`), when
   * the shipped mapping reads it: an AE's deal of that type with no motion is still an expansion deal.
   */
  readonly expansionDealType?: { readonly field: string; readonly value: string };
  /** A CRM seeded with `companies` (default: the five COMPANIES), a config and a usage file in a temp dir. */
  start(options?: ContractStartOptions): Promise<ContractCrm>;
}

export interface ContractStartOptions {
  readonly companies?: readonly TestCompany[];
  readonly usage?: readonly UsageDay[];
  /** Top-level config keys (`scoring`, `usage`). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** The account and opportunity mapping files, instead of the shipped ones. */
  readonly mappings?: { readonly account: string; readonly opportunity: string };
  /** CRM-specific keys merged into the CRM's config block (only ever values the adapter itself supplied). */
  readonly crm?: Readonly<Record<string, unknown>>;
}

/** Canonical output or input -> the CRM's field name. */
export interface ContractFields {
  readonly score: string;
  readonly health: string;
  readonly timing: string;
  readonly potentialArr: string;
  readonly topSignals: string;
  readonly reasons: string;
  readonly scoredAt: string;
  /** Read: the plan tier. */
  readonly plan: string;
  /** Read: the tenure date, optional in the shipped mapping. */
  readonly customerSince: string;
  readonly opportunityName: string;
  readonly amount: string;
  readonly stage: string;
  readonly closeDate: string;
  readonly motion: string;
  readonly expansionKey: string;
  readonly expectedValue: string;
}

export interface ContractValues {
  num(value: number): unknown;
  /** A date (YYYY-MM-DD) as the CRM returns a date field. */
  date(iso: string): unknown;
  /** A date (YYYY-MM-DD) as the CRM returns the opportunity close date (HubSpot keeps it as a datetime). */
  closeDate(iso: string): unknown;
  empty(value: unknown): boolean;
  /** The stage a created opportunity gets, one an AE moves it to, and a closed-won one. */
  readonly openStage: string;
  readonly laterStage: string;
  readonly closedStage: string;
  /** A closed-lost stage. */
  readonly lostStage: string;
}

export interface ContractMappings {
  /** The mapping files a started CRM's config names unless told otherwise (absolute paths). */
  readonly account: string;
  readonly opportunity: string;
  /** Lines (of the `- ` item) of rules in the shipped account mapping: the plan read rule, two write rules. */
  readonly planLine: number;
  readonly potentialArrLine: number;
  readonly reasonsLine: number;
}

/** A running CRM with the product configured against it. */
export interface ContractCrm {
  readonly dir: string;
  readonly configPath: string;
  run(mode?: RunMode, options?: RunOptions): Promise<RunReport>;
  /** Time passes between runs (so an incremental read sees what changed since). */
  passTime(): void;
  /** The CRM's clock: the time it stamps a record created now with. */
  clock(): Date;
  writeUsage(days: readonly UsageDay[]): Promise<void>;
  writeFile(name: string, text: string): Promise<void>;
  editConfig(changes: Readonly<Record<string, unknown>>): Promise<void>;
  withStore<T>(fn: (store: StateStore) => Promise<T>): Promise<T>;
  accountId(domain: string): string;
  /** One field of every account, by domain (null where empty). */
  accountValues(field: string): Readonly<Record<string, unknown>>;
  account(domain: string): Readonly<Record<string, unknown>>;
  opportunitiesOf(domain: string): readonly ContractRecord[];
  opportunity(id: string): Readonly<Record<string, unknown>> | undefined;
  opportunityCount(): number;
  noteCount(): number;
  notesOn(opportunityId: string): number;
  /** An edit a person makes in the CRM's UI; `null` clears a field. */
  edit(kind: RecordKind, id: string, fields: Readonly<Record<string, unknown>>): void;
  /** An AE's own open opportunity on the account; returns its id. */
  createOpportunity(domain: string, fields: Readonly<Record<string, unknown>>): string;
  /** An AE closes the opportunity, won or lost, at an amount when given (the edit an AE makes in the CRM). */
  closeOpportunity(id: string, won: boolean, amount?: number): Promise<void>;
  /** An AE moves a closed opportunity back to an open stage. */
  reopenOpportunity(id: string): Promise<void>;
  /** When the CRM created the opportunity (ISO 8601), as the CRM records it. */
  createdAt(id: string): string;
  readonly requests: {
    reset(): void;
    /** Write calls since the last reset. */
    writes(): number;
    /** Write calls that touched opportunities since the last reset. */
    opportunityWrites(): number;
  };
  /** The daily API allowance, as the CRM counts it (when the adapter has `dailyQuota`). */
  readonly quota?: {
    /** Calls counted so far (only differences are meaningful). */
    spent(): number;
    /** Leaves exactly this many calls for today. */
    leave(calls: number): void;
    /** A new day: the whole allowance again. */
    refill(): void;
  };
  /** Whether the CRM defines the field (a provisioned field may hold no value anywhere). */
  fieldExists(kind: RecordKind, name: string): Promise<boolean>;
  /** An admin deletes the field, with its values; nothing happens when it does not exist. */
  deleteField(kind: RecordKind, name: string): Promise<void>;
  /** An admin adds a date field (unless it exists). */
  addDateField(kind: RecordKind, name: string): Promise<void>;
  /** An admin edits a picklist field's allowed values. */
  restrictPicklist(kind: RecordKind, name: string, values: readonly string[]): Promise<void>;
  /** Field-level security takes edit access away from the integration user. */
  makeReadOnly?(kind: RecordKind, name: string): Promise<void>;
  /** An admin shortens a text field; stored values are cut as the CRM cuts them. */
  shortenText?(kind: RecordKind, name: string, length: number): Promise<void>;
  /** The CRM refuses writes to this account with a validation error; `message` is what it says. */
  failAccountWrites(domain: string): { readonly message: string; remove(): void };
  close(): Promise<void>;
}

export type RecordKind = 'account' | 'opportunity';

export interface ContractRecord {
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A problem `mappings check` should report: in which file, at the rule for which field. */
export interface ExpectedProblem {
  readonly file: 'account' | 'opportunity';
  readonly rule: 'read' | 'write';
  readonly field: string;
  readonly message: string;
}

/** The CRM's demo-seeded org for `mappings check`, with the CLI's config block and environment for it. */
export interface CheckOrg {
  readonly crmConfig: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string>>;
  writes(): number;
  /** Admin changes made in the org before the broken-mappings check (fields made by hand, retyped). */
  prepareBroken(): Promise<void>;
  /** A text field made by hand on opportunities that is not unique, for the non-unique-key check. */
  prepareNonUniqueKey(): Promise<void>;
  stop(): Promise<void>;
}

/** A broken copy of the shipped mappings, the org changes that go with it, and what the check must say. */
export interface BrokenMappings {
  /** Exact-once replacements in the shipped account and opportunity files. */
  readonly accountEdits: ReadonlyArray<readonly [string, string]>;
  readonly opportunityEdits: ReadonlyArray<readonly [string, string]>;
  readonly errors: readonly ExpectedProblem[];
  readonly warnings: readonly ExpectedProblem[];
  /** The 1-based rule lines of the edited account rules, by field, in the edited file. */
  readonly accountLines: Readonly<Record<string, number>>;
  /** Fields reported as notes (the first sync creates them); undefined: not checked. */
  readonly notes?: readonly string[];
  readonly summary: RegExp;
}

export interface MappingsCheckAdapter {
  /** The connector's mapping config keys (`companies`/`deals`, `accounts`/`opportunities`). */
  readonly keys: { readonly account: string; readonly opportunity: string };
  /** The notes on a fresh org and the line of the first one (the account score rule). */
  readonly freshNotes: number;
  readonly scoreLine: number;
  startOrg(): Promise<CheckOrg>;
  readonly broken: BrokenMappings;
  /** An upsert key moved to a field that is not unique: the field's creation, and the edits. */
  readonly nonUniqueKey: {
    readonly accountEdit: readonly [string, string];
    readonly opportunityEdit: readonly [string, string];
    /** The account field the edit names (missing), the old key field, the new one. */
    readonly fields: { readonly missing: string; readonly oldKey: string; readonly newKey: string };
  };
}
