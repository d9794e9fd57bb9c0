/**
 * Local days by dimension in a zone whose midnight is not a UTC midnight (Asia/Kolkata, Europe/Berlin), answered
 * from the daily rollup. A local day of constant offset is a UTC day shifted by r = (−offset) mod 24 h:
 *
 *   [U·24h + r, (U+1)·24h + r) = daily(U) − head(U) + head(U+1)        head(X) = [X·24h, X·24h + r)
 *                              = tail(U) + daily(U+1) − tail(U+1)      tail(X) = [X·24h + r, (X+1)·24h)
 *
 * with the shorter edge (5.5 h a day in Kolkata, 1 h in Berlin): its whole hours come from the hourly rollup in
 * one query for every day, its minutes from the rows (the whole edge from the rows where there is no hourly
 * rollup: the tag rollup). Every sum is an exact integer, so the signed sum equals the
 * sum over the rows; an entity left with no records had no rows that day and is dropped. Days whose offset
 * changes (DST) and the partial days at the ends of the range are left to the caller.
 */
import type { AggregateRow } from '../../core/types.js';
import { DAY_MS, type OffsetSegment } from '../../lib/time.js';
import { DAILY, HOUR_MS, RAW, ROLLUP, type Source } from './sources.js';

/** One grouped query on `src` over [since, until) (and `also`), bucketed by UTC day: `day` is the UTC day number. */
export type UtcDayQuery = (src: Source, since: number, until: number, also?: { sql: string; params: unknown[] }) => AggregateRow[];

interface WholeDay {
  /** Local day number. */
  day: number;
  /** The UTC day it is shifted from, and the shift. */
  utc: number;
  r: number;
}

/** The local days of [lo, hi) that lie whole in one offset segment, and the spans of [lo, hi) outside them. */
export function wholeLocalDays(segs: readonly OffsetSegment[], lo: number, hi: number): { whole: WholeDay[]; rest: [number, number][] } {
  const whole: WholeDay[] = [];
  const rest: [number, number][] = [];
  let at = lo;
  for (const seg of segs) {
    const from = Math.max(seg.from, lo);
    const to = Math.min(seg.to, hi);
    if (to <= from) continue;
    const r = ((-seg.offset % DAY_MS) + DAY_MS) % DAY_MS;
    // Local day d runs [d·24h − offset, (d+1)·24h − offset).
    for (let d = Math.ceil((from + seg.offset) / DAY_MS); (d + 1) * DAY_MS - seg.offset <= to; d++) {
      const start = d * DAY_MS - seg.offset;
      if (start > at) rest.push([at, start]);
      whole.push({ day: d, utc: (start - r) / DAY_MS, r });
      at = start + DAY_MS;
    }
  }
  if (at < hi) rest.push([at, hi]);
  return { whole, rest };
}

/** A row with every sum negated (exact integers: added to the same sums it cancels them). */
export const negate = (r: AggregateRow): AggregateRow => ({
  ...r,
  records: -r.records,
  requests: -r.requests,
  inputTokens: -r.inputTokens,
  outputTokens: -r.outputTokens,
  cacheReadTokens: -r.cacheReadTokens,
  cacheWriteTokens: -r.cacheWriteTokens,
  unpricedRequests: -r.unpricedRequests,
  costNanos: -r.costNanos,
});

function byDay(rows: AggregateRow[]): Map<number, AggregateRow[]> {
  const out = new Map<number, AggregateRow[]>();
  for (const r of rows) {
    const d = r.day ?? 0;
    const list = out.get(d);
    if (list) list.push(r);
    else out.set(d, [r]);
  }
  return out;
}

/**
 * The signed rows of the whole local days (each labelled with its local day), to be summed by day and keys
 * (mergeRows) and rid of the groups left with no records.
 */
export function shiftedDayRows(
  whole: readonly WholeDay[],
  run: UtcDayQuery,
  sources: { daily: Source; hourly: Source | undefined } = { daily: DAILY, hourly: ROLLUP },
): AggregateRow[] {
  if (whole.length === 0) return [];
  const out: AggregateRow[] = [];
  const put = (rows: AggregateRow[] | undefined, day: number, sign: 1 | -1): void => {
    for (const r of rows ?? []) out.push(sign === 1 ? { ...r, day } : { ...negate(r), day });
  };
  const head = (r: number): boolean => r <= DAY_MS / 2;
  // The UTC days whose daily rows are needed: U (head edge), U + 1 (tail edge).
  const dailyDays = whole.map((w) => (w.r === 0 || head(w.r) ? w.utc : w.utc + 1));
  const daily = byDay(run(sources.daily, Math.min(...dailyDays) * DAY_MS, (Math.max(...dailyDays) + 1) * DAY_MS));
  const edges = new Map<number, Map<number, AggregateRow[]>>();
  for (const r of new Set(whole.map((w) => w.r))) {
    if (r === 0) continue;
    const days = whole.filter((w) => w.r === r).map((w) => w.utc);
    const first = Math.min(...days);
    const last = Math.max(...days) + 1;
    const [a, b] = head(r) ? [0, r] : [r, DAY_MS];
    const ha = Math.ceil(a / HOUR_MS);
    const hb = Math.floor(b / HOUR_MS);
    const rows: AggregateRow[] = [];
    const minutes = (since: number, until: number): void => {
      if (since < until) rows.push(...run(RAW, since, until));
    };
    if (ha < hb && sources.hourly) {
      const hours: number[] = [];
      for (let x = first; x <= last; x++) for (let h = ha; h < hb; h++) hours.push(x * 24 + h);
      const also = { sql: `hour IN (${hours.map(() => '?').join(', ')})`, params: hours };
      rows.push(...run(sources.hourly, first * DAY_MS, (last + 1) * DAY_MS, also));
      for (let x = first; x <= last; x++) {
        minutes(x * DAY_MS + a, x * DAY_MS + ha * HOUR_MS);
        minutes(x * DAY_MS + hb * HOUR_MS, x * DAY_MS + b);
      }
    } else for (let x = first; x <= last; x++) minutes(x * DAY_MS + a, x * DAY_MS + b);
    edges.set(r, byDay(rows));
  }
  for (const w of whole) {
    const edge = edges.get(w.r);
    if (!edge) put(daily.get(w.utc), w.day, 1);
    else if (head(w.r)) {
      put(daily.get(w.utc), w.day, 1);
      put(edge.get(w.utc), w.day, -1);
      put(edge.get(w.utc + 1), w.day, 1);
    } else {
      put(edge.get(w.utc), w.day, 1);
      put(daily.get(w.utc + 1), w.day, 1);
      put(edge.get(w.utc + 1), w.day, -1);
    }
  }
  return out;
}
