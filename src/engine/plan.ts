import type { Account, CrmOpportunity, CrmSystem } from '../model/account.ts';
import type { Assessment, ExpansionOpportunity, Health, Timing } from '../model/assessment.ts';
import { ownerLabel, type Withheld } from '../format.ts';
import type { Artifact, FailedWrite } from '../state/store.ts';
import { decideField, type FieldDecision, type Normalize, type WritePolicy } from './plan-fields.ts';
import { accountOutputs, noteFingerprint, opportunityKey, opportunityOutputs, type Outputs } from './outputs.ts';

/** A write mapping turned into a function: canonical outputs -> CRM fields with their policies. */
export type WriteFieldsFn = (outputs: Outputs) => ReadonlyArray<{
  readonly field: string;
  readonly from: string;
  readonly value: string | null;
  readonly policy: WritePolicy;
}>;

export interface PlanInput {
  readonly system: CrmSystem;
  readonly asOf: string;
  readonly cycle: string;
  readonly pipeline: string;
  readonly stage: string;
  readonly notesEnabled: boolean;
  readonly maxRetries: number;
  readonly items: ReadonlyArray<{ readonly account: Account; readonly assessment: Assessment }>;
  readonly currentAccountValues: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  readonly accountLedgers: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  readonly opportunities: readonly CrmOpportunity[];
  readonly opportunityLedgers: ReadonlyMap<string, Readonly<Record<string, string | null>>>;
  readonly artifacts: ReadonlyMap<string, Artifact>;
  /** Keyed by `${object}:${recordKey}`. */
  readonly failures: ReadonlyMap<string, FailedWrite>;
  readonly accountFields: WriteFieldsFn;
  readonly opportunityFields: WriteFieldsFn;
  readonly normalizeAccount: Normalize;
  readonly normalizeOpportunity: Normalize;
  readonly objects: { readonly account: string; readonly opportunity: string };
  /** Module id -> catalog label, for cross-sell deal names. */
  readonly moduleLabels?: Readonly<Record<string, string>>;
  /** The CRM fields provisioning (re)created this run, per object: empty because new, not cleared by a person. */
  readonly createdFields?: { readonly account: ReadonlySet<string>; readonly opportunity: ReadonlySet<string> };
  /**
   * `state rebuild`: take the CRM's current values of every record we wrote (our scored-at stamp on an
   * account, our key on a deal) as the ledger, whatever the store holds.
   */
  readonly rebuild?: boolean;
  /** Which narrative templates wrote the talking points (`templatesVersion()`), kept with each pitch. */
  readonly narrativeVersion?: string;
}

/**
 * What the AE is shown when the worker pitches (creates its deal, or attaches its note to an AE's deal): kept
 * as the pitch snapshot once the CRM confirms the write, so an outcome is judged against this evidence.
 */
export interface PlannedPitch {
  readonly motion: ExpansionOpportunity['motion'];
  readonly module?: string;
  readonly ownerId?: string;
  readonly asOf: string;
  readonly signals: ReadonlyArray<{ readonly id: string; readonly strength: number }>;
  readonly score: number;
  readonly probability: number;
  readonly timing: Timing;
  readonly health: Health;
  readonly potentialArr: number;
  readonly narrativeVersion: string;
}

export interface FieldDiff {
  readonly field: string;
  readonly from: string | null;
  readonly to: string | null;
}

export interface PlannedAccountUpdate {
  readonly accountId: string;
  readonly accountName: string;
  readonly fields: Readonly<Record<string, string | null>>;
  readonly diffs: readonly FieldDiff[];
}
export interface PlannedOpportunity {
  readonly key: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly create: boolean;
  readonly crmId?: string;
  readonly fields: Readonly<Record<string, string | null>>;
  readonly diffs: readonly FieldDiff[];
  /** The probability it was pitched under the holdout and exploration settings; kept on its pitch snapshot. */
  readonly propensity?: number;
  /** On a create: the evidence pitched, saved as its snapshot once the CRM confirms the deal. */
  readonly pitch?: PlannedPitch;
}
export interface PlannedNote {
  readonly key: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly opportunityKey?: string;
  readonly opportunityId?: string;
  readonly title: string;
  readonly body: string;
  readonly pending: boolean;
  /** As on PlannedOpportunity: an AE's deal our note adopts is pitched with this probability. */
  readonly propensity?: number;
  /** On a note attached to an AE's deal (adopted): the evidence pitched, saved once the note is confirmed. */
  readonly pitch?: PlannedPitch;
}

