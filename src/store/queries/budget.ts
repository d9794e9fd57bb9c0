/** The sums a budget is judged on, for its scope (model and provider values normalized by the caller). */
import type { Db } from '../db.js';
import { aggregateOnPlan, type BasisPlan, planBasis } from './basis.js';
import type { UsageFilter } from './report.js';

export interface BudgetSpend {
  plan: BasisPlan;
  inPeriod: { costNanos: bigint; requests: number; unpriced: number };
  todayNanos: bigint;
  /** One row per local day with data in [historyStart, startOfToday). */
  history: { day?: number; costNanos: bigint }[];
  /** Spend of each circuit-breaker window asked for (windows after `now` spend nothing). */
  breakers: { hourly?: WindowSpend[]; daily?: WindowSpend[] };
}

type WindowSpend = { start: number; end: number; spendNanos: bigint };

function sum(db: Db, plan: BasisPlan, filter: UsageFilter, tz: string): { costNanos: bigint; requests: number; unpriced: number } {
  const [r] = aggregateOnPlan(db, plan, { dims: [], byDay: false, tz, filter });
  return { costNanos: r?.costNanos ?? 0n, requests: r?.requests ?? 0, unpriced: r?.unpricedRequests ?? 0 };
}

/**
 * Spend of each window up to `now`, one sum per window (on the rollup where the bounds are whole hours of a
 * whole-hour zone): exact across DST changes and in half-hour zones, where local hours are not UTC hours.
 */
function windowSpend(
  db: Db,
  plan: BasisPlan,
  scope: UsageFilter,
  windows: readonly { start: number; end: number }[],
  now: number,
  tz: string,
) {
  return windows.map((w) => ({
    ...w,
    spendNanos: w.start < now ? sum(db, plan, { ...scope, since: w.start, until: Math.min(w.end, now) }, tz).costNanos : 0n,
  }));
}

/**
 * Spend of `scope` in the period so far, today, per day of the history window, and per window of the circuit
 * breakers' look-backs (src/analysis/breaker.ts, which replays clock hours: no "last 60 minutes" sum).
 */
export function budgetSpend(
  db: Db,
  scope: UsageFilter,
  at: {
    now: number;
    periodStart: number;
    startOfToday: number;
    historyStart: number;
    breakers?: { hourly?: readonly { start: number; end: number }[]; daily?: readonly { start: number; end: number }[] };
  },
  tz: string,
  basis?: 'usage' | 'billed',
): BudgetSpend {
  const { now } = at;
  // Each day of each provider from its request logs, else from the bill: never both (double counting) and
  // never neither (a day with only a bill is not $0).
  const lookback = [at.breakers?.hourly?.[0]?.start, at.breakers?.daily?.[0]?.start].filter((t) => t !== undefined);
  const plan = planBasis(db, { ...scope, since: Math.min(at.historyStart, at.periodStart, ...lookback), until: now }, tz, basis);
  const breakers: BudgetSpend['breakers'] = {};
  if (at.breakers?.hourly) breakers.hourly = windowSpend(db, plan, scope, at.breakers.hourly, now, tz);
  if (at.breakers?.daily) breakers.daily = windowSpend(db, plan, scope, at.breakers.daily, now, tz);
  return {
    plan,
    inPeriod: sum(db, plan, { ...scope, since: at.periodStart, until: now }, tz),
    todayNanos: sum(db, plan, { ...scope, since: at.startOfToday, until: now }, tz).costNanos,
    history: aggregateOnPlan(db, plan, { dims: [], byDay: true, tz, filter: { ...scope, since: at.historyStart, until: at.startOfToday } }),
    breakers,
  };
}
