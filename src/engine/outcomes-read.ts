import type { CrmOpportunity } from '../model/account.ts';
import type { DealOutcome, OutcomeLabel, OutcomeStatus, PitchSnapshot } from '../outcomes/types.ts';
import type { StateStore } from '../state/store.ts';

/** What one run read of the expansion deals' outcomes, for the run report. */
export interface OutcomesReadReport {
  /** Expansion deals read from the CRM this run. */
  readonly read: number;
  /** Deals the store did not hold yet. */
  readonly new: number;
  /** Deals whose status, amount, close date, label or owner changed since the store last saw them. */
  readonly changed: number;
  /** Times a closed deal was found open again this run. */
  readonly reopened: number;
  readonly byLabel: Readonly<Record<OutcomeLabel, number>>;
  readonly byStatus: Readonly<Record<OutcomeStatus, number>>;
}

export interface ReadOutcomesOptions {
  readonly system: string;
  readonly store: StateStore;
  /** The opportunities the run read on its accounts (ours, AEs' with a motion, and the CRM's expansion type). */
  readonly opportunities: readonly CrmOpportunity[];
  /** `learning.influenceDays`: an AE's deal created this many days after a pitch of its motion is influenced. */
  readonly influenceDays: number;
  readonly now: () => Date;
}

const DAY_MS = 86_400_000;

/**
 * Labels every expansion deal the run read and keeps it in the store with the pitch it is attributed to:
 * - `created`: it carries our key;
 * - `adopted`: an AE's deal our note was attached to (a note artifact whose parent is the deal's CRM id);
 * - `influenced`: an AE's deal created within `influenceDays` after we pitched that motion on the account;
 * - `organic`: an AE's expansion deal on an account we never pitched that motion to (before it existed).
 * The store compares each deal with what it holds, so a rerun over unchanged deals writes nothing. A deal
 * found open after it was closed (reopened, or moved out of a closed stage) counts one more `reopened`.
 */
export async function readOutcomes(options: ReadOutcomesOptions): Promise<OutcomesReadReport> {
  const { store, system } = options;
  const deals = options.opportunities.filter(isExpansionDeal);
  const [stored, pitches, notes] = await Promise.all([
    store.listOutcomes(system),
    store.listPitches(system),
    store.listArtifacts(system, { kind: 'note', status: 'done' }),
  ]);
  const previous = new Map(stored.map((o) => [o.crmId, o]));
  const pitchByKey = new Map(pitches.map((p) => [p.key, p]));
  const noted = new Set(notes.map((n) => n.parentKey).filter((id) => id !== undefined));
  const at = options.now().toISOString();
  const byLabel: Record<OutcomeLabel, number> = { created: 0, adopted: 0, influenced: 0, organic: 0 };
  const byStatus: Record<OutcomeStatus, number> = { open: 0, won: 0, lost: 0 };
  let reopened = 0;
  const outcomes = deals.map((deal) => {
    const before = previous.get(deal.id);
    const attribution = attribute(deal, { pitchByKey, pitches, noted, influenceDays: options.influenceDays });
    const status: OutcomeStatus = !deal.closed ? 'open' : deal.won === true ? 'won' : 'lost';
    const wasClosed = before !== undefined && before.status !== 'open';
    if (wasClosed && status === 'open') reopened += 1;
    byLabel[attribution.label] += 1;
    byStatus[status] += 1;
    return outcomeOf(deal, { system, status, attribution, before, at, reopened: wasClosed && status === 'open' });
  });
  const result = outcomes.length > 0 ? await store.upsertOutcomes(outcomes) : { inserted: 0, changed: 0 };
  return { read: deals.length, new: result.inserted, changed: result.changed, reopened, byLabel, byStatus };
}

/** An expansion deal: ours (our key), an AE's with a motion, or one the CRM's own deal type calls expansion. */
export function isExpansionDeal(deal: CrmOpportunity): boolean {
  return deal.expansionKey !== undefined || deal.motion !== undefined || deal.dealType === 'expansion';
}

