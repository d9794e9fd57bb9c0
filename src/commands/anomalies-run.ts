/** `llmcost anomalies`: what runs (loaded by the action in anomalies.ts, so `--help` loads none of it). */
import { DEFAULTS, type DetectOptions, type Method, weekendSlot } from '../analysis/anomalies.js';
import { DRIVER_DIMENSIONS, type DriverDimension, type ScanInput, type ScanResult, scan, worstSeverity } from '../analysis/anomaly-scan.js';
import type { Context } from '../core/context.js';
import { UNTAGGED } from '../core/tags.js';
import { isTagDimension } from '../core/types.js';
import { loadConfig } from '../lib/config.js';
import { ExitCode } from '../lib/errors.js';
import { DAY_MS, dayNumber, dayNumberToIso, isoToWall, localDate, offsetAt, weekdayOf, zonedToUtc } from '../lib/time.js';
import { type AnomaliesJson, anomaliesJson, anomaliesTables } from '../render/anomalies.js';
import { sparkline } from '../render/chart.js';
import { renderLazy } from '../render/lazy.js';
import type { Db } from '../store/db.js';
import { aggregateOnPlan, type BasisPlan, planBasis } from '../store/queries/basis.js';
import type { Dimension, UsageFilter } from '../store/queries/report.js';
import { type AnomalyFlags, HOURLY_WINDOW } from './anomalies.js';
import { coverageNote, requireRows, type WindowCoverage, windowCoverage } from './data-guard.js';
import { type Notifier, notifier } from './notify.js';
import { openFromFlags, projectConfig, resolveTz } from './open.js';
import { DEFAULT_SINCE, resolveFormat, resolveRange } from './options.js';
import { billedDaysJson, parseDims, tagFilters } from './report-common.js';

const HOUR_MS = 3_600_000;

/** Buckets (days or hours) in the sparkline of each anomaly on a terminal. */
const TREND = 14;

export async function anomaliesCommand(flags: AnomalyFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  // --config FILE, else ./llmcost.config.json: its notify targets, timezone and db, as `budget check` reads them.
  const config = flags.config === undefined ? projectConfig() : loadConfig(flags.config);
  const tz = resolveTz(flags, config);
  const now = ctx.now();
  const scanned = scanOptions(flags, tz, now);
  const notify = notifier('anomalies', flags, ctx, config);
  const db = openFromFlags(flags, ctx, config);
  let code: number;
  try {
    code = await detect(db, flags, ctx, { ...scanned, format, notify });
  } finally {
    db.close();
  }
  // After the close: a webhook's retries never hold the database's read snapshot open.
  await notify?.send(code);
  return code;
}

interface ScanOptions {
  tz: string;
  now: number;
  hourly: boolean;
  method: Method;
  by: Dimension | undefined;
  options: DetectOptions;
  range: { since?: number; until?: number };
  /** Narrows every series (the HTML report's filters; the command has none). */
  scope?: UsageFilter;
}

/** The detector's options and scored range from the command's flags, as `anomalies` resolves them. */
export function scanOptions(flags: AnomalyFlags, tz: string, now: number): ScanOptions {
  const hourly = flags.granularity === 'hourly';
  const method = (flags.method ?? 'robust') as Method;
  const by = flags.by ? parseDims([flags.by], true)[0] : undefined;
  const options: DetectOptions = { ...DEFAULTS[method] };
  const k = flags.sensitivity ?? flags.threshold;
  if (k !== undefined) options.k = k;
  options.minImpact = flags.minImpact ?? DEFAULTS.robust.minImpact;
  if (flags.drops) options.drops = true;
  if (hourly) Object.assign(options, { window: HOURLY_WINDOW, season: 24, minHistory: method === 'robust' ? 48 : 24, growthPoints: 0 });
  const window = flags.window;
  if (window !== undefined) {
    options.window = Math.round(window);
    options.minHistory = Math.min(options.minHistory, options.window);
  }
  const range = resolveRange(flags, tz, now, hourly ? '48h' : DEFAULT_SINCE);
  return { tz, now, hourly, method, by, options, range };
}

/**
 * The figures of `anomalies`: what the command prints (and gates on) and what the HTML report shows, with the
 * facts the command's messages need.
 */
