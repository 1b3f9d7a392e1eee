import { randomUUID } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { Account } from '../model/account.ts';
import { errorMessage, isSyncError, SyncError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ScoringConfig } from '../scoring/config.ts';
import type { RunStatus, StateStore } from '../state/store.ts';
import { readPortfolio, rememberWrites, type PortfolioRead } from './account-read.ts';
import { applyPlan, SHUTDOWN_CODE, type ApplyResult } from './apply.ts';
import type { CrmConnector, ProvisionResult, RecordProblem, WriteTarget } from './crm.ts';
import { loadMappings, writeTargets, type MappingSources } from './mappings.ts';
import { readOpportunities } from './opportunity-read.ts';
import { readOutcomes, type OutcomesReadReport } from './outcomes-read.ts';
import { templatesVersion } from '../templates/templates.ts';
import { cycleOf } from './outputs.ts';
import { withOwnerNames } from './owner-names.ts';
import { planWrites, type WritePlan } from './plan.ts';
import { defaultNormalize } from './plan-fields.ts';
import { portfolioFigures, topOpportunities, type RunMode, type RunReport } from './report.ts';
import { rankPipeline } from './rank-pipeline.ts';
import { applySchema, NO_SCHEMA_REPORT, type SchemaReport } from './schema-guard.ts';
import {
  joinKeyOf,
  rememberEmployeeCounts,
  scorePortfolio,
  type JoinOn,
  type ScoredAccount,
} from './score-portfolio.ts';
import { ingestUsage, MAX_SAMPLE, type IngestResult, type UsageProblem, type UsageSource } from './usage-ingest.ts';
import { scopeFailures, scopePlan, withRetryOf, type WriteScope } from './rerun-failed.ts';
import { loadWriteState } from './write-state.ts';
import { reconcileInFlight } from './in-flight.ts';
import { rebuildFromCrm, recordOurDeals, type RebuildResult } from './rebuild.ts';
import { recalibrateAfterRun, scoringInForce } from '../outcomes/apply-learned.ts';

export type ProgressEvent = {
  readonly phase: 'usage' | 'accounts' | 'scoring' | 'writing';
  readonly done: number;
  readonly total?: number;
};

export interface RunSyncOptions {
  readonly sync: string;
  readonly crm: CrmConnector;
  /** The mapping files the engine loads and applies (the connector reads and writes raw fields). */
  readonly mappings: MappingSources;
  readonly store: StateStore;
  readonly usage: UsageSource;
  readonly joinOn: JoinOn;
  readonly scoring: ScoringConfig;
  readonly writeBack: { readonly notes: boolean; readonly maxRetries: number };
  readonly deal: { readonly pipeline: string; readonly stage: string };
  readonly mode: RunMode;
  readonly log: Logger;
  /** Scoring date (YYYY-MM-DD); defaults to today in UTC. */
  readonly asOf?: string;
  readonly now?: () => Date;
  readonly runId?: string;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Read every account even when the connector could read only the changed ones. */
  readonly fullRead?: boolean;
  /** Aborted on SIGTERM/SIGINT: the run stops at the next phase or batch boundary, with a checkpoint. */
  readonly signal?: AbortSignal;
  /** `runs retry`: only the writes in this scope are sent; every other planned write waits for the next run. */
  readonly writeScope?: WriteScope;
  /**
   * `state rebuild` (with mode 'shadow'): take the CRM's values of our records as the ledger, record our deals
   * and find our notes by reference; nothing is written to the CRM.
   */
  readonly rebuild?: boolean;
  /** The outcome loop's settings (`learning`): the holdout and exploration shares select what is pitched. */
  readonly learning?: Config['learning'];
}

/** Between phases: a run asked to stop ends here, before starting more work, and resumes next time. */
function stopIfAsked(ctx: RunContext, phase: string): void {
  if (ctx.options.signal?.aborted)
    throw new SyncError(`asked to stop before ${phase}; nothing was left half-written, the next run starts over`, {
      code: SHUTDOWN_CODE,
      kind: 'system',
      details: { phase },
    });
}

/**
 * One run: extract -> store -> score -> plan -> apply -> report. Dry-run stops after the plan and writes
 * nothing anywhere; shadow records everything in the state store and writes nothing to the CRM.
 */
