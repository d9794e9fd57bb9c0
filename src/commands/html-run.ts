/**
 * `llmcost report --html FILE`, `llmcost dashboard [FILE]` and `llmcost demo --html`: the self-contained HTML report.
 * Every figure comes from the compute step of the command that prints it (report, pareto, anomalies, forecast,
 * budget status, reconcile), called with the flags that command would get, so the page equals their JSON outputs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Period } from '../analysis/report.js';
import type { Context } from '../core/context.js';
import { type Config, loadConfig } from '../lib/config.js';
import { DataError, ExitCode, UserError } from '../lib/errors.js';
import { dayNumber, dayNumberToIso, isoUtc, localDate } from '../lib/time.js';
import { type BurnDown, type HtmlReportData, PARETO_DIMENSIONS } from '../render/html/data.js';
import { renderHtmlReport } from '../render/html/page.js';
import { reconcileJson } from '../render/reconcile.js';
import { reportJson, totalsJson } from '../render/report.js';
import type { Db } from '../store/db.js';
import { planBasis } from '../store/queries/basis.js';
import type { UsageFilter } from '../store/queries/report.js';
import type { AnomalyFlags } from './anomalies.js';
import { scanAnomalies, scanOptions } from './anomalies-run.js';
import { evaluateBudgets } from './budget-run.js';
import { requireRows } from './data-guard.js';
import { forecastPayload } from './forecast-run.js';
import { healthPayload } from './health-run.js';
import { openFromFlags, projectConfig, resolveTz } from './open.js';
import { DEFAULT_SINCE, listValues, resolveRange } from './options.js';
import { paretoPayload } from './pareto-run.js';
import { reconcileLines } from './reconcile-run.js';
import type { ReportFlags } from './report.js';
import { billedDaysJson, parseDims, scopeFilter } from './report-common.js';
import { usageReport } from './report-run.js';
import { budgetScope, storeFilter } from './store-filter.js';

export interface HtmlFlags extends ReportFlags {
  /** Budgets for the burn-down section (default: ./llmcost.config.json). */
  config?: string;
}

/** Rows each Pareto table shows: pareto's default --top. */
const PARETO_TOP = 20;

export async function htmlReportCommand(flags: HtmlFlags, file: string, ctx: Context): Promise<number> {
  if (flags.format !== undefined || flags.json)
    throw new UserError('--html writes an HTML file: --format and --json do not apply to it.', { hint: 'Drop one of them.' });
  const config = flags.config === undefined ? projectConfig() : loadConfig(flags.config);
  const tz = resolveTz(flags, config);
  const now = ctx.now();
  const db = openFromFlags(flags, ctx, config);
  let data: HtmlReportData;
  try {
    data = collectHtmlData(db, flags, { tz, now, config });
  } finally {
    db.close();
  }
  ctx.out(writeHtmlReport(file, data));
  return ExitCode.Ok;
}

/** Writes the page; returns the absolute path it was written to. */
export function writeHtmlReport(file: string, data: HtmlReportData): string {
  const path = resolve(file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderHtmlReport(data));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(`Cannot write the HTML report to ${path}: ${e.code ?? e.message}.`, {
      hint: 'Give a writable file path, e.g. --html report.html.',
      cause: err,
    });
  }
  return path;
}

/**
 * The figures of the HTML report over --since (default: the last 30 days, as pareto and anomalies) to --until,
 * narrowed by report's filters. Each section calls the compute step of its command with the same range.
 */