export type SkipReason =
  'conflict' | 'closed' | 'deleted_in_crm' | 'ae_opportunity' | 'retry_cap' | 'kept' | 'queued' | 'withheld';
export interface PlannedSkip {
  readonly object: string;
  readonly recordKey: string;
  readonly accountName: string;
  readonly reason: SkipReason;
  readonly field?: string;
  readonly detail: string;
}

export interface WritePlan {
  readonly accountUpdates: readonly PlannedAccountUpdate[];
  readonly opportunities: readonly PlannedOpportunity[];
  readonly notes: readonly PlannedNote[];
  readonly skips: readonly PlannedSkip[];
  /** Records whose CRM values already equal what we want but are not yet in the ledger. */
  readonly adopt: ReadonlyArray<{
    readonly object: string;
    readonly recordKey: string;
    readonly fields: Readonly<Record<string, string | null>>;
  }>;
}

interface Collector {
  accountUpdates: PlannedAccountUpdate[];
  opportunities: PlannedOpportunity[];
  notes: PlannedNote[];
  skips: PlannedSkip[];
  adopt: Array<{ object: string; recordKey: string; fields: Record<string, string | null> }>;
}

/** Pure: desired CRM state vs the ledger vs current CRM values -> the writes to make. */
export function planWrites(input: PlanInput): WritePlan {
  const out: Collector = { accountUpdates: [], opportunities: [], notes: [], skips: [], adopt: [] };
  const oppsByAccount = groupBy(input.opportunities, (opp) => opp.accountId);
  for (const { account, assessment } of input.items) {
    const behind = planAccountFields(input, out, account, assessment);
    const recovering =
      behind || input.rebuild === true ? { ...input, opportunityLedgers: withoutLedgersOf(input, account.id) } : input;
    for (const opportunity of assessment.opportunities) {
      const existing = oppsByAccount.get(account.id) ?? [];
      planOpportunity(recovering, out, {
        account,
        opportunity,
        existing,
        pitch: pitchOf(input, assessment, opportunity),
      });
    }
  }
  return out;
}

/**
 * Whether the store is behind the CRM for this account: the CRM holds our scored-at stamp, and the ledger
 * either knows nothing of the account (a lost or fresh store) or holds an older stamp (a store restored from
 * a backup, or a crash between the write and its record). Our stamp is written with every change of the score
 * fields, so the CRM's values are then those of our own later write, not a person's edits. A ledger that
 * knows the account but has no stamp (the rule was added later) is not taken as behind.
 */
function ledgerBehind(
  input: PlanInput,
  ledger: Readonly<Record<string, string | null>> | undefined,
  current: Readonly<Record<string, string | null>>,
  stampFields: readonly string[],
): boolean {
  const stamp = stampFields.find((field) => !isBlank(current[field]));
  if (stamp === undefined) return false;
  if (input.rebuild === true || ledger === undefined || Object.keys(ledger).length === 0) return true;
  const ours = input.normalizeAccount(stamp, ledger[stamp]);
  const theirs = input.normalizeAccount(stamp, current[stamp]);
  return ours !== null && theirs !== null && theirs > ours;
}

const isBlank = (value: string | null | undefined): boolean => value === null || value === undefined || value === '';

/** The deal ledgers less this account's deals: their CRM values are taken as ours, as the account's are. */
function withoutLedgersOf(input: PlanInput, accountId: string): PlanInput['opportunityLedgers'] {
  const keys = new Set(
    input.opportunities.filter((o) => o.accountId === accountId && o.expansionKey).map((o) => o.expansionKey),
  );
  return new Map([...input.opportunityLedgers].filter(([key]) => !keys.has(key)));
}

/**
 * A record the CRM rejected (a non-retryable, record-level failure such as validation) writeBack.maxRetries
 * times is skipped until `runs retry`. A retryable failure (an outage, 5xx or timeout after retries) never
 * caps a record: the next healthy run sends it again, however many outage runs came before.
 */
function capped(
  input: PlanInput,
  out: Collector,
  ref: { object: string; recordKey: string; accountName: string },
): boolean {
  const failure = input.failures.get(`${ref.object}:${ref.recordKey}`);
  if (!failure || failure.retryable || failure.attempts < input.maxRetries) return false;
  out.skips.push({
    ...ref,
    reason: 'retry_cap',
    detail: `failed ${failure.attempts} times; last error: ${failure.message}`,
  });
  return true;
}