export async function runSync(options: RunSyncOptions): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const runId = options.runId ?? randomUUID();
  const asOf = options.asOf ?? startedAt.toISOString().slice(0, 10);
  const log = options.log.child({ runId, sync: options.sync, system: options.crm.system });
  const persist = options.mode !== 'dry-run';
  if (persist)
    await options.store.startRun({
      id: runId,
      sync: options.sync,
      startedAt: startedAt.toISOString(),
      mode: options.mode,
    });
  const ctx: RunContext = { options, log, runId, asOf, now };
  try {
    const report = await execute(ctx, startedAt).catch(async (error: unknown) => {
      // A spent daily quota can strike in any phase (provisioning, reads, writes): stop cleanly either way.
      if (!isSyncError(error) || (error.kind !== 'quota' && error.code !== SHUTDOWN_CODE)) throw error;
      const stopped = { code: error.code, message: error.message, phase: 'before-writes' };
      await recordStop(ctx, { ...emptyApply(), stopped });
      return stoppedBeforeWrites(ctx, startedAt, stopped);
    });
    // A shadow run's report keeps its write plan, so `runs diff` can show what it would have written.
    if (persist)
      await options.store.finishRun(runId, {
        status: report.status,
        finishedAt: report.finishedAt,
        summary: summaryOf(options, report),
      });
    return report;
  } catch (error) {
    log.error({ code: isSyncError(error) ? error.code : 'unexpected' }, `run failed: ${errorMessage(error)}`);
    if (persist) {
      const summary = {
        message: errorMessage(error),
        code: isSyncError(error) ? error.code : 'unexpected',
        apiCalls: options.crm.apiStats(),
      };
      await options.store.finishRun(runId, {
        status: 'failed',
        finishedAt: now().toISOString(),
        summary: summaryOf(options, summary),
      });
    }
    throw error;
  }
}

/**
 * The written fields that are new this run: created by provisioning (or, in a dry run, missing, so a live run
 * would create them). Empty because they are new, so the plan fills them rather than reading a person's clear.
 * Provisioning labels a field `<object>.<field>`, the object as the CRM or as the engine names it.
 */
function createdFields(
  provision: ProvisionResult,
  targets: readonly WriteTarget[],
  objects: { readonly account: string; readonly opportunity: string },
): { account: Set<string>; opportunity: Set<string> } {
  const labels = new Set([...provision.created, ...provision.missing].map((label) => label.toLowerCase()));
  const isNew = (t: WriteTarget): boolean =>
    [objects[t.entity], t.entity].some((object) => labels.has(`${object}.${t.field}`.toLowerCase()));
  const of = (entity: WriteTarget['entity']): Set<string> =>
    new Set(targets.filter((t) => t.entity === entity && isNew(t)).map((t) => t.field));
  return { account: of('account'), opportunity: of('opportunity') };
}

/** What the run stores as its summary: a retry's names the run it retried, so `runs list` shows "live (retry)". */
function summaryOf(options: RunSyncOptions, summary: object): unknown {
  return options.writeScope ? withRetryOf(summary, options.writeScope.retryOf) : summary;
}

interface RunContext {
  readonly options: RunSyncOptions;
  readonly log: Logger;
  readonly runId: string;
  readonly asOf: string;
  readonly now: () => Date;
}

