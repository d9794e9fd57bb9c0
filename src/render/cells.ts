import { formatUsd, groupThousands, nanosToDecimal } from '../lib/money.js';
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
      if (typeof v === 'bigint' || (Number.isSafeInteger(v) && typeof v === 'number')) return groupThousands(v);
      return typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
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

/**
 * Control characters made visible for terminals, CI logs and Markdown: C0, DEL and C1 as `\xHH` (ESC is `\x1b`),
 * and line/paragraph separators and bidirectional overrides as `\u{HHHH}`, so a name such as "\x1b]0;pwned\x07"
 * cannot retitle a terminal, clear it, or reorder a line. `keepNewlines` keeps `\n` (notes that span lines).
 * JSON output keeps values intact; CSV keeps them too (quoted) with its formula guard.
 */
export function visible(s: string, keepNewlines = false): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (keepNewlines && ch === '\n') return ch;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
