import chalk, { Chalk } from 'chalk';
import Table from 'cli-table3';
import { humanCell, visible } from './cells.js';
import type { RenderOptions, TableData } from './types.js';

export function renderTable(t: TableData, opts: RenderOptions): string {
  const c = opts.color ? new Chalk({ level: Math.max(chalk.level, 1) as 1 | 2 | 3 }) : new Chalk({ level: 0 });
  const table = new Table({
    head: t.columns.map((col) => c.bold(visible(col.header))),
    colAligns: t.columns.map((col) => (col.kind === 'text' ? 'left' : 'right')),
    style: { head: [], border: [], compact: true },
  });
  for (const row of t.rows) table.push(t.columns.map((col) => visible(humanCell(row[col.key], col.kind))));
  if (t.footer) {
    const footer = t.footer;
    table.push(t.columns.map((col) => c.bold(visible(humanCell(footer[col.key], col.kind)))));
  }
  const lines: string[] = [];
  if (t.title) lines.push(c.bold.cyan(visible(t.title)));
  lines.push(t.rows.length === 0 && !t.footer ? c.dim(visible(t.empty ?? '(no usage in this range)', true)) : table.toString());
  for (const n of t.notes ?? []) lines.push(c.yellow(visible(n, true)));
  return lines.join('\n');
}
