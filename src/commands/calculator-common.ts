/** What the decision calculators (compare-selfhost, roadmap, unit-cost, whatif, limits) share: money display, the measured window and span. */

import type { Context } from '../core/context.js';
import type { Config } from '../lib/config.js';
import { formatUsd, nanosFromUsd, nanosToDecimal } from '../lib/money.js';
import { DAY_MS } from '../lib/time.js';
import { guardFormula } from '../render/csv.js';
import type { TableData } from '../render/types.js';
import type { Db } from '../store/db.js';
import type { UsageFilter } from '../store/queries/report.js';
import { coverageNote, windowCoverage } from './data-guard.js';
import { resolveTz } from './open.js';
import { type CommonFlags, DEFAULT_SINCE, resolveRange } from './options.js';

export type Run = (fn: () => Promise<number>) => Promise<void>;

/** The window a calculator measures, from --since/--until in --tz (else `config`'s timezone); by default the last 30 days (DEFAULT_SINCE). */
export function measuredWindow(flags: CommonFlags, ctx: Context, config?: Config): { tz: string; since: number; until: number } {
  const tz = resolveTz(flags, config);
  const now = ctx.now();
  const range = resolveRange(flags, tz, now, DEFAULT_SINCE);
  return { tz, since: range.since ?? now - 30 * DAY_MS, until: range.until ?? now };
}

export const usd = (x: number): string => formatUsd(nanosFromUsd(x), { decimals: 2 });

/**
 * The JSON money contract at a calculator's output boundary (the models compute in float dollars): every
 * `…Usd` number becomes `…Nanos`, an integer rounded half-up to whole nanos, and `…Usd`, that figure as an
 * exact decimal string ("913.140000000"); a null figure is null in both. Everything else is kept as it is.
 */
export function moneyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(moneyJson);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('Usd') && (typeof v === 'number' || v === null)) {
      const n = v === null ? null : nanosFromUsd(v);
      out[`${k.slice(0, -3)}Nanos`] = n;
      out[k] = n === null ? null : nanosToDecimal(n);
    } else out[k] = moneyJson(v);
  }
  return out;
}

/**
 * A calculator's CSV: its JSON payload (after moneyJson) as data, one `field,value` row per leaf, the field a
 * dotted path (`result.selfhost.totalNanos`, `phases.0.savingsUsd`), numbers as numbers, text formula-guarded.
 */
export function calculatorCsvTable(payload: unknown): TableData {
  const rows: TableData['rows'] = [];
  const walk = (v: unknown, path: string): void => {
    // Arrays too: their entries are keyed by index.
    if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    else rows.push({ field: path, value: typeof v === 'string' ? guardFormula(v) : v === null ? '' : String(v) });
  };
  walk(payload, '');
  return {
    columns: [
      { key: 'field', header: 'Field', kind: 'text' },
      { key: 'value', header: 'Value', kind: 'int' },
    ],
    rows,
  };
}

/**
 * The days a measured figure covers: the data's own first and last day inside the window. A default
 * window that the data only partly fills is said (on stderr) and scaled by the days it holds, never as if
 * it were whole.
 */
export function measuredSpan(
  db: Db,
  filter: UsageFilter & { since: number; until: number },
  tz: string,
  defaulted: boolean,
  ctx: Context,
): { first: string; last: string; days: number; partial: boolean; text: string } {
  const c = windowCoverage(db, filter, tz);
  if (!c) throw new Error('unreachable: measuredSpan after requireRows');
  if (defaulted && c.partial) ctx.err(`llmcost: ${coverageNote(c, 'the last 30 days')}\n`);
  return {
    first: c.firstDay,
    last: c.lastDay,
    days: c.spanDays,
    partial: c.partial,
    text: `${c.firstDay} to ${c.lastDay} (${c.spanDays} day${c.spanDays === 1 ? '' : 's'} with data${c.partial ? `, of a ${c.windowDays}-day window` : ''})`,
  };
}
