/** The sums a budget is judged on, for its scope (model and provider values normalized by the caller). */
import type { Db } from '../db.js';
import { aggregateOnPlan, type BasisPlan, planBasis } from './basis.js';
import type { UsageFilter } from './report.js';

export interface BudgetSpend {
  plan: BasisPlan;
  inPeriod: { costNanos: bigint; requests: number; unpriced: number };
  todayNanos: bigint;
  lastHourNanos: bigint;
  /** One row per local day with data in [historyStart, startOfToday). */
  history: { day?: number; costNanos: bigint }[];
}

function sum(db: Db, plan: BasisPlan, filter: UsageFilter, tz: string): { costNanos: bigint; requests: number; unpriced: number } {
  const [r] = aggregateOnPlan(db, plan, { dims: [], byDay: false, tz, filter });
  return { costNanos: r?.costNanos ?? 0n, requests: r?.requests ?? 0, unpriced: r?.unpricedRequests ?? 0 };
}

/** Spend of `scope` in the period so far, today, in the last hour, and per day of the history window. */
export function budgetSpend(
  db: Db,
  scope: UsageFilter,
  at: { now: number; periodStart: number; startOfToday: number; historyStart: number },
  tz: string,
  basis?: 'usage' | 'billed',
): BudgetSpend {
  const { now } = at;
  // Each day of each provider from its request logs, else from the bill: never both (double counting) and
  // never neither (a day with only a bill is not $0).
  const plan = planBasis(db, { ...scope, since: Math.min(at.historyStart, at.periodStart), until: now }, tz, basis);
  return {
    plan,
    inPeriod: sum(db, plan, { ...scope, since: at.periodStart, until: now }, tz),
    todayNanos: sum(db, plan, { ...scope, since: at.startOfToday, until: now }, tz).costNanos,
    lastHourNanos: sum(db, plan, { ...scope, since: now - 3_600_000, until: now }, tz).costNanos,
    history: aggregateOnPlan(db, plan, { dims: [], byDay: true, tz, filter: { ...scope, since: at.historyStart, until: at.startOfToday } }),
  };
}