export function collectHtmlData(db: Db, flags: HtmlFlags, o: { tz: string; now: number; config: Config }): HtmlReportData {
  const { tz, now, config } = o;
  const sinceText = flags.since ?? DEFAULT_SINCE;
  const ranged: HtmlFlags = { ...flags, since: sinceText };
  const range = resolveRange(ranged, tz, now);
  const since = range.since ?? now;
  const until = range.until ?? now;
  const given = scopeFilter(ranged, range);
  requireRows(db, given, tz);
  const filter = storeFilter(given);
  const { since: _s, until: _u, ...scope } = filter;
  const basis = flags.basis as 'usage' | 'billed' | undefined;
  const notes: Record<string, string> = {};

  // report --json (the daily totals) and the same span just before it.
  const plan = planBasis(db, filter, tz, basis);
  const main = usageReport(db, plan, filter, { tz, range, dims: [], period: undefined });
  const report = {
    ...reportJson(main.report, { tz, range, unpriced: main.unpriced }),
    basis: plan.basis,
    billedDays: billedDaysJson(plan),
    estimatedBillingDays: main.estimated,
  };
  const previousRange = { since: since - (until - since), until: since };
  const previousFilter: UsageFilter = { ...scope, ...previousRange };
  const previous = usageReport(db, planBasis(db, previousFilter, tz, basis), previousFilter, {
    tz,
    range: previousRange,
    dims: [],
    period: undefined,
  });

  // report --daily --by model (or the --by dimensions).
  const dims = parseDims(listValues(flags.by));
  const period: Period = flags.weekly ? 'weekly' : flags.monthly ? 'monthly' : 'daily';
  const stacked = usageReport(db, plan, filter, { tz, range, dims: dims.length > 0 ? dims : ['model'], period });

  const pareto: HtmlReportData['pareto'] = {};
  for (const dim of PARETO_DIMENSIONS) pareto[dim] = paretoPayload(db, { dim, top: PARETO_TOP, tz, since, until, scope });

  let anomalies: HtmlReportData['anomalies'] = null;
  const anomalyFlags: AnomalyFlags = { since: sinceText, ...(flags.until !== undefined ? { until: flags.until } : {}) };
  try {
    anomalies = scanAnomalies(db, anomalyFlags, { ...scanOptions(anomalyFlags, tz, now), scope }).payload;
    if (anomalies.verdict.insufficientData)
      notes.anomalies = `Too little history to judge: ${anomalies.history.available} days of data before the range, ${anomalies.history.needed} needed.`;
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    notes.anomalies = e.message;
  }

  let forecast: HtmlReportData['forecast'] = null;
  try {
    forecast = forecastPayload(db, {}, tz, now, scope);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    notes.forecast = e.message;
  }

  let budgets: HtmlReportData['budgets'] = null;
  const burnDown: BurnDown[] = [];
  if (config.budgets.length === 0) {
    notes.budgets = 'No budgets: add "budgets" to llmcost.config.json, or give --config FILE.';
  } else {
    const evaluated = evaluateBudgets(db, config.budgets, { mode: 'status', now, tz, failOn: 'exceeded' });
    budgets = evaluated.payload;
    for (const r of evaluated.results) {
      burnDown.push(burnDownOf(db, r.budget.name, budgetScope(r.budget), r.period, now, tz));
    }
  }

  let reconcile: HtmlReportData['reconcile'] = null;
  // reconcile's days are UTC days, as the command resolves them.
  const utc = resolveRange(ranged, 'UTC', now);
  try {
    const lines = reconcileLines(db, { since: utc.since ?? 0, until: utc.until ?? now, provider: 'aws', byModel: false });
    reconcile = reconcileJson('aws', undefined, lines, 0);
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    notes.reconcile = e.message;
  }

  // Gateway health by model, as `health --by model`; left out when the data carries none of its figures.
  let health: HtmlReportData['health'] = null;
  try {
    const h = healthPayload(db, filter, tz, 'model', range);
    if (h.notInData.length < 3) health = h;
    else notes.health = 'The logs in the range carry no request status, gateway cache flag or latency.';
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    notes.health = e.message;
  }

  return {
    schemaVersion: 1,
    kind: 'html-report',
    generatedAt: isoUtc(now),
    timezone: tz,
    range: rangeDays(since, until, tz),
    filters: Object.fromEntries(
      (['user', 'team', 'model', 'endpoint', 'provider', 'source'] as const).flatMap((k) => {
        const v = given[k];
        return v && v.length > 0 ? [[k, v]] : [];
      }),
    ),
    report,
    previous: {
      range: rangeDays(previousRange.since, previousRange.until, tz),
      totals: totalsJson(previous.report.totals),
    },
    stacked: reportJson(stacked.report, { tz, range, unpriced: stacked.unpriced }),
    pareto,
    anomalies,
    forecast,
    budgets,
    burnDown,
    reconcile,
    health,
    notes,
  };
}

/** [since, until) as instants and as the local days it covers. */
function rangeDays(since: number, until: number, tz: string): HtmlReportData['range'] {
  return { since: isoUtc(since), until: isoUtc(until), firstDay: localDate(since, tz), lastDay: localDate(until - 1, tz) };
}

/** A budget's cumulative daily spend (report's daily figures over its scope) from its first day to today. */
function burnDownOf(
  db: Db,
  name: string,
  scope: UsageFilter,
  period: { start: number; end: number; firstDay: number },
  now: number,
  tz: string,
): BurnDown {
  const until = Math.min(now, period.end);
  const filter: UsageFilter = { ...scope, since: period.start, until };
  const daily = usageReport(db, planBasis(db, filter, tz), filter, {
    tz,
    range: { since: period.start, until },
    dims: [],
    period: 'daily',
  });
  const byDay = new Map(daily.report.rows.map((r) => [r.period ?? '', r.costNanos]));
  const lastDay = dayNumber(localDate(period.end - 1, tz));
  const today = dayNumber(localDate(until - 1, tz));
  const days: string[] = [];
  const cumulativeNanos: bigint[] = [];
  let sum = 0n;
  for (let d = period.firstDay; d <= lastDay; d++) {
    const iso = dayNumberToIso(d);
    days.push(iso);
    if (d > today) continue;
    sum += byDay.get(iso) ?? 0n;
    cumulativeNanos.push(sum);
  }
  return { name, days, cumulativeNanos };
}
