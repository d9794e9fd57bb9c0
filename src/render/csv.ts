import { stringify } from 'csv-stringify/sync';
import { rawCell } from './cells.js';
import type { TableData } from './types.js';

/**
 * Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading quote
 * (OWASP "CSV injection"); numbers are never touched, so "-5" stays a number.
 */
export function guardFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function renderCsv(t: TableData): string {
  const records: string[][] = [t.columns.map((c) => c.key)];
  const row = (r: TableData['rows'][number]): string[] =>
    t.columns.map((c) => (c.kind === 'text' ? guardFormula(rawCell(r[c.key], c.kind)) : rawCell(r[c.key], c.kind)));
  for (const r of t.rows) records.push(row(r));
  return stringify(records).trimEnd();
}
