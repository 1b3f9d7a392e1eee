import { WITHHELD_LABEL, type Withheld } from '../format.ts';
import { toCsv, type CsvValue } from './csv.ts';
import { grid, money, motionLabel, pct, type Align } from './format.ts';
import type { Pipeline, PipelineRow, StabilizeEntry, Totals } from './pipeline-model.ts';
import { terminalSafe } from './terminal-text.ts';

export interface PipelineRenderOptions {
  /** Rows shown; totals always cover the whole pipeline. */
  readonly limit?: number;
  readonly tty: boolean;
  /** The configured currency (scoring.pricing.currency): every amount is in it. */
  readonly currency: string;
}

type Money = (value: number) => string;

const shown = (pipeline: Pipeline, limit: number | undefined): readonly PipelineRow[] =>
  limit === undefined ? pipeline.opportunities : pipeline.opportunities.slice(0, limit);

/**
 * The pipeline for people: ranked rows (pitched first, then the withheld ones with why), totals by motion,
 * tier and owner over what is pitched, the withheld value apart, and the accounts to stabilize first.
 */
export function renderPipeline(unsafe: Pipeline, options: PipelineRenderOptions): string {
  const pipeline = terminalSafe(unsafe);
  const rows = shown(pipeline, options.limit);
  const { totals } = pipeline;
  const m: Money = (value) => money(value, options.currency);
  const sections = [headline(pipeline, m)];
  const more =
    rows.length < totals.all.count ? `\n... ${totals.all.count - rows.length} more (drop --limit to see all)` : '';
  sections.push(rows.length === 0 ? 'No opportunities to pitch.' : `${opportunityTable(rows, options)}${more}`);
  if (totals.pitched.count > 0) {
    sections.push(`By motion:\n${totalsTable('Motion', totals.byMotion, options, (key) => key.replace(/_/g, ' '))}`);
    sections.push(`By priority tier:\n${totalsTable('Tier', totals.byTier, options)}`);
    sections.push(`By owner:\n${totalsTable('Owner', totals.byOwner, options)}`);
  }
  if (totals.withheld.count > 0) {
    const table = totalsTable('Status', totals.byWithheld, options, statusOf);
    sections.push(`Withheld (identified, not pitched: no CRM deal or note):\n${table}`);
  }
  if (totals.all.count > 0) sections.push(totalLines(totals, m));
  const holdout = holdoutLine(pipeline, m);
  if (holdout !== undefined) sections.push(holdout);
  sections.push(stabilizeSection(pipeline.stabilize, options.tty));
  return sections.join('\n\n');
}

function headline(pipeline: Pipeline, m: Money): string {
  const { pitched, withheld } = pipeline.totals;
  const asOf = pipeline.asOf ? ` (as of ${pipeline.asOf})` : '';
  const held =
    withheld.count > 0
      ? `; ${withheld.count} more identified but not pitched (${m(withheld.arrPotential)} potential ARR)`
      : '';
  return (
    `Expansion pipeline: ${pitched.count} opportunities to pitch on ${pipeline.accounts} assessed accounts${asOf}, ` +
    `${m(pitched.arrPotential)} potential ARR, ${m(pitched.expectedValue)} expected${held}.`
  );
}

function totalLines(totals: Pipeline['totals'], m: Money): string {
  const line = (t: Totals): string =>
    `${t.count} opportunities, ${m(t.arrPotential)} potential ARR, ${m(t.expectedValue)} expected`;
  const lines = [`Total pitched: ${line(totals.pitched)}.`];
  if (totals.withheld.count > 0) lines.push(`Total withheld: ${line(totals.withheld)} (not in the pitched total).`);
  return lines.join('\n');
}

/** What the holdout costs: the expected value of its accounts' opportunities, never pitched. */
function holdoutLine(pipeline: Pipeline, m: Money): string | undefined {
  const held = pipeline.totals.byWithheld.holdout;
  if (held === undefined || held.count === 0) return undefined;
  const accounts = new Set(pipeline.opportunities.filter((r) => r.withheld === 'holdout').map((r) => r.accountId)).size;
  return (
    `Holdout: ${held.count} opportunities on ${accounts} accounts kept never pitched, so uplift can be measured: ` +
    `${m(held.expectedValue)} expected value forgone this period (learning.holdoutShare; 0 turns the holdout off).`
  );
}

const isWithheld = (key: string): key is Withheld => Object.hasOwn(WITHHELD_LABEL, key);