export function scanAnomalies(
  db: Db,
  flags: AnomalyFlags,
  o: ScanOptions,
): {
  payload: AnomaliesJson & { basis: BasisPlan['basis']; billedDays: ReturnType<typeof billedDaysJson>; coverage: WindowCoverage | null };
  result: ScanResult;
  coverage: WindowCoverage | undefined;
  until: number;
  stale: boolean;
  insufficient: boolean;
  tripped: boolean;
  worst: ReturnType<typeof worstSeverity>;
  trendOf: (finding: ScanResult['findings'][number]) => number[];
} {
  const { tz, now, hourly, method, by, options, range } = o;
  const scope = o.scope ?? {};
  let until = range.until ?? now;
  const since = range.since ?? until - 30 * DAY_MS;
  const tags = scope.tags ?? tagFilters(flags.tag);
  requireRows(db, { ...scope, since, until, tags }, tz);
  const coverage = flags.since === undefined ? windowCoverage(db, { ...scope, since, until, tags }, tz) : undefined;
  // A default window that runs past the newest data would score the days after it as $0: score through the
  // newest day instead, and say so. Data older than yesterday is a data problem under --fail-on.
  const today = dayNumber(localDate(now, tz));
  let stale = false;
  if (!hourly && flags.until === undefined && coverage?.partial && dayNumber(coverage.lastDay) < today) {
    until = Math.min(until, zonedToUtc(isoToWall(dayNumberToIso(dayNumber(coverage.lastDay) + 1)), tz));
    stale = dayNumber(coverage.lastDay) < today - 1;
  }
  const bucketOf = hourly
    ? (ms: number): number => Math.floor((ms + offsetAt(ms, tz)) / HOUR_MS)
    : (ms: number): number => dayNumber(localDate(ms, tz));
  const firstScored = bucketOf(since);
  const last = bucketOf(until - 1);
  const first = firstScored - options.window;
  const historyStart = hourly ? first * HOUR_MS - offsetAt(since, tz) : zonedToUtc(isoToWall(dayNumberToIso(first)), tz);
  const buckets = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const filter: UsageFilter = { ...scope, since: historyStart, until, tags };
  // Each day of each provider from its request logs, else from the bill (the same policy as report).
  const plan = planBasis(db, filter, tz);
  const driverDims = DRIVER_DIMENSIONS.filter((d) => d !== 'tag').map((d): Dimension[] =>
    d === 'combined' ? ['user', 'model', 'endpoint'] : [d as Dimension],
  );
  // --by a driver dimension is one more projection of the same rows; another dimension is read on its own.
  const byOwn = by !== undefined && !UNION.includes(by);
  const [totals, ...projected] = seriesOf(
    db,
    plan,
    [[], ...driverDims, ...(by && !byOwn ? [[by]] : [])],
    UNION,
    filter,
    tz,
    hourly,
    first,
    buckets.length,
  );
  const total = totals?.get('') ?? new Array<number>(buckets.length).fill(0);
  const drivers: ScanInput['drivers'] = {};
  const driverList = DRIVER_DIMENSIONS.filter((d) => d !== 'tag');
  driverList.forEach((d, i) => {
    drivers[d as DriverDimension] = projected[i] ?? new Map();
  });
  const bySeries =
    by === undefined
      ? undefined
      : byOwn
        ? seriesOf(db, plan, [[by]], [by], filter, tz, hourly, first, buckets.length)[0]
        : projected.at(-1);
  // With --by tag:KEY the root cause also names the tag values that drove a move of the total.
  if (by !== undefined && isTagDimension(by)) {
    const key = by.slice(4);
    drivers.tag = new Map([...(bySeries ?? [])].map(([value, s]) => [value === UNTAGGED ? value : `${key}=${value}`, s]));
  }
  const input: ScanInput = {
    buckets,
    start: firstScored - first,
    total,
    drivers,
    options,
    slotOf: hourly ? (h) => ((h % 24) + 24) % 24 : (d) => weekendSlot(weekdayOf(d)),
  };
  if (by) input.entities = { dimension: by, series: bySeries ?? new Map() };
  const result = scan(input);
  const insufficient = result.scored === 0;
  const worst = worstSeverity(result.findings);
  const tripped = flags.failOn !== undefined && worst !== undefined && (flags.failOn === 'warning' || worst === 'critical');
  const payload = {
    ...anomaliesJson(result, { tz, hourly, method, options, by, since, until, failOn: flags.failOn, tripped, insufficient }),
    basis: plan.basis,
    billedDays: billedDaysJson(plan),
    coverage: coverage ?? null,
  };
  // Each finding's series over the TREND buckets up to and including its own (the terminal's sparklines).
  const trendOf = (f: ScanResult['findings'][number]): number[] => {
    const values = f.entity
      ? (f.entity.dimension === by ? input.entities?.series : input.drivers[f.entity.dimension as DriverDimension])?.get(f.entity.name)
      : total;
    const at = f.bucket - first;
    return (values ?? []).slice(Math.max(0, at - TREND + 1), at + 1);
  };
  return { payload, result, coverage, until, stale, insufficient, tripped, worst, trendOf };
}

