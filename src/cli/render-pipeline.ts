import { toCsv, type CsvValue } from './csv.ts';
import { grid, money, motionLabel, pct, type Align } from './format.ts';
import type { Pipeline, PipelineRow, StabiliseEntry, Totals } from './pipeline-model.ts';

export interface PipelineRenderOptions {
  /** Rows shown; totals always cover the whole pipeline. */
  readonly limit?: number;
  readonly tty: boolean;
}

const shown = (pipeline: Pipeline, limit: number | undefined): readonly PipelineRow[] =>
  limit === undefined ? pipeline.opportunities : pipeline.opportunities.slice(0, limit);

/** The pipeline for people: ranked rows, totals by motion, tier and owner, and the accounts to stabilise first. */
export function renderPipeline(pipeline: Pipeline, options: PipelineRenderOptions): string {
  const rows = shown(pipeline, options.limit);
  const { all } = pipeline.totals;
  const sections = [
    `Expansion pipeline: ${all.count} opportunities on ${pipeline.accounts} assessed accounts${pipeline.asOf ? ` (as of ${pipeline.asOf})` : ''}, ${money(all.arrPotential)} potential ARR, ${money(all.expectedValue)} expected.`,
  ];
  if (rows.length === 0) sections.push('No opportunities to pitch.');
  else sections.push(opportunityTable(rows, options.tty) + (rows.length < all.count ? `\n... ${all.count - rows.length} more (drop --limit to see all)` : ''));
  if (all.count > 0) {
    sections.push(`By motion:\n${totalsTable('Motion', pipeline.totals.byMotion, options.tty, (key) => key.replace(/_/g, ' '))}`);
    sections.push(`By priority tier:\n${totalsTable('Tier', pipeline.totals.byTier, options.tty)}`);
    sections.push(`By owner:\n${totalsTable('Owner', pipeline.totals.byOwner, options.tty)}`);
    sections.push(`Total: ${all.count} opportunities, ${money(all.arrPotential)} potential ARR, ${money(all.expectedValue)} expected.`);
  }
  sections.push(stabiliseSection(pipeline.stabilise, options.tty));
  return sections.join('\n\n');
}

const ROW_HEAD = ['#', 'Account', 'Owner', 'Motion', 'Timing', 'Tier', 'Potential ARR', 'Win prob.', 'Expected', 'Queued'];
const ROW_ALIGN: readonly Align[] = ['right', 'left', 'left', 'left', 'left', 'left', 'right', 'right', 'right', 'left'];

function opportunityTable(rows: readonly PipelineRow[], tty: boolean): string {
  return grid({
    head: ROW_HEAD,
    align: ROW_ALIGN,
    tty,
    rows: rows.map((r) => [String(r.rank), r.accountName, r.ownerId ?? '-', motionLabel(r), r.timing, r.tier ?? '-', money(r.arrPotential), pct(r.probability), money(r.expectedValue), r.queued ? 'queued' : '']),
  });
}

function totalsTable(label: string, groups: Readonly<Record<string, Totals>>, tty: boolean, name: (key: string) => string = (key) => key): string {
  return grid({
    head: [label, 'Count', 'Potential ARR', 'Expected'],
    align: ['left', 'right', 'right', 'right'],
    tty,
    rows: Object.entries(groups).map(([key, t]) => [name(key), String(t.count), money(t.arrPotential), money(t.expectedValue)]),
  });
}

function stabiliseSection(entries: readonly StabiliseEntry[], tty: boolean): string {
  if (entries.length === 0) return 'Stabilise first: none (no red or on-hold accounts).';
  const table = grid({
    head: ['Account', 'Owner', 'Health', 'Timing', 'Score', 'Why'],
    align: ['left', 'left', 'left', 'left', 'right', 'left'],
    tty,
    rows: entries.map((e) => [e.accountName, e.ownerId ?? '-', e.health, e.timing, String(Math.round(e.score)), e.reason]),
  });
  const red = entries.filter((e) => e.health === 'red').length;
  return `Stabilise first (${red} red: retention before any pitch; ${entries.length - red} on hold inside the renewal evaluation; none of them is pitched above):\n${table}`;
}

/** `--json`: one object; `opportunities` honours --limit, totals and stabilise cover everything. */
export function pipelineJson(pipeline: Pipeline, limit: number | undefined): object {
  return {
    ...(pipeline.asOf ? { asOf: pipeline.asOf } : {}),
    accounts: pipeline.accounts,
    opportunities: shown(pipeline, limit),
    totals: pipeline.totals,
    stabilise: pipeline.stabilise,
  };
}

export const CSV_HEADER = [
  'rank', 'account_id', 'account_name', 'owner_id', 'motion', 'module', 'target_plan', 'timing', 'tier', 'priority_rank',
  'arr_potential', 'arr_low', 'arr_high', 'probability', 'expected_value', 'queued', 'title',
] as const;

/** `--csv`: RFC 4180, one record per opportunity row, raw numbers (no currency formatting) for spreadsheets. */
export function renderPipelineCsv(pipeline: Pipeline, limit: number | undefined): string {
  const record = (r: PipelineRow): CsvValue[] => [
    r.rank, r.accountId, r.accountName, r.ownerId, r.motion, r.module, r.targetPlan, r.timing, r.tier, r.priorityRank,
    r.arrPotential, r.arrLow, r.arrHigh, r.probability, r.expectedValue, r.queued, r.title,
  ];
  return toCsv(CSV_HEADER, shown(pipeline, limit).map(record));
}
