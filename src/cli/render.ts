import path from 'node:path';
import Table from 'cli-table3';
import type { RunReport } from '../engine/report.ts';
import type { FieldDiff, WritePlan } from '../engine/plan.ts';
import { money, percent as pct } from '../format.ts';
import { terminalSafe } from './terminal-text.ts';

/** The run's summary; `currency` is the configured one (scoring.pricing.currency) the amounts are in. */
export function renderSummary(unsafe: RunReport, currency: string): string {
  const report = terminalSafe(unsafe);
  const m = (value: number): string => money(value, currency);
  const w = report.writes;
  const skipped =
    Object.entries(report.skipped)
      .map(([reason, n]) => `${n} ${reason.replace(/_/g, ' ')}`)
      .join(', ') || 'none';
  const calls = Object.entries(report.apiCalls.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const lines = [
    `${title(report)} ${report.sync} (${report.system}) as of ${report.asOf}: ${report.status} in ${(report.durationMs / 1000).toFixed(1)} s`,
    `  read        ${report.read.accounts} accounts${report.read.accountRead === 'incremental' ? ` (${report.read.accountsFetched} changed since the last run)` : ''}, ${report.read.owners} owners, ${report.read.opportunities} expansion opportunities, ${report.read.usageRows} usage rows`,
    `  scored      ${report.scored} accounts: ${report.health.green} green, ${report.health.yellow} yellow, ${report.health.red} red; timing ${report.timing.now} now, ${report.timing['30d']} in 30 days, ${report.timing['90d']} in 90 days, ${report.timing.hold} hold`,
    `  found       ${report.opportunities.total} opportunities to pitch, ${m(report.opportunities.arrPotential)} potential ARR, ` +
      `${m(report.opportunities.expectedValue)} expected`,
  ];
  if (report.mode === 'live') {
    lines.push(
      `  writes      accounts: ${w.account.updated} updated, ${w.account.failed} failed; opportunities: ${w.opportunity.created} created, ${w.opportunity.updated} updated, ${w.opportunity.failed} failed${w.opportunity.unlinked ? `, ${w.opportunity.unlinked} created but not linked to their account (linked next run)` : ''}; notes: ${w.note.created} created, ${w.note.failed} failed`,
    );
  } else {
    lines.push(
      `  planned     ${report.planned.accountUpdates} account updates, ${report.planned.opportunityCreates} opportunity creates, ${report.planned.opportunityUpdates} opportunity updates, ${report.planned.notes} notes (${report.mode}: nothing written to the CRM)`,
    );
  }
  lines.push(`  skipped     ${skipped}`);
  lines.push(
    `  API calls   ${report.apiCalls.total} (${calls || 'none'}); ${report.apiCalls.retries} retries, ${report.apiCalls.rateLimited} rate-limited`,
  );
  if (report.message) lines.push(`  note        ${report.message}`);
  lines.push(...schemaLines(report));
  for (const c of report.conflicts.slice(0, 10))
    lines.push(`  conflict    ${c.accountName} ${c.object} ${c.recordKey} ${c.field ?? ''}: ${c.detail}`);
  if (report.conflicts.length > 10)
    lines.push(`  conflict    ... ${report.conflicts.length - 10} more (--json for all)`);
  for (const f of report.failures.slice(0, 10))
    lines.push(`  failed      ${f.accountName} ${f.object} ${f.recordKey}: ${f.message}`);
  if (report.failures.length > 10) lines.push(`  failed      ... ${report.failures.length - 10} more (--json for all)`);
  const problemCount = report.read.usageProblems + report.read.unknownUsageAccounts + report.read.recordProblems;
  if (problemCount > 0) {
    lines.push(
      `  problems    ${report.read.usageProblems} bad usage rows, ${report.read.unknownUsageAccounts} unknown usage accounts, ${report.read.recordProblems} CRM records not usable:`,
    );
    for (const p of report.problems.slice(0, 10)) lines.push(`              ${p.where}: ${p.message}`);
    if (report.problems.length > 10) lines.push(`              ... more with --json`);
  }
  return lines.join('\n');
}

function title(report: RunReport): string {
  return report.mode === 'dry-run' ? 'Dry run of' : report.mode === 'shadow' ? 'Shadow run of' : 'Sync';
}

export function renderTop(unsafe: RunReport, currency: string): string {
  const report = terminalSafe(unsafe);
  const m = (value: number): string => money(value, currency);
  if (report.top.length === 0) return 'No expansion opportunities this run.';
  const table = new Table({
    head: ['#', 'Account', 'Motion', 'Timing', 'Health', 'Potential ARR', 'Win prob.', 'Expected', 'Why'],
    style: { head: [], border: [] },
  });
  report.top.forEach((row, i) => {
    table.push([
      String(i + 1),
      row.accountName,
      row.motion.replace(/_/g, ' '),
      row.timing,
      row.health,
      m(row.arrPotential),
      pct(row.probability),
      m(row.expectedValue),
      truncate(row.headline, 60),
    ]);
  });
  return table.toString();
}

/** Dry-run output: every planned write with its field-level diff, up to `limit` records per kind. */
export function renderPlan(
  unsafe: WritePlan,
  options: { readonly limit: number; readonly callsPerBatch: number },
): string {
  const plan = terminalSafe(unsafe);
  const lines: string[] = [];
  const batches = (n: number): number => Math.ceil(n / options.callsPerBatch);
  lines.push(`Planned writes (nothing has been written):`);
  lines.push(`  account updates: ${plan.accountUpdates.length} (${batches(plan.accountUpdates.length)} API calls)`);
  for (const u of plan.accountUpdates.slice(0, options.limit))
    lines.push(`    update ${u.accountName} [${u.accountId}]`, ...diffLines(u.diffs));
  more(lines, plan.accountUpdates.length, options.limit);
  const creates = plan.opportunities.filter((o) => o.create);
  const updates = plan.opportunities.filter((o) => !o.create);
  lines.push(
    `  opportunity creates: ${creates.length}, updates: ${updates.length} (${batches(plan.opportunities.length)} API calls, plus ${batches(creates.length)} to associate new ones)`,
  );
  for (const o of plan.opportunities.slice(0, options.limit))
    lines.push(`    ${o.create ? 'create' : 'update'} ${o.key} on ${o.accountName}`, ...diffLines(o.diffs));
  more(lines, plan.opportunities.length, options.limit);
  lines.push(`  notes: ${plan.notes.length} (${batches(plan.notes.length)} API calls)`);
  for (const n of plan.notes.slice(0, options.limit)) lines.push(`    note on ${n.accountName}: ${n.title}`);
  more(lines, plan.notes.length, options.limit);
  lines.push(`  skips: ${plan.skips.length}`);
  for (const s of plan.skips.slice(0, options.limit))
    lines.push(
      `    ${s.reason.replace(/_/g, ' ')}: ${s.accountName} ${s.object} ${s.recordKey}${s.field ? ` ${s.field}` : ''}: ${s.detail}`,
    );
  more(lines, plan.skips.length, options.limit);
  return lines.join('\n');
}

function diffLines(diffs: readonly FieldDiff[]): string[] {
  return diffs.map((d) => `      ${d.field}: ${show(d.from)} -> ${show(d.to)}`);
}

function more(lines: string[], total: number, limit: number): void {
  if (total > limit) lines.push(`    ... ${total - limit} more (--limit ${total} or --json to see all)`);
}

const show = (value: string | null): string =>
  value === null ? '(empty)' : JSON.stringify(truncate(value.replace(/\n/g, ' | '), 80));
const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Schema drift, once per field: what was switched off, cut or refused, and where the rule lives. */
function schemaLines(report: RunReport): string[] {
  const schema = report.schema;
  if (schema === undefined) return [];
  const lines: string[] = [];
  for (const d of schema.disabled)
    lines.push(
      `  schema      ${d.object} ${d.field} off for this run (${path.basename(d.file)}:${d.line}): ${d.message}${d.change ? `; ${d.change}` : ''}`,
    );
  for (const t of schema.truncated)
    lines.push(
      `  schema      ${t.count} ${t.count === 1 ? 'value' : 'values'} cut to the ${t.length} characters ${t.object} ${t.field} holds`,
    );
  for (const r of schema.rejected)
    lines.push(
      `  schema      ${r.count} ${r.count === 1 ? 'value' : 'values'} not sent to ${r.object} ${r.field}: its picklist lacks ${r.values.map((v) => `"${v}"`).join(', ')}`,
    );
  for (const w of schema.warnings.slice(0, 5))
    lines.push(`  schema      warning ${path.basename(w.file)}:${w.line}: ${w.message}`);
  return lines;
}
