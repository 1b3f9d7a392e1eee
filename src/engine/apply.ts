import { clipMessage } from '../clip.ts';
import { errorMessage, isSyncError, type FailureKind } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { StateStore } from '../state/store.ts';
import type { CrmConnector, NoteCreate, PendingNote, WriteOutcome } from './crm.ts';
import { IN_FLIGHT_STREAM, type InFlight } from './in-flight.ts';
import type { PitchSnapshot } from '../outcomes/types.ts';
import type { PlannedAccountUpdate, PlannedNote, PlannedOpportunity, PlannedPitch, WritePlan } from './plan.ts';

export interface WriteCounts {
  created: number;
  updated: number;
  failed: number;
  /** Created in the CRM but not linked to their account (HubSpot's association failed); retried next run. */
  unlinked?: number;
}
export interface WriteFailure {
  readonly object: string;
  readonly recordKey: string;
  readonly accountName: string;
  readonly code: string;
  readonly message: string;
}

export interface ApplyResult {
  readonly writes: Record<'account' | 'opportunity' | 'note', WriteCounts>;
  readonly failures: readonly WriteFailure[];
  /** Accounts whose update the CRM confirmed, by id. */
  readonly updatedAccounts: readonly string[];
  /**
   * Set when the run had to stop early (a daily API quota, credentials the CRM rejected mid-run, a shutdown):
   * the next run resumes from the ledger. `kind` is the failure that stopped it (absent for a shutdown).
   */
  readonly stopped?: RunStop;
}

export interface RunStop {
  readonly code: string;
  readonly message: string;
  readonly phase: string;
  readonly kind?: StopKind;
}

/** The failures of a whole call that stop the run instead of failing its records: no record is to blame. */
export type StopKind = Extract<FailureKind, 'quota' | 'auth'>;
const STOP_KINDS: ReadonlySet<FailureKind> = new Set<StopKind>(['quota', 'auth']);

/** What applying a plan needs of the connector: its object names, batch sizes and the batch writers. */
export type ApplyConnector = Pick<
  CrmConnector,
  | 'system'
  | 'objects'
  | 'maxBatchSize'
  | 'batchSize'
  | 'updateAccounts'
  | 'upsertOpportunities'
  | 'createNotes'
  | 'findNotes'
>;

export interface ApplyOptions {
  readonly plan: WritePlan;
  readonly crm: ApplyConnector;
  readonly store: StateStore;
  readonly runId: string;
  readonly now: () => Date;
  readonly log: Logger;
  readonly onProgress?: (done: number, total: number) => void;
  /** Aborted (SIGTERM/SIGINT): the batch in flight finishes and its outcomes are recorded, then the run stops. */
  readonly signal?: AbortSignal;
  /** The sync's name: the field writes in flight are kept under it until their outcomes are recorded. */
  readonly sync?: string;
}

/** The stop code of a run asked to stop (SIGTERM, SIGINT); the next run resumes from the ledger. */
export const SHUTDOWN_CODE = 'shutdown';

class StopRun extends Error {
  readonly code: string;
  readonly kind: StopKind | undefined;
  constructor(code: string, message: string, kind?: StopKind) {
    super(message);
    this.code = code;
    this.kind = kind;
  }
}

/** One kind of record sent in CRM-sized batches: how to name, send and record each. */
interface Batch<T> {
  readonly phase: Phase;
  readonly object: string;
  readonly items: readonly T[];
  ref(item: T): string;
  name(item: T): string;
  /** What the failed-write queue keeps of a record that failed. */
  payload(item: T): unknown;
  /** Write-ahead: ledger entries made before the CRM call, so a crash leaves a trace to reconcile. */
  writeAhead?(items: readonly T[]): Promise<void>;
  /** The field values a call sends, kept until its outcomes are recorded (src/engine/in-flight.ts). */
  inFlight?(items: readonly T[]): InFlight['records'];
  send(items: readonly T[]): Promise<readonly WriteOutcome[]>;
  /** Records a write the CRM confirmed. */
  confirmed(item: T, outcome: WriteOutcome & { crmId: string }): Promise<void>;
  /** Records a record the CRM holds but could not link to its account: not done, retried next run. */
  unlinked?(item: T, outcome: WriteOutcome & { crmId: string }): Promise<void>;
}

