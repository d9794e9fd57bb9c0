/** Pure report assembly: aggregate rows in, periods, shares and totals out. No I/O, no clock. */

import { type AggregateRow, addTotals, type Dimension, type Totals } from '../core/types.js';
import { divRound } from '../lib/money.js';
import { dayNumberToIso, monthOf, weekStart } from '../lib/time.js';

export type Period = 'daily' | 'weekly' | 'monthly';

/** The order of a report's rows within each period: largest first, or by name (`keys`, then A to Z). */
export type SortKey = 'cost' | 'requests' | 'tokens' | 'name';
export const SORT_KEYS: readonly SortKey[] = ['cost', 'requests', 'tokens', 'name'];

const tokensOf = (t: Totals): number => t.inputTokens + t.outputTokens + t.cacheReadTokens + t.cacheWriteTokens;
const byNumber = (a: number, b: number): number => (a === b ? 0 : a > b ? -1 : 1);
const SORTS: Record<Exclude<SortKey, 'name'>, (a: Totals, b: Totals) => number> = {
  cost: (a, b) => (a.costNanos === b.costNanos ? 0 : a.costNanos > b.costNanos ? -1 : 1),
  requests: (a, b) => byNumber(a.requests, b.requests),
  tokens: (a, b) => byNumber(tokensOf(a), tokensOf(b)),
};

export interface ReportRow extends Totals {
  /** Period label: YYYY-MM-DD (day, or Monday of an ISO week) or YYYY-MM. */
  period?: string;
  keys: string[];
  /** Share of the report's total cost, 0..1. */
  share: number;
}

export interface Report {
  period: Period | undefined;
  dims: Dimension[];
  rows: ReportRow[];
  totals: Totals;
}

export function emptyTotals(): Totals {
  return {
    records: 0,
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costNanos: 0n,
    unpricedRequests: 0,
  };
}

export { addTotals };

function periodLabel(day: number, period: Period): string {
  if (period === 'daily') return dayNumberToIso(day);
  if (period === 'weekly') return dayNumberToIso(weekStart(day));
  return monthOf(dayNumberToIso(day));
}

/** Cost share as a ratio of exact nanos (float only at the end). */
export function share(part: bigint, total: bigint): number {
  if (total === 0n) return 0;
  return Number((part * 1_000_000n) / total) / 1_000_000;
}

/**
 * Most empty days a report fills in (100 years): a span wider than that comes from a stray timestamp stored
 * before ingest checked the plausible range (year 1900 or 9999), and filling it would take minutes and gigabytes.
 */
export const MAX_FILLED_DAYS = 36_600;

/**
 * A zero row, made by adding to emptyTotals() rather than spreading it: spread rows get a slow object layout, and
 * adding 20k of them up took most of a large report's time.
 */
function newRow(keys: string[], period: string | undefined): ReportRow {
  const row: ReportRow = Object.assign(emptyTotals(), { keys, share: 0 });
  if (period !== undefined) row.period = period;
  return row;
}

/**
 * Builds a report. With a period and no dimensions, days without usage inside [firstDay, lastDay]
 * are filled with zero rows so a quiet day shows as $0 rather than vanishing (up to MAX_FILLED_DAYS days;
 * beyond that only days with usage are listed).
 */
export function buildReport(
  rows: AggregateRow[],
  opts: {
    period: Period | undefined;
    dims: Dimension[];
    firstDay?: number | undefined;
    lastDay?: number | undefined;
    /** Within each period (chronological); default cost, largest first. Ties go by name. */
    sort?: SortKey;
    /**
     * The totals, counted once, when rows overlap (`--by tag`: a request with several tags is in several rows).
     * Shares are of these totals, so they may sum above 100 %. Default: the sum of the rows.
     */
    totals?: Totals;
  },
): Report {
  const groups = new Map<string, ReportRow>();
  const totals = emptyTotals();
  for (const r of rows) {
    const period = opts.period && r.day !== undefined ? periodLabel(r.day, opts.period) : undefined;
    const key = `${period ?? ''}\u0000${r.keys.join('\u0000')}`;
    let g = groups.get(key);
    if (!g) {
      g = newRow(r.keys, period);
      groups.set(key, g);
    }
    addTotals(g, r);
    addTotals(totals, r);
  }
  if (
    opts.period &&
    opts.dims.length === 0 &&
    opts.firstDay !== undefined &&
    opts.lastDay !== undefined &&
    opts.lastDay - opts.firstDay < MAX_FILLED_DAYS
  ) {
    for (let d = opts.firstDay; d <= opts.lastDay; d++) {
      const label = periodLabel(d, opts.period);
      const key = `${label}\u0000`;
      if (!groups.has(key)) groups.set(key, newRow([], label));
    }
  }
  const out = [...groups.values()];
  const whole = opts.totals ?? totals;
  for (const g of out) g.share = share(g.costNanos, whole.costNanos);
  const sort = opts.sort ?? 'cost';
  const measure = sort === 'name' ? undefined : SORTS[sort];
  const names = new Map(out.map((g) => [g, g.keys.join('\u0000')]));
  out.sort((a, b) => {
    if (a.period !== b.period) return (a.period ?? '') < (b.period ?? '') ? -1 : 1;
    const m = measure?.(a, b) ?? 0;
    if (m !== 0) return m;
    const [x = '', y = ''] = [names.get(a), names.get(b)];
    return x === y ? 0 : x < y ? -1 : 1;
  });
  return { period: opts.period, dims: opts.dims, rows: out, totals: whole };
}

/** Requests with a cost (catalog-priced, reported or billed); the cost of the rest is unknown, not $0. */
export function pricedRequests(t: Totals): number {
  return t.requests - t.unpricedRequests;
}

/**
 * Average cost per priced request, rounded to whole nanos. Unpriced requests are left out of both sides (their
 * cost is unknown, so counting them would price them at $0), and so is billed cost (a bill has no requests);
 * null when no request is priced.
 */
export function costPerRequest(t: Totals): bigint | null {
  const priced = pricedRequests(t);
  if (priced <= 0) return null;
  const r = BigInt(priced);
  return divRound(t.costNanos - (t.billedNanos ?? 0n), r);
}