/** `renewal: held for the renewal conversation`, `ramping: ...`, `watch: ...`. */
function statusOf(key: string): string {
  return isWithheld(key) ? WITHHELD_LABEL[key] : key;
}

/** A row's state: queued behind its owner's capacity, withheld and why, or nothing when it is pitched. */
function rowStatus(row: PipelineRow): string {
  if (row.withheld !== undefined) return WITHHELD_LABEL[row.withheld];
  return row.queued ? 'queued' : '';
}

const ROW_HEAD = [
  '#',
  'Account',
  'Owner',
  'Motion',
  'Timing',
  'Tier',
  'Potential ARR',
  'Win prob.',
  'Expected',
  'Status',
];
const ROW_ALIGN: readonly Align[] = [
  'right',
  'left',
  'left',
  'left',
  'left',
  'left',
  'right',
  'right',
  'right',
  'left',
];

function opportunityTable(rows: readonly PipelineRow[], options: PipelineRenderOptions): string {
  const m: Money = (value) => money(value, options.currency);
  return grid({
    head: ROW_HEAD,
    align: ROW_ALIGN,
    tty: options.tty,
    rows: rows.map((r) => [
      String(r.rank),
      r.accountName,
      r.owner,
      motionLabel(r),
      r.timing,
      r.tier ?? '-',
      m(r.arrPotential),
      pct(r.probability),
      m(r.expectedValue),
      rowStatus(r),
    ]),
  });
}

function totalsTable(
  label: string,
  groups: Readonly<Record<string, Totals>>,
  options: PipelineRenderOptions,
  name = (key: string): string => key,
): string {
  const m: Money = (value) => money(value, options.currency);
  return grid({
    head: [label, 'Count', 'Potential ARR', 'Expected'],
    align: ['left', 'right', 'right', 'right'],
    tty: options.tty,
    rows: Object.entries(groups).map(([key, t]) => [name(key), String(t.count), m(t.arrPotential), m(t.expectedValue)]),
  });
}

function stabilizeSection(entries: readonly StabilizeEntry[], tty: boolean): string {
  if (entries.length === 0) return 'Stabilize first: none (no red accounts).';
  const table = grid({
    head: ['Account', 'Owner', 'Health', 'Timing', 'Score', 'Why'],
    align: ['left', 'left', 'left', 'left', 'right', 'left'],
    tty,
    rows: entries.map((e) => [e.accountName, e.owner, e.health, e.timing, String(Math.round(e.score)), e.reason]),
  });
  const why = `${entries.length} red: retention before any pitch; none of their opportunities is listed above`;
  return `Stabilize first (${why}):\n${table}`;
}

export interface PipelineJsonOptions {
  readonly limit: number | undefined;
  readonly currency: string;
}

/** `--json`: one object; `opportunities` honors --limit, totals and stabilize cover everything; amounts in `currency`. */
export function pipelineJson(pipeline: Pipeline, options: PipelineJsonOptions): object {
  return {
    ...(pipeline.asOf ? { asOf: pipeline.asOf } : {}),
    currency: options.currency,
    accounts: pipeline.accounts,
    opportunities: shown(pipeline, options.limit),
    totals: pipeline.totals,
    stabilize: pipeline.stabilize,
  };
}

export const CSV_HEADER = [
  'rank',
  'account_id',
  'account_name',
  'owner',
  'owner_id',
  'motion',
  'module',
  'target_plan',
  'timing',
  'tier',
  'priority_rank',
  'arr_potential',
  'arr_low',
  'arr_high',
  'probability',
  'expected_value',
  'queued',
  'withheld',
  'title',
] as const;

/**
 * `--csv`: RFC 4180, one record per opportunity row, raw numbers (no currency formatting) for spreadsheets.
 * `owner` is the name people know; `withheld` is empty on a pitched opportunity.
 */
export function renderPipelineCsv(pipeline: Pipeline, limit: number | undefined): string {
  const record = (r: PipelineRow): CsvValue[] => [
    r.rank,
    r.accountId,
    r.accountName,
    r.owner,
    r.ownerId,
    r.motion,
    r.module,
    r.targetPlan,
    r.timing,
    r.tier,
    r.priorityRank,
    r.arrPotential,
    r.arrLow,
    r.arrHigh,
    r.probability,
    r.expectedValue,
    r.queued,
    r.withheld,
    r.title,
  ];
  return toCsv(CSV_HEADER, shown(pipeline, limit).map(record));
}
