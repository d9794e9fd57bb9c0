/**
 * The human table: drawn by cli-table3, head and totals in bold, numbers right-aligned. cli-table3's layout
 * checks every cell against the earlier rows for row and column spans (quadratic: 17k rows took minutes), so
 * the rows go to it in chunks of CHUNK_ROWS with the column widths fixed once over all rows, and the chunks are
 * stitched: the output is byte for byte what one cli-table3 table of all the rows prints, in linear time.
 */
import chalk, { Chalk } from 'chalk';
import Table from 'cli-table3';
import stringWidth from 'string-width';
import { humanCell, visible } from './cells.js';
import type { RenderOptions, TableData } from './types.js';

/** Rows per cli-table3 instance: its layout is quadratic within one. */
export const CHUNK_ROWS = 200;

type Align = 'left' | 'right';

/**
 * The cells as one cli-table3 table with `head` prints them, drawn CHUNK_ROWS rows at a time. Each column is as
 * wide as cli-table3 would make it: its widest cell (display width, as cli-table3 measures it with string-width)
 * plus one space of padding on each side.
 */
export function drawTable(head: string[], rows: string[][], colAligns: Align[]): string {
  const colWidths = head.map((h) => stringWidth(h));
  for (const cells of rows) {
    for (let i = 0; i < cells.length; i++) colWidths[i] = Math.max(colWidths[i] ?? 0, stringWidth(cells[i] ?? ''));
  }
  for (let i = 0; i < colWidths.length; i++) colWidths[i] = (colWidths[i] ?? 0) + 2;
  const chunks = Math.max(1, Math.ceil(rows.length / CHUNK_ROWS));
  const out: string[] = [];
  for (let k = 0; k < chunks; k++) {
    const table = new Table({ head: k === 0 ? head : [], colWidths, colAligns, style: { head: [], border: [], compact: true } });
    for (const cells of rows.slice(k * CHUNK_ROWS, (k + 1) * CHUNK_ROWS)) table.push(cells);
    const lines = table.toString().split('\n');
    // Later chunks continue the table: no top border; all but the last leave the bottom border to the next.
    out.push(...lines.slice(k === 0 ? 0 : 1, k === chunks - 1 ? lines.length : -1));
  }
  return out.join('\n');
}

export function renderTable(t: TableData, opts: RenderOptions): string {
  const c = opts.color ? new Chalk({ level: Math.max(chalk.level, 1) as 1 | 2 | 3 }) : new Chalk({ level: 0 });
  const lines: string[] = [];
  if (t.title) lines.push(c.bold.cyan(visible(t.title)));
  if (t.rows.length === 0 && !t.footer) {
    lines.push(c.dim(visible(t.empty ?? '(no usage in this range)', true)));
  } else {
    const limit = t.limit !== undefined && t.limit > 0 && t.rows.length > t.limit ? t.limit : undefined;
    const body = limit === undefined ? t.rows : t.rows.slice(0, limit);
    const text = (row: Record<string, TableData['rows'][number][string]>): string[] =>
      t.columns.map((col) => visible(humanCell(row[col.key], col.kind)));
    const grid = body.map(text);
    if (t.footer) grid.push(text(t.footer).map((s) => c.bold(s)));
    const head = t.columns.map((col) => c.bold(visible(col.header)));
    lines.push(
      drawTable(
        head,
        grid,
        t.columns.map((col) => (col.kind === 'text' ? 'left' : 'right')),
      ),
    );
    if (limit !== undefined) {
      const more = t.rows.length - limit;
      lines.push(c.dim(`… ${more.toLocaleString('en-US')} more row${more === 1 ? '' : 's'}: --limit 0 for all, or --format csv`));
    }
  }
  for (const n of t.notes ?? []) lines.push(c.yellow(visible(n, true)));
  return lines.join('\n');
}