async function execute(ctx: RunContext, startedAt: Date): Promise<RunReport> {
  const { options, log } = ctx;
  const { crm, store } = options;
  const dryRun = options.mode !== 'live';
  // learning.mode apply: the newest applied recalibration's weights and probability calibration score this run.
  const scoring = await scoringInForce({
    store,
    system: crm.system,
    scoring: options.scoring,
    learning: options.learning,
  });
  const files = await loadMappings(options.mappings);
  const targets = writeTargets(files);
  // Every input is read and validated before the first CRM write: a usage file that cannot be read (empty,
  // binary, a missing column) stops the run here, before provisioning creates a single field.
  const usage = await ingestUsage({
    source: options.usage,
    store,
    dryRun: options.mode === 'dry-run',
    asOf: ctx.asOf,
    onRows: (done) => options.onProgress?.({ phase: 'usage', done }),
  });
  log.info(
    { rows: usage.rows, problems: usage.problems, inserted: usage.inserted, updated: usage.updated },
    'usage read',
  );
  const provision = await crm.provision({ dryRun, targets });
  if (provision.created.length > 0)
    log.info({ created: provision.created.length }, `created CRM fields: ${provision.created.join(', ')}`);
  for (const warning of provision.warnings ?? []) log.warn({ phase: 'provision' }, warning);
  const schema = await applySchema({
    crm,
    mappings: files,
    store,
    sync: options.sync,
    persist: options.mode !== 'dry-run',
    provisioned: provision.missing,
    log,
  });
  stopIfAsked(ctx, 'reading the CRM');
  const owners = await crm.readOwners();
  const portfolio = await readPortfolio({
    crm,
    mapping: schema.mappings.account,
    store,
    sync: options.sync,
    persist: options.mode !== 'dry-run',
    fullRead: options.fullRead === true,
    startedAt,
    log,
    onPage: (done) => options.onProgress?.({ phase: 'accounts', done }),
  });
  const { current, problems: recordProblems } = portfolio;
  // Named before scoring: the talking points sign with the owner's name, and the assessments keep it.
  const accounts = withOwnerNames(portfolio.accounts, owners);
  log.info({ accounts: accounts.length, fetched: portfolio.fetched, problems: recordProblems.length }, 'accounts read');
  stopIfAsked(ctx, 'scoring');
  const problems = locateProblems({ usage, accounts, joinOn: options.joinOn, recordProblems });
  const unranked = await scorePortfolio({
    system: crm.system,
    accounts,
    joinOn: options.joinOn,
    asOf: ctx.asOf,
    config: scoring,
    store,
    memory: usage.memory,
    onProgress: (done) => options.onProgress?.({ phase: 'scoring', done, total: accounts.length }),
  });
  const opportunities = await readOpportunities(crm, schema.mappings.opportunity, new Set(accounts.map((a) => a.id)));
  // A batch a killed run sent: its fields the CRM holds as sent are ours, any other value is a person's.
  if (options.mode === 'live')
    await reconcileInFlight({
      store,
      sync: options.sync,
      system: crm.system,
      objects: crm.objects,
      currentAccounts: current,
      opportunities: opportunities.opportunities,
      normalize: defaultNormalize,
      runId: ctx.runId,
      now: ctx.now,
    });
  const loadedState = await loadWriteState({ store, crm, accounts, opportunities: opportunities.opportunities });
  const base = { system: crm.system, store, runId: ctx.runId, now: ctx.now };
  // Deals with our key the store does not hold as ours (lost or restored store, a crash): recorded from the CRM.
  if (options.mode === 'live')
    await recordOurDeals({ ...base, opportunities: opportunities.opportunities, artifacts: loadedState.artifacts });
  const scope = options.writeScope;
  const writeState = scope ? { ...loadedState, failures: scopeFailures(loadedState.failures, scope) } : loadedState;
  const scored = rankPipeline({
    system: crm.system,
    scored: unranked,
    opportunities: opportunities.opportunities,
    artifacts: writeState.artifacts,
    now: startedAt,
    config: scoring,
    ...(options.learning
      ? {
          selection: {
            holdoutShare: options.learning.holdoutShare,
            explorationShare: options.learning.explorationShare,
            cycle: cycleOf(ctx.asOf),
          },
        }
      : {}),
  });
  const planned = planWrites({
    system: crm.system,
    asOf: ctx.asOf,
    cycle: cycleOf(ctx.asOf),
    pipeline: options.deal.pipeline,
    stage: options.deal.stage,
    notesEnabled: options.writeBack.notes,
    maxRetries: options.writeBack.maxRetries,
    items: scored,
    currentAccountValues: current,
    opportunities: opportunities.opportunities,
    ...writeState,
    accountFields: schema.writeFields('account'),
    opportunityFields: schema.writeFields('opportunity'),
    // One normalization for every CRM, so CRM formatting never looks like a human edit.
    normalizeAccount: defaultNormalize,
    normalizeOpportunity: defaultNormalize,
    objects: crm.objects,
    moduleLabels: Object.fromEntries(options.scoring.catalog.modules.map((m) => [m.id, m.label])),
    createdFields: createdFields(provision, targets, crm.objects),
    rebuild: options.rebuild === true,
    narrativeVersion: templatesVersion(options.scoring.narrative.templatesDir),
  });
  const plan = scope ? scopePlan(planned, scope) : planned;
  stopIfAsked(ctx, 'writing');
  const rebuilt =
    options.rebuild === true
      ? await rebuildFromCrm({
          ...base,
          crm,
          plan,
          opportunities: opportunities.opportunities,
          artifacts: writeState.artifacts,
        })
      : undefined;
  const applied = dryRun
    ? emptyApply()
    : await applyPlan({
        plan,
        crm,
        store,
        runId: ctx.runId,
        now: ctx.now,
        log,
        sync: options.sync,
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (done, total) => options.onProgress?.({ phase: 'writing', done, total }),
      });
  if (!dryRun && crm.incrementalAccounts) {
    const written = new Set(applied.updatedAccounts);
    // The snapshots keep the accounts as read: the owner's name is looked up again on every run.
    const updates = plan.accountUpdates.filter((u) => written.has(u.accountId));
    await rememberWrites({ store, sync: options.sync, accounts: portfolio.accounts, current, updates });
  }
  if (options.mode !== 'dry-run') {
    await rememberEmployeeCounts({ store, system: crm.system, accounts, asOf: ctx.asOf });
    await store.saveAssessments(
      ctx.runId,
      scored.map(({ account, assessment }) => ({
        system: crm.system,
        accountId: account.id,
        accountName: account.name,
        runId: ctx.runId,
        asOf: ctx.asOf,
        assessment,
        ...(account.ownerId ? { ownerId: account.ownerId } : {}),
        ...(account.ownerName ? { ownerName: account.ownerName } : {}),
      })),
    );
  }
  const outcomes =
    options.mode === 'dry-run' ? undefined : await recordOutcomes(ctx, scored, opportunities.opportunities);
  // The loop recalibrates from the stored outcomes, at most once per scoring date; a failure fails no run.
  if (options.mode === 'live' && !options.writeScope && options.rebuild !== true)
    await recalibrateAfterRun({
      store,
      system: crm.system,
      scoring: options.scoring,
      learning: options.learning,
      asOf: ctx.asOf,
      at: ctx.now().toISOString(),
      id: `${ctx.runId}:learning`,
      log,
    }).catch((error: unknown) => log.warn({ phase: 'recalibration' }, `recalibration skipped: ${errorMessage(error)}`));
  await recordStop(ctx, applied);
  return buildReport({
    ctx,
    startedAt,
    ...(outcomes ? { outcomes } : {}),
    usage,
    owners: owners.length,
    accounts,
    scored,
    plan,
    applied,
    problems,
    recordProblems,
    opportunities: opportunities.opportunities.length,
    portfolio,
    schema: schema.report(),
    ...(rebuilt ? { rebuilt } : {}),
  });
}

