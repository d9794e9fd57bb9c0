import { formatUsd, nanosToDecimal } from '../lib/money.js';
import type { Cell, CellKind } from './types.js';

/** Human text of a cell (tables and markdown). */
export function humanCell(v: Cell, kind: CellKind): string {
  if (v === null || v === undefined) return kind === 'usd' || kind === 'usd4' ? '—' : '';
  switch (kind) {
    case 'usd4':
      return typeof v === 'bigint' ? formatUsd(v, { decimals: 4 }) : String(v);
    case 'usd':
      return typeof v === 'bigint' ? formatUsd(v) : String(v);
    case 'int':
      return typeof v === 'number' || typeof v === 'bigint' ? v.toLocaleString('en-US') : String(v);
    case 'pct':
      return typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v);
    default:
      return String(v);
  }
}

/** Machine text of a cell (CSV): exact decimals for money, fractions for shares. */
export function rawCell(v: Cell, kind: CellKind): string {
  if (v === null || v === undefined) return '';
  if ((kind === 'usd' || kind === 'usd4') && typeof v === 'bigint') return nanosToDecimal(v);
  return String(v);
}
