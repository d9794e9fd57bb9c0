/**
 * The human table: drawn by cli-table3, head and totals in bold, numbers right-aligned. cli-table3 sets every cell
 * up on its own (border options merged, the width measured several times with string-width, a layout pass over
 * the earlier rows for spans): about 40 µs a cell, so 20k rows of 11 columns took 8-10 s even in chunks. It draws
 * the frame, the head and one template row here; the body rows are that template row with each cell in place of
 * its placeholder, padded as cli-table3 pads (to the column's width, on the left for right-aligned columns).
 * Byte for byte what one cli-table3 table of all the rows prints (table.test.ts compares them), in linear time.
 */
import chalk, { Chalk } from 'chalk';
import Table from 'cli-table3';
import stringWidth from 'string-width';
import { humanCell, visible } from './cells.js';
import { type Fit, fitTable, truncateMiddle } from './fit.js';
import type { Column, RenderOptions, TableData } from './types.js';

type Align = 'left' | 'right';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Display width as string-width measures it; printable ASCII (most cells) is one column a character. */
export const displayWidth = (s: string): number => (PRINTABLE_ASCII.test(s) ? s.length : stringWidth(s));

/**
 * The cells as one cli-table3 table with `head` prints them. Each column is as wide as cli-table3 would make it:
 * its widest cell (display width) plus one space of padding on each side. Cells close the styles they open (as
 * chalk's do) and hold no newline (`visible` escapes control characters).
 */
export function drawTable(head: string[], rows: string[][], colAligns: Align[]): string {
  const widths = rows.map((cells) => cells.map(displayWidth));
  const colWidths = head.map(displayWidth);
  for (const w of widths) for (let i = 0; i < w.length; i++) colWidths[i] = Math.max(colWidths[i] ?? 0, w[i] ?? 0);
  const inner = colWidths.slice();
  for (let i = 0; i < colWidths.length; i++) colWidths[i] = (colWidths[i] ?? 0) + 2;
  const table = new Table({ head, colWidths, colAligns, style: { head: [], border: [], compact: true } });
  // A column with nothing in it has no room for a placeholder: cli-table3 draws such a table row by row.
  if (rows.length === 0 || inner.includes(0)) {
    for (const cells of rows) table.push(cells);
    return table.toString();
  }
  table.push(inner.map((w) => 'x'.repeat(w)));
  const lines = table.toString().split('\n');
  // The template row: border and padding around each placeholder ("│ ", " │ ", …, " │").
  const glue = (lines.at(-2) ?? '').split(/x+/);
  const body = rows.map((cells, r) => {
    let line = glue[0] ?? '';
    for (let i = 0; i < head.length; i++) {
      const text = cells[i] ?? '';
      const pad = ' '.repeat((inner[i] ?? 0) - (widths[r]?.[i] ?? 0));
      line += (colAligns[i] === 'right' ? pad + text : text + pad) + (glue[i + 1] ?? '');
    }
    return line;
  });
  return [...lines.slice(0, -2), ...body, lines.at(-1)].join('\n');
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
    let grid = body.map(text);
    let footer = t.footer ? text(t.footer) : undefined;
    let columns = t.columns;
    const fit =
      opts.columns !== undefined && !opts.wide ? fitToTerminal(t.columns, [...grid, ...(footer ? [footer] : [])], opts.columns) : undefined;
    if (fit && (fit.hidden.length > 0 || fit.shortened)) {
      const project = (cells: string[]): string[] =>
        fit.keep.map((i, k) => {
          const max = fit.maxWidth[k];
          return max === undefined ? (cells[i] ?? '') : truncateMiddle(cells[i] ?? '', max);
        });
      grid = grid.map(project);
      if (footer) footer = project(footer);
      columns = fit.keep.map((i) => t.columns[i] ?? { key: '', header: '', kind: 'text' });
    }
    if (footer) grid.push(footer.map((s) => c.bold(s)));
    const head = columns.map((col) => c.bold(visible(col.header)));
    lines.push(
      drawTable(
        head,
        grid,
        columns.map((col) => (col.kind === 'text' ? 'left' : 'right')),
      ),
    );
    if (fit && (fit.hidden.length > 0 || fit.shortened)) lines.push(c.dim(fitNote(fit, opts.columns ?? 0)));
    if (limit !== undefined) {
      const more = t.rows.length - limit;
      lines.push(c.dim(`… ${more.toLocaleString('en-US')} more row${more === 1 ? '' : 's'}: --limit 0 for all, or --format csv`));
    }
  }
  for (const n of t.notes ?? []) lines.push(c.yellow(visible(n, true)));
  return lines.join('\n');
}

/** The fitting plan for these cells: each column's natural width is its widest cell or its header. */
function fitToTerminal(columns: Column[], grid: string[][], width: number): Fit {
  const natural = columns.map((col) => displayWidth(visible(col.header)));
  for (const cells of grid) for (let i = 0; i < cells.length; i++) natural[i] = Math.max(natural[i] ?? 0, displayWidth(cells[i] ?? ''));
  return fitTable(
    columns.map((col) => ({ header: col.header, text: col.kind === 'text', drop: col.drop })),
    natural,
    width,
  );
}

/** "Fitted to 80 columns: Cache write and Cache read hidden, long names shortened (--wide shows everything)." */
function fitNote(fit: Fit, width: number): string {
  const what = [
    ...(fit.hidden.length > 0 ? [`${fit.hidden.join(', ')} hidden`] : []),
    ...(fit.shortened ? ['long names shortened in the middle'] : []),
  ];
  return `Fitted to ${width} columns: ${what.join('; ')} (--wide shows every column in full).`;
}