interface Attribution {
  readonly label: OutcomeLabel;
  readonly pitch?: PitchSnapshot;
  readonly pitchKey?: string;
}

interface AttributionContext {
  readonly pitchByKey: ReadonlyMap<string, PitchSnapshot>;
  readonly pitches: readonly PitchSnapshot[];
  /** CRM ids of deals that carry a note of ours. */
  readonly noted: ReadonlySet<string>;
  readonly influenceDays: number;
}

function attribute(deal: CrmOpportunity, ctx: AttributionContext): Attribution {
  if (deal.expansionKey !== undefined) {
    const pitch = ctx.pitchByKey.get(deal.expansionKey);
    return { label: 'created', pitchKey: deal.expansionKey, ...(pitch ? { pitch } : {}) };
  }
  if (ctx.noted.has(deal.id)) {
    const key = `adopted:${deal.id}`;
    const pitch = ctx.pitchByKey.get(key);
    return { label: 'adopted', pitchKey: key, ...(pitch ? { pitch } : {}) };
  }
  const pitch = influencingPitch(deal, ctx);
  return pitch ? { label: 'influenced', pitch, pitchKey: pitch.key } : { label: 'organic' };
}

/**
 * The latest pitch of the deal's motion on its account made before the AE created the deal and within
 * `influenceDays` of it. A deal without a motion (read by the CRM's deal type) is matched to any motion.
 */
function influencingPitch(deal: CrmOpportunity, ctx: AttributionContext): PitchSnapshot | undefined {
  const created = deal.createdAt === undefined ? Number.NaN : Date.parse(deal.createdAt);
  if (Number.isNaN(created)) return undefined;
  let best: PitchSnapshot | undefined;
  for (const pitch of ctx.pitches) {
    if (pitch.accountId !== deal.accountId) continue;
    if (deal.motion !== undefined && pitch.motion !== deal.motion) continue;
    const pitched = Date.parse(pitch.pitchedAt);
    if (!(pitched <= created && created - pitched <= ctx.influenceDays * DAY_MS)) continue;
    if (best === undefined || pitched > Date.parse(best.pitchedAt)) best = pitch;
  }
  return best;
}

interface OutcomeContext {
  readonly system: string;
  readonly status: OutcomeStatus;
  readonly attribution: Attribution;
  readonly before: DealOutcome | undefined;
  readonly at: string;
  readonly reopened: boolean;
}

function outcomeOf(deal: CrmOpportunity, ctx: OutcomeContext): DealOutcome {
  const { before, attribution } = ctx;
  const motion = deal.motion ?? attribution.pitch?.motion;
  // First seen closed: kept while the deal stays closed, dropped when it is reopened, set again when it closes.
  const closedSeenAt =
    ctx.status === 'open'
      ? undefined
      : before !== undefined && before.status !== 'open'
        ? (before.closedSeenAt ?? ctx.at)
        : ctx.at;
  return {
    system: ctx.system,
    crmId: deal.id,
    accountId: deal.accountId,
    ...(deal.ownerId === undefined ? {} : { ownerId: deal.ownerId }),
    ...(motion === undefined ? {} : { motion }),
    ...(deal.expansionKey === undefined ? {} : { expansionKey: deal.expansionKey }),
    label: attribution.label,
    status: ctx.status,
    ...(deal.amount === undefined ? {} : { amount: deal.amount }),
    ...(deal.closeDate === undefined ? {} : { closeDate: deal.closeDate }),
    ...(deal.createdAt === undefined ? {} : { createdAt: deal.createdAt }),
    ...(attribution.pitchKey === undefined ? {} : { pitchKey: attribution.pitchKey }),
    ...(attribution.pitch === undefined ? {} : { pitchRunId: attribution.pitch.runId }),
    firstSeenAt: before?.firstSeenAt ?? ctx.at,
    ...(closedSeenAt === undefined ? {} : { closedSeenAt }),
    reopened: (before?.reopened ?? 0) + (ctx.reopened ? 1 : 0),
    updatedAt: ctx.at,
  };
}
