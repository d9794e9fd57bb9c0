/**
 * The human table: box-drawn, head and totals in bold, numbers right-aligned. Drawn here rather than by
 * cli-table3, whose layout checks every cell against every other for row and column spans (quadratic: 17k rows
 * took minutes); this is linear in the cells and draws the same characters.
 */
import chalk, { Chalk } from 'chalk';
import { humanCell, visible } from './cells.js';
import type { RenderOptions, TableData } from './types.js';

/** SGR escape sequences (colors): they take no columns. */
const ANSI = /\u001b\[[0-9;]*m/g;
const EMOJI = /\p{Regional_Indicator}{2}|\p{Extended_Pictographic}(?:\u{fe0f}|\u{200d}\p{Extended_Pictographic})*/gu;

/** Whether a code point takes two columns (East Asian wide and fullwidth forms, as string-width counts them). */
function wide(cp: number): boolean {
  return (
    cp >= 0x1100 &&
    (cp <= 0x115f ||
      cp === 0x2329 ||
      cp === 0x232a ||
      (cp >= 0x2e80 && cp <= 0x3247 && cp !== 0x303f) ||
      (cp >= 0x3250 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0xa4c6) ||
      (cp >= 0xa960 && cp <= 0xa97c) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe10 && cp <= 0xfe19) ||
      (cp >= 0xfe30 && cp <= 0xfe6b) ||
      (cp >= 0xff01 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1b000 && cp <= 0x1b001) ||
      (cp >= 0x1f200 && cp <= 0x1f251) ||
      (cp >= 0x20000 && cp <= 0x3fffd))
  );
}

/** Terminal columns of a cell's text: colors take none, wide characters and emoji two, combining marks none. */
function textWidth(s: string): number {
  if (/^[\u0020-\u007e]*$/.test(s)) return s.length;
  let n = 0;
  for (const ch of s.replace(ANSI, '').replace(EMOJI, '  ')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x300 && cp <= 0x36f)) continue;
    n += wide(cp) ? 2 : 1;
  }
  return n;
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
    const footer = t.footer ? text(t.footer) : undefined;
    const head = t.columns.map((col) => visible(col.header));
    const widths = head.map(textWidth);
    for (const cells of footer ? [...grid, footer] : grid) {
      for (let i = 0; i < cells.length; i++) widths[i] = Math.max(widths[i] ?? 0, textWidth(cells[i] ?? ''));
    }
    const right = t.columns.map((col) => col.kind !== 'text');
    const line = (cells: string[], style?: (s: string) => string): string => {
      let out = '│';
      for (let i = 0; i < cells.length; i++) {
        const s = cells[i] ?? '';
        const pad = ' '.repeat((widths[i] ?? 0) - textWidth(s));
        const shown = style ? style(s) : s;
        out += ` ${right[i] ? pad + shown : shown + pad} │`;
      }
      return out;
    };
    const rule = (l: string, m: string, r: string): string => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
    const out = [rule('┌', '┬', '┐'), line(head, (s) => c.bold(s)), rule('├', '┼', '┤')];
    for (const cells of grid) out.push(line(cells));
    if (footer) out.push(line(footer, (s) => c.bold(s)));
    out.push(rule('└', '┴', '┘'));
    lines.push(out.join('\n'));
    if (limit !== undefined) {
      const more = t.rows.length - limit;
      lines.push(c.dim(`… ${more.toLocaleString('en-US')} more row${more === 1 ? '' : 's'}: --limit 0 for all, or --format csv`));
    }
  }
  for (const n of t.notes ?? []) lines.push(c.yellow(visible(n, true)));
  return lines.join('\n');
}