type Phase = 'account' | 'opportunity' | 'note';

/**
 * Applies a plan in CRM-sized batches. Each batch's outcomes go to the ledger before the next batch is
 * sent, so a crash or a stop re-sends at most the batch in flight, and that batch is idempotent.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const sender = new BatchSender(options);
  const updatedAccounts: string[] = [];
  try {
    await adoptRecords(options);
    await sender.send(accountBatch(options, updatedAccounts));
    await sender.send(opportunityBatch(options));
    await sender.send(noteBatch(options, await resolveNotes(options)));
  } catch (thrown) {
    // A spent quota or rejected credentials outside a batch call (the note lookups) stop the run the same way.
    const error =
      isSyncError(thrown) && STOP_KINDS.has(thrown.kind)
        ? new StopRun(thrown.code, thrown.message, thrown.kind as StopKind)
        : thrown;
    if (!(error instanceof StopRun)) throw error;
    const stopped: RunStop = {
      code: error.code,
      message: error.message,
      phase: 'apply',
      ...(error.kind ? { kind: error.kind } : {}),
    };
    return { writes: sender.writes, failures: sender.failures, updatedAccounts, stopped };
  }
  return { writes: sender.writes, failures: sender.failures, updatedAccounts };
}

/**
 * The one batch sender every kind of record goes through: splits into the connector's batch size, stops
 * between batches when asked to, turns a failed call into one failed outcome per record, and records each
 * outcome (ledger or failed-write queue) before the next batch is sent.
 */
class BatchSender {
  readonly writes: Record<Phase, WriteCounts> = { account: zero(), opportunity: zero(), note: zero() };
  readonly failures: WriteFailure[] = [];
  private done = 0;
  private readonly total: number;
  private readonly options: ApplyOptions;

  constructor(options: ApplyOptions) {
    this.options = options;
    const { plan } = options;
    this.total = plan.accountUpdates.length + plan.opportunities.length + plan.notes.length;
  }

  async send<T>(batch: Batch<T>): Promise<void> {
    const { crm } = this.options;
    const size = Math.max(1, crm.batchSize?.(batch.phase, batch.items.length) ?? crm.maxBatchSize);
    for (let start = 0; start < batch.items.length; start += size) {
      if (this.options.signal?.aborted) {
        const left = `${this.done} of ${this.total} writes done, the rest follow on the next run`;
        throw new StopRun(SHUTDOWN_CODE, `asked to stop; ${left}`);
      }
      const items = batch.items.slice(start, start + size);
      const outcomes = await this.call(batch, items);
      const byRef = new Map(items.map((item) => [batch.ref(item), item]));
      for (const outcome of outcomes) {
        const item = byRef.get(outcome.ref);
        if (item !== undefined) await this.record(batch, item, outcome);
      }
      if (batch.inFlight && this.options.sync)
        await this.options.store.clearCheckpoint(this.options.sync, IN_FLIGHT_STREAM);
      this.done += items.length;
      this.options.onProgress?.(this.done, this.total);
    }
  }

  /**
   * One CRM call. A spent quota or rejected credentials stop the run, with no record marked failed: the
   * next run resumes from the ledger. Any other failure of the whole call fails each record in it; only a
   * data failure (the CRM rejected what we sent) is non-retryable and counts toward writeBack.maxRetries.
   * An outage (5xx or a timeout after the retry layer gave up) is retryable: its records are sent again on
   * the next run however often it happened.
   */
  private async call<T>(batch: Batch<T>, items: readonly T[]): Promise<readonly WriteOutcome[]> {
    try {
      await batch.writeAhead?.(items);
      const { sync, store, runId } = this.options;
      if (batch.inFlight && sync)
        await store.setCheckpoint(sync, IN_FLIGHT_STREAM, {
          runId,
          object: batch.object,
          records: batch.inFlight(items),
        } satisfies InFlight);
      return await batch.send(items);
    } catch (error) {
      return failedOutcomes(this.options, {
        object: batch.object,
        refs: items.map((item) => batch.ref(item)),
        error,
      });
    }
  }