async function detect(
  db: Db,
  flags: AnomalyFlags,
  ctx: Context,
  o: ScanOptions & { format: ReturnType<typeof resolveFormat>; notify?: Notifier | undefined },
): Promise<number> {
  const { format, now, hourly, options, range } = o;
  const { payload, result, coverage, until, stale, insufficient, tripped, worst, trendOf } = scanAnomalies(db, flags, o);
  if (coverage?.partial && format === 'table') {
    const through = until < (range.until ?? now) ? ` Scored through ${coverage.lastDay}.` : '';
    ctx.err(`llmcost: ${coverageNote(coverage, hourly ? 'the last 48 hours' : 'the last 30 days')}${through}\n`);
  }
  // On a terminal, each anomaly's recent series as a sparkline.
  const trends = format === 'table' && ctx.view.columns !== undefined ? result.findings.map((f) => sparkline(trendOf(f))) : undefined;
  ctx.out(await renderLazy(format, payload, () => anomaliesTables(payload, trends), ctx.view));
  o.notify?.anomalies(payload);
  if (stale && flags.failOn) {
    ctx.err(`llmcost: no usage since ${coverage?.lastDay}: the data stopped, so recent days cannot be judged.\n`);
    return ExitCode.Data;
  }
  if (insufficient) {
    ctx.err(
      `llmcost: too little history to judge: ${result.history.available} ${hourly ? 'hours' : 'days'} of data before the range, ${options.minHistory} needed. Widen --since or ingest more history.\n`,
    );
    return flags.failOn ? ExitCode.Data : ExitCode.Ok;
  }
  if (tripped) {
    ctx.err(`llmcost: anomalies at or above ${flags.failOn}: ${result.findings.length} found, worst ${worst}.\n`);
    return ExitCode.GateTripped;
  }
  return ExitCode.Ok;
}

/** The dimensions the driver series are projected from: every series of a scan comes from one grouped read. */
const UNION: Dimension[] = ['user', 'model', 'endpoint', 'team'];

/**
 * Aligned USD series per entity of each of `sets` (key '' for the total; combined keys joined with ␟), from one
 * aggregate grouped by `union` (each set a subset of it). Each entity's day is summed in exact nanos and divided
 * once, and entities come in the order one grouped query per set gave (by first day, then keys), so the series
 * are those of one query per set, read in one pass over the rollups instead of one pass per set.
 */
function seriesOf(
  db: Db,
  plan: BasisPlan,
  sets: Dimension[][],
  union: Dimension[],
  filter: UsageFilter,
  tz: string,
  hourly: boolean,
  first: number,
  length: number,
): Map<string, number[]>[] {
  // Only cost makes a series: the other measures are not summed (a third of the time on a 10M-request store).
  const rows = aggregateOnPlan(db, plan, { dims: union, byDay: true, hourly, tz, filter, costOnly: true });
  return sets.map((dims) => {
    const at = dims.map((d) => union.indexOf(d));
    const sums = new Map<string, { keys: string[]; firstDay: number; nanos: bigint[] }>();
    for (const r of rows) {
      const keys = at.map((i) => r.keys[i] ?? '');
      const key = keys.join('\u241f');
      const day = r.day ?? 0;
      let s = sums.get(key);
      if (!s) {
        s = { keys, firstDay: day, nanos: new Array<bigint>(length).fill(0n) };
        sums.set(key, s);
      }
      const i = day - first;
      if (i >= 0 && i < length) s.nanos[i] = (s.nanos[i] ?? 0n) + r.costNanos;
    }
    const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    const ordered = [...sums].sort(([, a], [, b]) => {
      if (a.firstDay !== b.firstDay) return a.firstDay - b.firstDay;
      for (let i = 0; i < a.keys.length; i++) {
        const c = cmp(a.keys[i] ?? '', b.keys[i] ?? '');
        if (c !== 0) return c;
      }
      return 0;
    });
    return new Map(ordered.map(([key, s]) => [key, s.nanos.map((n) => Number(n) / 1e9)]));
  });
}