/** Plans one account's score fields; returns whether the store was behind the CRM for it (its ledger adopted). */
function planAccountFields(input: PlanInput, out: Collector, account: Account, assessment: Assessment): boolean {
  const ref = { object: input.objects.account, recordKey: account.id, accountName: account.name };
  const current = input.currentAccountValues.get(account.id) ?? {};
  const targets = input.accountFields(accountOutputs(assessment));
  // The scored-at stamp marks the last change of the score fields: it alone never causes a write.
  const stampFields = new Set(targets.filter((t) => t.from === 'scoredAt').map((t) => t.field));
  const stored = input.accountLedgers.get(account.id);
  const behind = ledgerBehind(input, stored, current, [...stampFields]);
  if (capped(input, out, ref)) return behind;
  let ledger = stored ?? {};
  if (behind) {
    ledger = Object.fromEntries(
      targets.filter((t) => t.field in current).map((t) => [t.field, current[t.field] ?? null]),
    );
    out.adopt.push({ object: ref.object, recordKey: account.id, fields: { ...ledger } });
  }
  const decisions = targets.map((target) =>
    decideField(
      {
        field: target.field,
        policy: target.policy,
        desired: target.value,
        current: current[target.field] ?? null,
        ledger: ledger[target.field],
        creating: false,
        createdThisRun: input.createdFields?.account.has(target.field) === true,
      },
      input.normalizeAccount,
    ),
  );
  const substantive = decisions.some((d) => d.action === 'write' && !stampFields.has(d.field));
  const writes = decisions.filter((d) => d.action === 'write' && (substantive || !stampFields.has(d.field)));
  collectSkips(out, ref, decisions);
  if (!behind) collectAdoption(out, ref, decisions, ledger, targets);
  if (writes.length > 0)
    out.accountUpdates.push({ accountId: account.id, accountName: account.name, ...toFields(writes) });
  return behind;
}

/** Why a withheld opportunity gets no CRM opportunity and no note (it stays in the stored assessment). */
const WITHHELD_DETAIL: Readonly<Record<Withheld, string>> = {
  renewal_evaluation: 'identified inside the renewal evaluation window, held for the renewal conversation',
  ramping: 'identified on a customer still ramping (too new to pitch)',
  watch: "identified by resemblance alone (watch), not confirmed by the account's own usage",
  holdout: 'account in the never-pitched holdout (learning.holdoutShare)',
};

interface OpportunityContext {
  readonly account: Account;
  readonly opportunity: ExpansionOpportunity;
  readonly existing: readonly CrmOpportunity[];
  readonly pitch: PlannedPitch;
}

/** The pitch of one opportunity: its signals with their strengths, the account's score and health. */
function pitchOf(input: PlanInput, assessment: Assessment, opportunity: ExpansionOpportunity): PlannedPitch {
  const strengths = new Map(assessment.signals.map((s) => [s.id, s.strength]));
  return {
    motion: opportunity.motion,
    ...(opportunity.module === undefined ? {} : { module: opportunity.module }),
    asOf: input.asOf,
    signals: opportunity.signalIds.map((id) => ({ id, strength: strengths.get(id) ?? 0 })),
    score: assessment.score,
    probability: opportunity.probability,
    timing: opportunity.timing,
    health: assessment.health,
    potentialArr: opportunity.arrPotential,
    narrativeVersion: input.narrativeVersion ?? 'unknown',
  };
}