  private async record<T>(batch: Batch<T>, item: T, outcome: WriteOutcome): Promise<void> {
    const { store, crm } = this.options;
    if (outcome.status === 'failed') {
      this.writes[batch.phase].failed += 1;
      await this.remember(batch, item, outcome);
      return;
    }
    if (outcome.unlinked && batch.unlinked) {
      // It exists in the CRM, unattached: its own outcome, neither created nor failed, and sent again next run.
      const counts = this.writes[batch.phase];
      counts.unlinked = (counts.unlinked ?? 0) + 1;
      await batch.unlinked(item, outcome);
      await this.remember(batch, item, { ref: outcome.ref, ...outcome.unlinked, retryable: true });
      return;
    }
    this.writes[batch.phase][outcome.status] += 1;
    await batch.confirmed(item, outcome);
    await store.clearFailure({ system: crm.system, objectType: batch.object, recordKey: outcome.ref });
  }

  /** A record not done this run: listed in the report and queued in the store with the CRM's message, cut short. */
  private async remember<T>(
    batch: Batch<T>,
    item: T,
    failure: { readonly ref: string; readonly code: string; readonly message: string; readonly retryable: boolean },
  ): Promise<void> {
    const { store, runId, crm } = this.options;
    const { code, retryable } = failure;
    const message = clipMessage(failure.message);
    this.failures.push({ object: batch.object, recordKey: failure.ref, accountName: batch.name(item), code, message });
    const at = this.options.now().toISOString();
    const ref = { system: crm.system, objectType: batch.object, recordKey: failure.ref };
    await store.recordFailure({ ...ref, runId, code, message, retryable, payload: batch.payload(item), at });
  }
}

/**
 * A failed call as one failed outcome per record; a spent quota or rejected credentials stop the run
 * instead (thrown as StopRun).
 */
function failedOutcomes(
  options: ApplyOptions,
  failed: { readonly object: string; readonly refs: readonly string[]; readonly error: unknown },
): WriteOutcome[] {
  const { error, refs, object } = failed;
  if (isSyncError(error) && STOP_KINDS.has(error.kind)) {
    throw new StopRun(error.code, error.message, error.kind as StopKind);
  }
  const code = isSyncError(error) ? error.code : 'write_failed';
  const retryable = !isSyncError(error) || error.kind !== 'data';
  const message = errorMessage(error);
  options.log.error({ object, records: refs.length, code }, `batch write failed: ${message}`);
  return refs.map((ref) => ({ ref, status: 'failed' as const, code, message, retryable }));
}

/** Records whose CRM values already equal the plan's go into the ledger as ours, with no CRM call. */
async function adoptRecords(options: ApplyOptions): Promise<void> {
  const { store, crm, runId } = options;
  for (const adopt of options.plan.adopt) {
    const { object: objectType, recordKey, fields } = adopt;
    await store.recordWrite({
      system: crm.system,
      objectType,
      recordKey,
      fields,
      runId,
      at: options.now().toISOString(),
    });
  }
}

function accountBatch(options: ApplyOptions, updatedAccounts: string[]): Batch<PlannedAccountUpdate> {
  const { crm, store, runId } = options;
  const object = crm.objects.account;
  return {
    phase: 'account',
    object,
    items: options.plan.accountUpdates,
    ref: (u) => u.accountId,
    name: (u) => u.accountName,
    payload: (u) => u.fields,
    inFlight: (items) => items.map((u) => ({ key: u.accountId, fields: u.fields })),
    send: (items) => crm.updateAccounts(items.map((u) => ({ accountId: u.accountId, fields: u.fields }))),
    confirmed: async (u) => {
      updatedAccounts.push(u.accountId);
      const at = options.now().toISOString();
      await store.recordWrite({
        system: crm.system,
        objectType: object,
        recordKey: u.accountId,
        fields: u.fields,
        runId,
        at,
      });
    },
  };
}

