import type { UserReport } from '../analysis/user-report.js';
import type { UnpricedModel } from '../core/types.js';
import { formatUsd, nanosToDecimal } from '../lib/money.js';
import { type ReportJson, rangeJson, reportJson, reportTable, type TotalsJson, totalsJson, unpricedJson } from './report.js';
import type { TableData } from './types.js';

export interface UserReportJson {
  schemaVersion: 1;
  kind: 'user-report';
  user: string;
  timezone: string;
  range: { since: string | null; until: string | null };
  totals: TotalsJson;
  days: number;
  activeDays: number;
  averageDailyCostNanos: bigint | null;
  averageDailyCostUsd: string | null;
  daily: ReportJson['rows'];
  models: ReportJson['rows'];
  unpriced: ReturnType<typeof unpricedJson>;
}

export function userReportJson(
  r: UserReport,
  ctx: { tz: string; range: { since?: number; until?: number }; unpriced: UnpricedModel[] },
): UserReportJson {
  return {
    schemaVersion: 1,
    kind: 'user-report',
    user: r.user,
    timezone: ctx.tz,
    range: rangeJson(ctx.range),
    totals: totalsJson(r.totals),
    days: r.days,
    activeDays: r.activeDays,
    averageDailyCostNanos: r.averageDailyCostNanos,
    averageDailyCostUsd: r.averageDailyCostNanos === null ? null : nanosToDecimal(r.averageDailyCostNanos),
    daily: reportJson(r.daily, ctx).rows,
    models: reportJson(r.models, ctx).rows,
    unpriced: unpricedJson(ctx.unpriced),
  };
}

export function userReportTables(r: UserReport, unpriced: UnpricedModel[]): TableData[] {
  const t = r.totals;
  const unpricedCount = t.unpricedRequests.toLocaleString('en-US');
  const leftOut = t.unpricedRequests > 0 ? ` (${unpricedCount} unpriced requests not in it)` : '';
  const summary: TableData = {
    title: `User report: ${r.user}`,
    columns: [
      { key: 'metric', header: 'Metric', kind: 'text' },
      { key: 'value', header: 'Value', kind: 'text' },
    ],
    rows: [
      { metric: 'Total cost', value: t.requests > 0 && t.unpricedRequests === t.requests ? '—' : `${formatUsd(t.costNanos)}${leftOut}` },
      {
        metric: 'Requests',
        value: `${t.requests.toLocaleString('en-US')}${t.unpricedRequests > 0 ? ` (${unpricedCount} unpriced)` : ''}`,
      },
      {
        metric: 'Input / output tokens',
        value: `${r.totals.inputTokens.toLocaleString('en-US')} / ${r.totals.outputTokens.toLocaleString('en-US')}`,
      },
      { metric: 'Days (active / in range)', value: `${r.activeDays} / ${r.days}` },
      { metric: 'Average daily cost', value: r.averageDailyCostNanos === null ? '—' : `${formatUsd(r.averageDailyCostNanos)}${leftOut}` },
    ],
  };
  return [summary, reportTable(r.daily, 'Daily cost', []), reportTable(r.models, 'Models', unpriced)];
}
