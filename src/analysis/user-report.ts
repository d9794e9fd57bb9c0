/** The per-user report: totals, average daily cost, daily costs, model usage. Pure. */
import type { AggregateRow, Totals } from '../store/queries/report.js';
import { addTotals, buildReport, emptyTotals, type Report } from './report.js';

export interface UserReport {
  user: string;
  totals: Totals;
  /** Days in the report's span (first to last day, inclusive); 0 when there is no usage. */
  days: number;
  activeDays: number;
  /** Total cost / days in span, rounded to whole nanos. */
  averageDailyCostNanos: bigint;
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
  const avg = days > 0 ? (totals.costNanos * 2n + BigInt(days)) / (2n * BigInt(days)) : 0n;
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