/**
 * The outcome loop's reads (live and shadow runs): every fired expansion signal per account, and what became
 * of every expansion deal on the accounts read, labelled and kept in the store (only changes are written).
 */
async function recordOutcomes(
  ctx: RunContext,
  scored: readonly ScoredAccount[],
  opportunities: Parameters<typeof readOutcomes>[0]['opportunities'],
): Promise<OutcomesReadReport> {
  const { store, crm } = ctx.options;
  await store.recordSignalSightings(
    scored.flatMap(({ account, assessment }) =>
      assessment.signals
        .filter((signal) => signal.kind === 'expansion')
        .map((signal) => ({
          system: crm.system,
          accountId: account.id,
          signalId: signal.id,
          firstAsOf: ctx.asOf,
          lastAsOf: ctx.asOf,
          strength: signal.strength,
        })),
    ),
  );
  const outcomes = await readOutcomes({
    system: crm.system,
    store,
    opportunities,
    influenceDays: ctx.options.learning?.influenceDays ?? 90,
    now: ctx.now,
  });
  ctx.log.info({ ...outcomes }, 'outcomes read');
  return outcomes;
}

interface LocateOptions {
  readonly usage: IngestResult;
  readonly accounts: readonly Account[];
  readonly joinOn: JoinOn;
  readonly recordProblems: readonly RecordProblem[];
}

/** Usage rows for accounts the CRM does not have are reported with the first line they appear on. */
function locateProblems(options: LocateOptions): { problems: UsageProblem[]; unknown: number } {
  const known = new Set(options.accounts.map((a) => joinKeyOf(a, options.joinOn)).filter((k) => k !== undefined));
  const problems: UsageProblem[] = [...options.usage.sample];
  let unknown = 0;
  for (const [key, where] of options.usage.firstSeen) {
    if (known.has(key)) continue;
    unknown += 1;
    if (problems.length < MAX_SAMPLE * 2)
      problems.push({
        where,
        message: `account_key "${key}" matches no CRM account (joined on ${options.joinOn}); its rows were stored but not scored`,
      });
  }
  for (const p of options.recordProblems.slice(0, MAX_SAMPLE))
    problems.push({ where: `${p.system} ${p.object} ${p.recordId}`, message: p.message });
  return { problems, unknown };
}

async function recordStop(ctx: RunContext, applied: ApplyResult): Promise<void> {
  const store = ctx.options.store;
  if (applied.stopped) {
    ctx.log.warn({ code: applied.stopped.code }, `run stopped early: ${applied.stopped.message}`);
    await store.setCheckpoint(ctx.options.sync, 'apply', {
      stoppedRunId: ctx.runId,
      code: applied.stopped.code,
      at: ctx.now().toISOString(),
    });
  } else if (ctx.options.mode === 'live' && !ctx.options.writeScope) {
    // A retry leaves the stop checkpoint of a normal run alone: only a normal run clears it.
    await store.clearCheckpoint(ctx.options.sync, 'apply');
  }
}

