import Table from 'cli-table3';
import type { Motion } from '../model/account.ts';

export { money, percent as pct } from '../format.ts';

/** The motion id as table text: `module cross sell: analytics`, `tier upgrade -> enterprise`. */
export function motionLabel(o: {
  readonly motion: Motion;
  readonly module?: string | undefined;
  readonly targetPlan?: string | undefined;
}): string {
  const base = o.motion.replace(/_/g, ' ');
  if (o.module) return `${base}: ${o.module}`;
  if (o.targetPlan) return `${base} -> ${o.targetPlan}`;
  return base;
}

export type Align = 'left' | 'right';

export interface GridOptions {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column; left by default. */
  readonly align?: readonly Align[];
  /** A terminal gets a cli-table3 table; anything else plain aligned text without ANSI escapes. */
  readonly tty: boolean;
}

export function grid(options: GridOptions): string {
  return options.tty ? boxed(options) : plain(options);
}

function boxed(options: GridOptions): string {
  const colour = process.env['NO_COLOR'] === undefined || process.env['NO_COLOR'] === '';
  const table = new Table({
    head: [...options.head],
    style: { head: colour ? ['cyan'] : [], border: [] },
    // No rule between body rows: a long pipeline stays one screen row per opportunity.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colAligns: options.head.map((_, i) => options.align?.[i] ?? 'left'),
  });
  for (const row of options.rows) table.push([...row]);
  return table.toString();
}

function plain(options: GridOptions): string {
  const all = [options.head, ...options.rows];
  const widths = options.head.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    widths
      .map((width, i) =>
        options.align?.[i] === 'right' ? (row[i] ?? '').padStart(width) : (row[i] ?? '').padEnd(width),
      )
      .join('  ')
      .trimEnd();
  return [line(options.head), widths.map((w) => '-'.repeat(w)).join('  '), ...options.rows.map(line)].join('\n');
}
