/** The per-user report: totals, average daily cost, daily costs, model usage. Pure. */
import type { AggregateRow, Totals } from '../core/types.js';
import { divRound } from '../lib/money.js';
import { addTotals, buildReport, emptyTotals, type Report } from './report.js';

export interface UserReport {
  user: string;
  totals: Totals;
  /** Days in the report's span (first to last day, inclusive); 0 when there is no usage. */
  days: number;
  activeDays: number;
  /**
   * Priced cost / days in span, rounded to whole nanos; null when there is no usage or none of it is priced
   * (an unknown cost is not $0 a day).
   */
  averageDailyCostNanos: bigint | null;
  daily: Report;
  models: Report;
}

export function buildUserReport(
  user: string,
  dailyRows: AggregateRow[],
  modelRows: AggregateRow[],
  span: { first: number; last: number } | undefined,
): UserReport {
  const daily = buildReport(dailyRows, { period: 'daily', dims: [], firstDay: span?.first, lastDay: span?.last });
  const models = buildReport(modelRows, { period: undefined, dims: ['model'] });
  const totals = emptyTotals();
  for (const r of dailyRows) addTotals(totals, r);
  const days = span ? span.last - span.first + 1 : 0;
  const nothingPriced = totals.requests > 0 && totals.unpricedRequests === totals.requests;
  const avg = days > 0 && !nothingPriced ? divRound(totals.costNanos, BigInt(days)) : null;
  return {
    user,
    totals,
    days,
    activeDays: dailyRows.filter((r) => r.records > 0).length,
    averageDailyCostNanos: avg,
    daily,
    models,
  };
}