function stoppedBeforeWrites(
  ctx: RunContext,
  startedAt: Date,
  stopped: NonNullable<ApplyResult['stopped']>,
): RunReport {
  const noUsage: IngestResult = {
    rows: 0,
    problems: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    sample: [],
    firstSeen: new Map(),
  };
  const noPlan: WritePlan = { accountUpdates: [], opportunities: [], notes: [], skips: [], adopt: [] };
  return buildReport({
    ctx,
    startedAt,
    usage: noUsage,
    owners: 0,
    accounts: [],
    scored: [],
    plan: noPlan,
    applied: { ...emptyApply(), stopped },
    problems: { problems: [], unknown: 0 },
    recordProblems: [],
    opportunities: 0,
  });
}

const emptyApply = (): ApplyResult => ({
  writes: {
    account: { created: 0, updated: 0, failed: 0 },
    opportunity: { created: 0, updated: 0, failed: 0 },
    note: { created: 0, updated: 0, failed: 0 },
  },
  failures: [],
  updatedAccounts: [],
});

interface BuildReportOptions {
  readonly ctx: RunContext;
  readonly startedAt: Date;
  readonly usage: IngestResult;
  readonly owners: number;
  readonly accounts: readonly Account[];
  readonly scored: readonly ScoredAccount[];
  readonly plan: WritePlan;
  readonly applied: ApplyResult;
  readonly problems: { problems: UsageProblem[]; unknown: number };
  readonly recordProblems: readonly RecordProblem[];
  readonly opportunities: number;
  readonly portfolio?: PortfolioRead;
  readonly schema?: SchemaReport;
  readonly rebuilt?: RebuildResult;
  readonly outcomes?: OutcomesReadReport;
}

function buildReport(o: BuildReportOptions): RunReport {
  const { options } = o.ctx;
  const finished = o.ctx.now();
  const failedWrites = o.applied.failures.length;
  const status: RunStatus = o.applied.stopped ? 'stopped' : failedWrites > 0 ? 'partial' : 'succeeded';
  const skipped: Record<string, number> = {};
  for (const skip of o.plan.skips) skipped[skip.reason] = (skipped[skip.reason] ?? 0) + 1;
  // The run's figures and top list are what is pitched; withheld opportunities show as `withheld` skips.
  const pitched = o.scored.map(({ account, assessment }) => ({
    account,
    assessment: { ...assessment, opportunities: assessment.opportunities.filter((opp) => opp.withheld === undefined) },
  }));
  return {
    runId: o.ctx.runId,
    sync: options.sync,
    system: options.crm.system,
    mode: options.mode,
    status,
    asOf: o.ctx.asOf,
    startedAt: o.startedAt.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - o.startedAt.getTime(),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(o.applied.stopped
      ? {
          message: `${o.applied.stopped.message} Progress is saved; the next run resumes where this one stopped.`,
          stopped: o.applied.stopped,
        }
      : {}),
    read: {
      accounts: o.accounts.length,
      accountRead: o.portfolio?.mode ?? 'full',
      accountsFetched: o.portfolio?.fetched ?? 0,
      owners: o.owners,
      opportunities: o.opportunities,
      usageRows: o.usage.rows,
      usageProblems: o.usage.problems,
      unknownUsageAccounts: o.problems.unknown,
      recordProblems: o.recordProblems.length,
    },
    usage: { inserted: o.usage.inserted, updated: o.usage.updated, unchanged: o.usage.unchanged },
    scored: o.scored.length,
    ...portfolioFigures(pitched),
    planned: {
      accountUpdates: o.plan.accountUpdates.length,
      opportunityCreates: o.plan.opportunities.filter((p) => p.create).length,
      opportunityUpdates: o.plan.opportunities.filter((p) => !p.create).length,
      notes: o.plan.notes.length,
      skips: o.plan.skips.length,
    },
    writes: o.applied.writes,
    skipped,
    conflicts: o.plan.skips.filter((s) => s.reason === 'conflict'),
    failures: o.applied.failures,
    problems: o.problems.problems,
    schema: o.schema ?? NO_SCHEMA_REPORT,
    apiCalls: options.crm.apiStats(),
    top: topOpportunities(pitched, 10),
    ...(options.mode !== 'live' ? { plan: o.plan } : {}),
    ...(o.rebuilt ? { rebuilt: o.rebuilt } : {}),
    ...(o.outcomes ? { outcomes: o.outcomes } : {}),
  };
}
