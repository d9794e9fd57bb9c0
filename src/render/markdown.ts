import { humanCell, visible } from './cells.js';
import type { TableData } from './types.js';

/** A cell or line of Markdown: control characters made visible (see `visible`), pipes escaped. */
const esc = (s: string): string => visible(s).replace(/\|/g, '\\|');

export function renderMarkdown(t: TableData): string {
  const lines: string[] = [];
  if (t.title) lines.push(`### ${esc(t.title)}`, '');
  lines.push(`| ${t.columns.map((c) => esc(c.header)).join(' | ')} |`);
  lines.push(`| ${t.columns.map((c) => (c.kind === 'text' ? '---' : '---:')).join(' | ')} |`);
  for (const row of t.rows) lines.push(`| ${t.columns.map((c) => esc(humanCell(row[c.key], c.kind))).join(' | ')} |`);
  if (t.footer) {
    const f = t.footer;
    lines.push(`| ${t.columns.map((c) => `**${esc(humanCell(f[c.key], c.kind)) || ' '}**`).join(' | ')} |`);
  }
  for (const n of t.notes ?? []) lines.push('', `> ${esc(n)}`);
  return lines.join('\n');
}