function opportunityBatch(options: ApplyOptions): Batch<PlannedOpportunity> {
  const { crm, store, runId } = options;
  const { system } = crm;
  const object = crm.objects.opportunity;
  const artifact = (o: PlannedOpportunity) => ({
    system,
    key: o.key,
    kind: 'opportunity' as const,
    accountId: o.accountId,
    runId,
    updatedAt: options.now().toISOString(),
  });
  return {
    phase: 'opportunity',
    object,
    items: options.plan.opportunities,
    ref: (o) => o.key,
    name: (o) => o.accountName,
    payload: (o) => o.fields,
    inFlight: (items) => items.map((o) => ({ key: o.key, fields: o.fields })),
    writeAhead: async (items) => {
      for (const o of items) if (o.create) await store.putArtifact({ ...artifact(o), status: 'pending' });
    },
    send: (items) =>
      crm.upsertOpportunities(
        items.map((o) => ({
          key: o.key,
          accountId: o.accountId,
          create: o.create,
          fields: o.fields,
          ...(o.crmId ? { crmId: o.crmId } : {}),
        })),
      ),
    confirmed: async (o, outcome) => {
      await store.putArtifact({ ...artifact(o), status: 'done', crmId: outcome.crmId });
      const at = options.now().toISOString();
      await store.recordWrite({ system, objectType: object, recordKey: o.key, fields: o.fields, runId, at });
      // A deal we created is a pitch: what the AE was shown is kept once, under our key.
      if (o.create && o.pitch) await store.savePitches([snapshotOf(options, o.key, o, o.pitch)]);
    },
    // Pending with its id: the next run upserts it again on its key (no second deal) and links it then.
    unlinked: (o, outcome) => store.putArtifact({ ...artifact(o), status: 'pending', crmId: outcome.crmId }),
  };
}

function noteBatch(options: ApplyOptions, notes: readonly NoteToSend[]): Batch<NoteToSend> {
  const { crm, store, runId } = options;
  const artifact = (n: NoteToSend) => ({
    system: crm.system,
    key: n.key,
    kind: 'note' as const,
    accountId: n.accountId,
    parentKey: n.opportunityId,
    runId,
    updatedAt: options.now().toISOString(),
  });
  return {
    phase: 'note',
    object: crm.objects.note,
    items: notes,
    ref: (n) => n.key,
    name: (n) => n.accountName ?? n.accountId,
    payload: (n) => ({ title: n.title }),
    writeAhead: async (items) => {
      for (const n of items) await store.putArtifact({ ...artifact(n), status: 'pending' });
    },
    send: (items) => createNotesConfirmed(options, items),
    confirmed: async (n, outcome) => {
      await store.putArtifact({ ...artifact(n), status: 'done', crmId: outcome.crmId });
      // Our evidence on an AE's own deal adopts it: that is a pitch too, kept under the deal's CRM id.
      if (n.pitch) await store.savePitches([snapshotOf(options, `adopted:${n.opportunityId}`, n, n.pitch)]);
    },
  };
}

type NoteToSend = NoteCreate & {
  readonly accountName?: string;
  readonly pitch?: PlannedPitch;
  readonly propensity?: number;
};

/** The pitch snapshot of a confirmed write (src/outcomes/types.ts). Without exploration every pitch has propensity 1. */
function snapshotOf(
  options: ApplyOptions,
  key: string,
  item: { readonly accountId: string; readonly propensity?: number },
  pitch: PlannedPitch,
): PitchSnapshot {
  return {
    system: options.crm.system,
    key,
    accountId: item.accountId,
    ...pitch,
    runId: options.runId,
    pitchedAt: options.now().toISOString(),
    signals: pitch.signals.map((s) => ({ id: s.id, strength: s.strength })),
    propensity: item.propensity ?? 1,
  };
}

/** How often one note batch is sent: after each ambiguous failure the notes are looked up before a resend. */
const NOTE_SEND_ROUNDS = 3;

/** A failure after which the CRM may have saved the records: the call policy did not resend the create. */
function isAmbiguous(error: unknown): boolean {
  return isSyncError(error) && error.details['ambiguous'] === true;
}

const pendingOf = (n: NoteToSend): PendingNote => ({
  key: n.key,
  opportunityId: n.opportunityId,
  accountId: n.accountId,
  title: n.title,
});

