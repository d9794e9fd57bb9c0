/** `llmcost report`: what runs (loaded by the action in report.ts, so `--help` loads none of it). */
import { buildReport, type Period, type Report, type SortKey } from '../analysis/report.js';
import { buildUserReport, type UserReport } from '../analysis/user-report.js';
import type { Context } from '../core/context.js';
import type { ColumnDimension, UnpricedModel } from '../core/types.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { dayNumber, dayNumberToIso, localDate } from '../lib/time.js';
import { columnChart, periodPoints } from '../render/chart.js';
import { renderLazy } from '../render/lazy.js';
import { reportJson, reportTable } from '../render/report.js';
import { userReportJson, userReportTables } from '../render/user-report.js';
import type { Db } from '../store/db.js';
import { aggregateOnPlan, type BasisPlan, planBasis } from '../store/queries/basis.js';
import { type Dimension, dataRange, estimatedBillingDays, type UsageFilter, unpricedModels } from '../store/queries/report.js';
import { requireRows } from './data-guard.js';
import { openFromFlags, resolveTz } from './open.js';
import { listValues, resolveFormat, resolveRange } from './options.js';
import { DEFAULT_LIMIT, type ReportFlags } from './report.js';
import { billedDaysJson, parseDims, scopeFilter } from './report-common.js';
import { addMetricColumns, checkMetricsFlags, metricsOf, reportMetrics } from './report-metrics.js';
import { storeFilter } from './store-filter.js';