function planOpportunity(input: PlanInput, out: Collector, ctx: OpportunityContext): void {
  const { account, opportunity } = ctx;
  const sameMotion = ctx.existing.filter((opp) => opp.motion === opportunity.motion && !opp.closed);
  // One of ours per module for cross-sell: the key stem (key less its cycle) tells modules apart.
  const stem = opportunityKey({
    system: input.system,
    accountId: account.id,
    motion: opportunity.motion,
    module: opportunity.module,
    cycle: '',
  });
  const ours = sameMotion.find((opp) => opp.expansionKey?.startsWith(stem) === true);
  const theirs = sameMotion.find((opp) => opp.expansionKey === undefined);
  if (opportunity.withheld !== undefined) {
    skipWithheld(input, out, { account, opportunity, withheld: opportunity.withheld, ours });
    return;
  }
  if (!ours && theirs) {
    // An AE already works this motion on this account: we do not compete, we attach our evidence.
    out.skips.push({
      object: input.objects.opportunity,
      recordKey: theirs.id,
      accountName: account.name,
      reason: 'ae_opportunity',
      detail: `open ${opportunity.motion} opportunity ${theirs.id} owned by a person; evidence attached as a note`,
    });
    planNote(input, out, { account, opportunity, opportunityId: theirs.id, noteOwner: theirs.id, pitch: ctx.pitch });
    return;
  }
  const key =
    ours?.expansionKey ??
    opportunityKey({
      system: input.system,
      accountId: account.id,
      motion: opportunity.motion,
      module: opportunity.module,
      cycle: input.cycle,
    });
  const inCrm = ours ?? ctx.existing.find((opp) => opp.expansionKey === key);
  const ref = { object: input.objects.opportunity, recordKey: key, accountName: account.name };
  if (inCrm?.closed) {
    out.skips.push({
      ...ref,
      reason: 'closed',
      detail: `opportunity ${inCrm.id} is closed${inCrm.won ? ' (won)' : ''}; never reopened or edited`,
    });
    return;
  }
  const artifact = input.artifacts.get(key);
  if (!inCrm && artifact?.status === 'done' && artifact.crmId) {
    out.skips.push({
      ...ref,
      reason: 'deleted_in_crm',
      detail: `opportunity ${artifact.crmId} was deleted in the CRM; not recreated this cycle`,
    });
    return;
  }
  if (!inCrm && opportunity.priority?.queued === true) {
    const owner = account.ownerId === undefined ? 'the unowned queue' : ownerLabel(account);
    out.skips.push({
      ...ref,
      reason: 'queued',
      detail: `owner ${owner} is at capacity for new opportunities this period; ranked ${opportunity.priority.rank}, created when capacity frees up`,
    });
    return;
  }
  if (capped(input, out, ref)) return;
  const outputs = opportunityOutputs({
    account,
    opportunity,
    key,
    asOf: input.asOf,
    pipeline: input.pipeline,
    stage: input.stage,
    ...(input.moduleLabels ? { moduleLabels: input.moduleLabels } : {}),
  });
  const targets = input.opportunityFields(outputs);
  if (!inCrm) {
    const decisions = targets.map((t) =>
      decideField(
        { field: t.field, policy: t.policy, desired: t.value, current: undefined, ledger: undefined, creating: true },
        input.normalizeOpportunity,
      ),
    );
    out.opportunities.push({
      key,
      accountId: account.id,
      accountName: account.name,
      create: true,
      ...toFields(decisions),
      ...propensityOf(opportunity),
      pitch: { ...ctx.pitch, ...(account.ownerId === undefined ? {} : { ownerId: account.ownerId }) },
    });
  } else {
    planOpportunityUpdate(input, out, { key, inCrm, targets, accountName: account.name, accountId: account.id });
  }
  planNote(input, out, {
    account,
    opportunity,
    opportunityKey: key,
    ...(inCrm ? { opportunityId: inCrm.id } : {}),
    noteOwner: key,
  });
}

interface WithheldContext {
  readonly account: Account;
  readonly opportunity: ExpansionOpportunity;
  readonly withheld: Withheld;
  readonly ours: CrmOpportunity | undefined;
}

/** Identified, not pitched: never a new CRM opportunity, never a note, and ours already open is not touched. */
function skipWithheld(input: PlanInput, out: Collector, ctx: WithheldContext): void {
  const { account, opportunity, ours } = ctx;
  const { motion, module } = opportunity;
  const recordKey =
    ours?.expansionKey ??
    opportunityKey({ system: input.system, accountId: account.id, motion, module, cycle: input.cycle });
  const left = ours ? `; our open opportunity ${ours.id} is left as it is` : '';
  const detail = `${WITHHELD_DETAIL[ctx.withheld]}: no opportunity or note${left}`;
  out.skips.push({
    object: input.objects.opportunity,
    recordKey,
    accountName: account.name,
    reason: 'withheld',
    detail,
  });
}

interface UpdateContext {
  readonly key: string;
  readonly inCrm: CrmOpportunity;
  readonly targets: ReturnType<WriteFieldsFn>;
  readonly accountName: string;
  readonly accountId: string;
}

