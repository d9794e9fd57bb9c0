/** Logged vs computed vs billed, side by side, with the gap and what explains it. Pure: codes and numbers out. */
import type { ReconcileRow } from '../core/types.js';
import { DAY_MS } from '../lib/time.js';

/** What explains a line's gap (or why it is not compared); render/reconcile.ts turns each into words. */
export type Explanation =
  | { code: 'NO_BILL' }
  /** The provider's logs begin and/or end inside this UTC day (epoch ms of the first/last request). */
  | { code: 'PARTIAL_DAY'; logsBegin?: number; logsEnd?: number }
  | { code: 'UNPRICED'; requests: number }
  | { code: 'UNCERTAIN_COST'; requests: number }
  | { code: 'CACHE_NOT_LOGGED' }
  | { code: 'BILL_ESTIMATED' }
  | { code: 'NO_LOGS' };

export interface ReconcileLine {
  day: number;
  model: string;
  /** The gateway's reported cost (null when the logs carry none). */
  loggedNanos: bigint | null;
  computedNanos: bigint;
  billedNanos: bigint | null;
  /** billed − (logged, else computed); null without a bill. */
  gapNanos: bigint | null;
  /** gap / billed; null unless the day is compared. */
  gapPct: number | null;
  /**
   * Both sides are whole for this day: logs and a bill, and the logs neither begin nor end inside it. Only
   * compared lines have a gap % and count against --threshold (a partial day of logs is no finding).
   */
  compared: boolean;
  explanations: Explanation[];
}

/** UTC days (day numbers) on which the provider's request logs begin or end inside the day, with the time. */
export type PartialLogDays = Map<number, { logsBegin?: number; logsEnd?: number }>;

const HOUR_MS = 3_600_000;

/** The UTC days on which the provider's logs (first and last request, epoch ms) begin or end more than an hour inside the day. */
export function partialDays(span: { first: number; last: number } | undefined): PartialLogDays {
  const out: PartialLogDays = new Map();
  if (!span) return out;
  const firstDay = Math.floor(span.first / DAY_MS);
  const lastDay = Math.floor(span.last / DAY_MS);
  if (span.first - firstDay * DAY_MS >= HOUR_MS) out.set(firstDay, { logsBegin: span.first });
  if ((lastDay + 1) * DAY_MS - span.last > HOUR_MS) out.set(lastDay, { ...out.get(lastDay), logsEnd: span.last });
  return out;
}

const key = (m: string): string => m.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Joins request-level and billed rows per day and model. Bills name models coarsely ("claude-3-haiku") and
 * logs precisely ("claude-3-haiku-20240307"): a logged model joins the billed model whose key is a prefix of its own.
 */
export function reconcile(rows: ReconcileRow[], byModel: boolean, partial: PartialLogDays = new Map()): ReconcileLine[] {
  const billedKeys = [...new Set(rows.filter((r) => r.basis === 'billed').map((r) => key(r.model)))].sort((a, b) => b.length - a.length);
  const joinKey = (r: ReconcileRow): string => {
    if (!byModel) return '';
    const k = key(r.model);
    return billedKeys.find((b) => k.startsWith(b)) ?? k;
  };
  const lines = new Map<
    string,
    ReconcileLine & {
      referenceNanos: bigint;
      anyUsage: boolean;
      unpriced: number;
      uncertain: number;
      loggedCache: number;
      billedCache: number;
      estimated: number;
      anyLogged: boolean;
      anyBilled: boolean;
    }
  >();
  for (const r of rows) {
    const k = `${r.day}\u0000${joinKey(r)}`;
    let l = lines.get(k);
    if (!l) {
      l = {
        day: r.day,
        model: byModel ? r.model : '(all)',
        loggedNanos: 0n,
        computedNanos: 0n,
        billedNanos: 0n,
        gapNanos: null,
        gapPct: null,
        compared: false,
        explanations: [],
        referenceNanos: 0n,
        anyUsage: false,
        unpriced: 0,
        uncertain: 0,
        loggedCache: 0,
        billedCache: 0,
        estimated: 0,
        anyLogged: false,
        anyBilled: false,
      };
      lines.set(k, l);
    }
    if (r.basis === 'billed') {
      l.billedNanos = (l.billedNanos ?? 0n) + r.costNanos;
      l.billedCache += r.cacheTokens;
      l.estimated += r.estimated;
      l.anyBilled = true;
      if (byModel) l.model = r.model;
    } else {
      l.loggedNanos = (l.loggedNanos ?? 0n) + r.loggedNanos;
      l.computedNanos += r.computedNanos;
      // Each request at its own best figure (logged, else computed): a day whose logs carry a cost on some
      // rows only is not compared on that part alone.
      l.referenceNanos += r.costNanos;
      l.anyUsage = true;
      l.unpriced += r.unpricedRequests;
      l.uncertain += r.uncertainRequests;
      l.loggedCache += r.cacheTokens;
      if (r.loggedNanos > 0n) l.anyLogged = true;
    }
  }
  const out: ReconcileLine[] = [];
  for (const l of lines.values()) {
    const logged = l.anyLogged ? l.loggedNanos : null;
    const billed = l.anyBilled ? l.billedNanos : null;
    const reference = l.referenceNanos;
    const gap = billed === null ? null : (billed ?? 0n) - reference;
    const edge = partial.get(l.day);
    const compared = billed !== null && l.anyUsage && edge === undefined;
    const explanations: Explanation[] = [];
    if (billed === null) explanations.push({ code: 'NO_BILL' });
    if (edge !== undefined && l.anyUsage) explanations.push({ code: 'PARTIAL_DAY', ...edge });
    if (l.unpriced > 0) explanations.push({ code: 'UNPRICED', requests: l.unpriced });
    if (l.uncertain > 0) explanations.push({ code: 'UNCERTAIN_COST', requests: l.uncertain });
    if (l.billedCache > 0 && l.loggedCache === 0) explanations.push({ code: 'CACHE_NOT_LOGGED' });
    if (l.estimated > 0) explanations.push({ code: 'BILL_ESTIMATED' });
    if (billed !== null && !l.anyUsage) explanations.push({ code: 'NO_LOGS' });
    out.push({
      day: l.day,
      model: l.model,
      loggedNanos: logged,
      computedNanos: l.computedNanos,
      billedNanos: billed,
      gapNanos: gap,
      gapPct: gap === null || !billed || !compared ? null : Number((gap * 10000n) / billed) / 10000,
      compared,
      explanations,
    });
  }
  return out.sort((a, b) => a.day - b.day || a.model.localeCompare(b.model));
}