export async function reportCommand(flags: ReportFlags, ctx: Context): Promise<number> {
  const periods = (['daily', 'weekly', 'monthly'] as const).filter((p) => flags[p]);
  if (periods.length > 1)
    throw new UserError(`Choose one of --daily, --weekly, --monthly (got ${periods.map((p) => `--${p}`).join(' ')}).`);
  const period: Period | undefined = periods[0];
  const dims = parseDims(listValues(flags.by));
  if (flags.metrics) checkMetricsFlags(period, dims);
  const format = resolveFormat(flags);
  const tz = resolveTz(flags);
  const now = ctx.now();
  const range = resolveRange(flags, tz, now);
  const given = scopeFilter(flags, range);
  const db = openFromFlags(flags, ctx);
  try {
    requireRows(db, given, tz);
    const filter = storeFilter(given);
    // Never double count: each day of each provider comes from its request logs, or else from the bill.
    const plan = planBasis(db, filter, tz, flags.basis as 'usage' | 'billed' | undefined);
    const unpricedFilter = unpricedFilterOf(filter, plan);
    const basisJson = { basis: plan.basis, billedDays: billedDaysJson(plan) };
    if (!period && dims.length === 0 && filter.user?.length === 1) {
      const user = filter.user[0] ?? '';
      const result = userReport(db, plan, user, filter, tz);
      const unpriced = unpricedModels(db, unpricedFilter, tz);
      const json = { ...userReportJson(result, { tz, range, unpriced }), ...basisJson };
      ctx.out(await renderLazy(format, json, () => userReportTables(result, unpriced), ctx.view));
      return ExitCode.Ok;
    }
    const { report, effectivePeriod, unpriced, estimated, overlap } = usageReport(db, plan, filter, {
      tz,
      range,
      dims,
      period,
      ...(flags.sort ? { sort: flags.sort } : {}),
    });
    const basisTitle = plan.basis === 'billed' ? ', billed' : plan.basis === 'mixed' ? ', logs + bill' : '';
    const title = `LLM cost${effectivePeriod ? ` ${effectivePeriod}` : ''}${dims.length ? ` by ${dims.join(' × ')}` : ''} (${tz}${basisTitle})`;
    const metrics = flags.metrics && dims[0] ? reportMetrics(db, filter, tz, dims[0] as ColumnDimension) : undefined;
    if (format === 'json') {
      // Only the payload the format prints is built: 20k rows as both JSON and table cells doubled the work.
      const json = {
        ...reportJson(report, { tz, range, unpriced }),
        ...basisJson,
        estimatedBillingDays: estimated,
        ...(overlap ? { tagsOverlap: true } : {}),
      };
      if (metrics) {
        json.rows.forEach((r, i) => {
          Object.assign(r, { health: metricsOf(metrics, report.rows[i]?.keys[0] ?? '') });
        });
        Object.assign(json.totals, { health: metrics.total });
      }
      ctx.out(await renderLazy(format, json, () => [], ctx.view));
      return ExitCode.Ok;
    }
    const table = reportTable(report, title, unpriced);
    if (metrics) addMetricColumns(table, report, metrics, format !== 'csv');
    const notes = [...(table.notes ?? [])];
    for (const b of plan.basis === 'mixed' ? plan.billed : [])
      notes.push(`No request logs for ${b.provider} on ${b.days.length} day(s): taken from the bill (${spanText(b.days)}).`);
    if (estimated.length > 0) notes.push(`Estimated by Cost Explorer (may be restated): ${estimated.join(', ')}.`);
    if (overlap)
      notes.push(
        'Tags overlap: a request with several tags is counted under each, so shares may sum above 100%; the total counts it once.',
      );
    table.notes = notes;
    const limit = flags.limit ?? (dims.length > 0 ? DEFAULT_LIMIT : 0);
    if (limit > 0) table.limit = limit;
    let text = await renderLazy(format, undefined, () => [table], ctx.view);
    if (format === 'table' && effectivePeriod && (flags.chart ?? ctx.view.columns !== undefined)) {
      const points = periodPoints(report.rows);
      const unit = effectivePeriod === 'daily' ? 'day' : effectivePeriod === 'weekly' ? 'week' : 'month';
      if (points.length > 0)
        text += `\n\n${columnChart(points, { title: `Cost per ${unit}`, width: ctx.view.columns ?? 80, color: ctx.view.color })}`;
    }
    ctx.out(text);
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}

/** Unpriced usage exists only in request-level rows (billing rows carry their billed cost). */
function unpricedFilterOf(filter: UsageFilter, plan: BasisPlan): UsageFilter {
  return { ...filter, basis: plan.basis === 'mixed' ? 'usage' : plan.basis === 'all' ? undefined : plan.basis };
}

/** The filters of `report` as given on the command line, before the store's spelling of models and providers. */

/**
 * The figures of `report` for a (store-spelled) filter on a basis plan: what the command prints and what the
 * HTML report shows. Without a period and dimension it is the daily report.
 */
export function usageReport(
  db: Db,
  plan: BasisPlan,
  filter: UsageFilter,
  o: { tz: string; range: { since?: number; until?: number }; dims: Dimension[]; period: Period | undefined; sort?: SortKey },
): { report: Report; effectivePeriod: Period | undefined; unpriced: UnpricedModel[]; estimated: string[]; overlap: boolean } {
  const { tz, dims } = o;
  const effectivePeriod = o.period ?? (dims.length === 0 ? 'daily' : undefined);
  const rows = aggregateOnPlan(db, plan, { dims, byDay: effectivePeriod !== undefined, tz, filter });
  const days = dayBounds(db, filter, o.range, tz);
  // --by tag: a request with several tags is in several rows; the totals count it once.
  const once = dims.includes('tag')
    ? buildReport(aggregateOnPlan(db, plan, { dims: [], byDay: false, tz, filter }), { period: undefined, dims: [] }).totals
    : undefined;
  const report = buildReport(rows, {
    period: effectivePeriod,
    dims,
    firstDay: days?.first,
    lastDay: days?.last,
    ...(o.sort ? { sort: o.sort } : {}),
    ...(once ? { totals: once } : {}),
  });
  // Tags overlap only when some request in range is in two groups (two tags): the groups then hold more records than it.
  const overlap = once !== undefined && rows.reduce((n, r) => n + r.records, 0) > once.records;
  const unpriced = unpricedModels(db, unpricedFilterOf(filter, plan), tz);
  const estimated = plan.basis === 'billed' || plan.basis === 'mixed' ? estimatedBillingDays(db, filter, tz) : [];
  return { report, effectivePeriod, unpriced, estimated, overlap };
}

/** "2026-10-01, 2026-10-03" for a few days; "2026-10-01 to 2026-10-14" only when the days are consecutive. */
function spanText(days: number[]): string {
  const first = days[0];
  const last = days.at(-1);
  if (first === undefined || last === undefined) return '';
  if (last - first + 1 === days.length && days.length > 2) return `${dayNumberToIso(first)} to ${dayNumberToIso(last)}`;
  if (days.length <= 5) return days.map(dayNumberToIso).join(', ');
  return `${days.length} days from ${dayNumberToIso(first)} to ${dayNumberToIso(last)}`;
}

/** The local days a report spans: the requested range, else the data's first and last day. */
function dayBounds(
  db: Db,
  filter: UsageFilter,
  range: { since?: number; until?: number },
  tz: string,
): { first: number; last: number } | undefined {
  const data = dataRange(db, filter, tz);
  if (!data) return undefined;
  const first = dayNumber(localDate(range.since ?? data.min, tz));
  const last = dayNumber(localDate(range.until !== undefined ? range.until - 1 : data.max, tz));
  return { first, last };
}

function userReport(db: Db, plan: BasisPlan, user: string, filter: UsageFilter, tz: string): UserReport {
  const daily = aggregateOnPlan(db, plan, { dims: [], byDay: true, tz, filter });
  const models = aggregateOnPlan(db, plan, { dims: ['model'], byDay: false, tz, filter });
  const days = dayBounds(
    db,
    filter,
    { ...(filter.since !== undefined ? { since: filter.since } : {}), ...(filter.until !== undefined ? { until: filter.until } : {}) },
    tz,
  );
  return buildUserReport(user, daily, models, days);
}