function planOpportunityUpdate(input: PlanInput, out: Collector, ctx: UpdateContext): void {
  const ref = { object: input.objects.opportunity, recordKey: ctx.key, accountName: ctx.accountName };
  // A deal carrying our key that the ledger does not know was written by a run that crashed before
  // recording it: its current values are ours.
  const ledger = input.opportunityLedgers.get(ctx.key) ?? ctx.inCrm.values;
  const decisions = ctx.targets.map((t) =>
    decideField(
      {
        field: t.field,
        policy: t.policy,
        desired: t.value,
        current: ctx.inCrm.values[t.field] ?? null,
        ledger: ledger[t.field],
        creating: false,
        createdThisRun: input.createdFields?.opportunity.has(t.field) === true,
      },
      input.normalizeOpportunity,
    ),
  );
  collectSkips(out, ref, decisions);
  if (!input.opportunityLedgers.has(ctx.key))
    out.adopt.push({ object: ref.object, recordKey: ctx.key, fields: { ...ctx.inCrm.values } });
  const writes = decisions.filter((d) => d.action === 'write');
  if (writes.length === 0) return;
  out.opportunities.push({
    key: ctx.key,
    accountId: ctx.accountId,
    accountName: ctx.accountName,
    create: false,
    crmId: ctx.inCrm.id,
    ...toFields(writes),
  });
}

interface NoteContext {
  readonly account: Account;
  readonly opportunity: ExpansionOpportunity;
  readonly opportunityKey?: string;
  readonly opportunityId?: string;
  readonly noteOwner: string;
  /** Set for a note on an AE's deal: adopting it is a pitch. */
  readonly pitch?: PlannedPitch;
}

function planNote(input: PlanInput, out: Collector, ctx: NoteContext): void {
  if (!input.notesEnabled) return;
  const key = `${ctx.noteOwner}-note-${noteFingerprint(ctx.opportunity)}`;
  const artifact = input.artifacts.get(key);
  if (artifact?.status === 'done') return;
  out.notes.push({
    key,
    accountId: ctx.account.id,
    accountName: ctx.account.name,
    ...(ctx.opportunityKey ? { opportunityKey: ctx.opportunityKey } : {}),
    ...(ctx.opportunityId ? { opportunityId: ctx.opportunityId } : {}),
    title: ctx.opportunity.narrative.title,
    body: ctx.opportunity.narrative.body,
    pending: artifact?.status === 'pending',
    ...propensityOf(ctx.opportunity),
    ...(ctx.pitch === undefined
      ? {}
      : { pitch: { ...ctx.pitch, ...(ctx.account.ownerId === undefined ? {} : { ownerId: ctx.account.ownerId }) } }),
  });
}

function collectSkips(
  out: Collector,
  ref: { object: string; recordKey: string; accountName: string },
  decisions: readonly FieldDecision[],
): void {
  for (const d of decisions) {
    if (d.action === 'conflict') {
      out.skips.push({
        ...ref,
        field: d.field,
        reason: 'conflict',
        detail: `changed in the CRM to ${show(d.theirs)} (we last wrote ${show(d.ours)}); kept, wanted ${show(d.wanted)}`,
      });
    }
  }
}

function collectAdoption(
  out: Collector,
  ref: { object: string; recordKey: string },
  decisions: readonly FieldDecision[],
  ledger: Readonly<Record<string, string | null>>,
  targets: ReturnType<WriteFieldsFn>,
): void {
  const fields: Record<string, string | null> = {};
  for (const d of decisions) {
    if (d.action !== 'unchanged' || d.field in ledger) continue;
    fields[d.field] = targets.find((t) => t.field === d.field)?.value ?? null;
  }
  if (Object.keys(fields).length > 0) out.adopt.push({ ...ref, fields });
}

function toFields(decisions: readonly FieldDecision[]): { fields: Record<string, string | null>; diffs: FieldDiff[] } {
  const fields: Record<string, string | null> = {};
  const diffs: FieldDiff[] = [];
  for (const d of decisions) {
    if (d.action !== 'write') continue;
    fields[d.field] = d.to;
    diffs.push({ field: d.field, from: d.from, to: d.to });
  }
  return { fields, diffs };
}

const propensityOf = (opportunity: ExpansionOpportunity): { propensity?: number } =>
  opportunity.priority?.propensity === undefined ? {} : { propensity: opportunity.priority.propensity };

const show = (value: string | null): string =>
  value === null ? 'empty' : JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  }
  return map;
}