/**
 * Creates a batch of notes, never twice. A create is not idempotent: after an ambiguous failure (a 5xx or a
 * dropped connection once the request was sent) the CRM may hold the notes while we hold no answer. Then
 * the batch's notes are looked up by their reference: the ones found count as created, with their CRM id,
 * and only the others are sent again. What the report counts is what the CRM confirmed.
 */
async function createNotesConfirmed(options: ApplyOptions, items: readonly NoteToSend[]): Promise<WriteOutcome[]> {
  const { crm, log } = options;
  const confirmed: WriteOutcome[] = [];
  let left = items;
  for (let round = 1; left.length > 0; round += 1) {
    try {
      return [...confirmed, ...(await crm.createNotes(left))];
    } catch (error) {
      const retry = isAmbiguous(error) && round < NOTE_SEND_ROUNDS;
      if (!retry && confirmed.length === 0) throw error;
      if (!retry)
        return [...confirmed, ...failedOutcomes(options, { object: crm.objects.note, refs: keys(left), error })];
      log.warn(
        { object: crm.objects.note, records: left.length, code: isSyncError(error) ? error.code : undefined },
        `note create unconfirmed, looking the notes up by their reference before sending again: ${errorMessage(error)}`,
      );
      let found: ReadonlyMap<string, string>;
      try {
        found = await crm.findNotes(left.map(pendingOf));
      } catch (lookupError) {
        if (confirmed.length === 0) throw lookupError;
        return [
          ...confirmed,
          ...failedOutcomes(options, { object: crm.objects.note, refs: keys(left), error: lookupError }),
        ];
      }
      for (const n of left) {
        const crmId = found.get(n.key);
        if (crmId !== undefined) confirmed.push({ ref: n.key, status: 'created', crmId });
      }
      left = left.filter((n) => !found.has(n.key));
    }
  }
  return confirmed;
}

const keys = (notes: readonly NoteToSend[]): string[] => notes.map((n) => n.key);

/**
 * Finds each note's opportunity id and drops notes already in the CRM. A note is looked up by its reference
 * first when it may exist: its write-ahead entry is pending (a crash, a lost answer), or its opportunity was
 * in the CRM before this run while the store holds no confirmed note for it (the store was deleted, or
 * restored from an older copy). A note on an opportunity created in this very run cannot exist yet.
 */
async function resolveNotes(options: ApplyOptions): Promise<NoteToSend[]> {
  const { store, crm } = options;
  const withIds: Array<PlannedNote & { opportunityId: string; lookup: boolean }> = [];
  for (const note of options.plan.notes) {
    const id =
      note.opportunityId ??
      (note.opportunityKey ? (await store.getArtifact(crm.system, note.opportunityKey))?.crmId : undefined);
    // No id yet: the opportunity write failed this run. The note is planned again next run.
    if (id) withIds.push({ ...note, opportunityId: id, lookup: note.pending || note.opportunityId !== undefined });
  }
  const pending = withIds
    .filter((n) => n.lookup)
    .map((n) => ({ key: n.key, opportunityId: n.opportunityId, accountId: n.accountId, title: n.title }));
  const found = pending.length > 0 ? await crm.findNotes(pending) : new Map<string, string>();
  const at = options.now().toISOString();
  for (const [key, crmId] of found) {
    const note = withIds.find((n) => n.key === key);
    if (note)
      await store.putArtifact({
        system: crm.system,
        key,
        kind: 'note',
        status: 'done',
        crmId,
        accountId: note.accountId,
        parentKey: note.opportunityId,
        runId: options.runId,
        updatedAt: at,
      });
  }
  return withIds
    .filter((n) => !found.has(n.key))
    .map((n) => ({
      key: n.key,
      accountId: n.accountId,
      accountName: n.accountName,
      opportunityId: n.opportunityId,
      title: n.title,
      body: n.body,
      ...(n.pitch ? { pitch: n.pitch } : {}),
      ...(n.propensity === undefined ? {} : { propensity: n.propensity }),
    }));
}

const zero = (): WriteCounts => ({ created: 0, updated: 0, failed: 0 });
