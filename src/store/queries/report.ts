/** Aggregation queries for reports. Identifiers come only from the DIMENSIONS whitelist; values are bound. */
import { DAY_MS, type OffsetSegment, offsetSegments } from '../../lib/time.js';
import { canonicalProvider, parseModel } from '../../pricing/normalize.js';
import type { Db, Statement } from '../db.js';

export const DIMENSIONS = {
  user: 'user',
  team: 'team',
  model: 'model',
  provider: 'provider',
  endpoint: 'endpoint',
  'api-key': 'api_key',
  source: 'source',
  region: 'region',
} as const;
export type Dimension = keyof typeof DIMENSIONS;

export interface UsageFilter {
  since?: number | undefined;
  until?: number | undefined;
  user?: string[] | undefined;
  team?: string[] | undefined;
  model?: string[] | undefined;
  endpoint?: string[] | undefined;
  source?: string[] | undefined;
  provider?: string[] | undefined;
  apiKey?: string[] | undefined;
  /** usage: request-level rows only; billed: billing rows (Cost Explorer, CUR) only; undefined: both. */
  basis?: 'usage' | 'billed' | undefined;
}

/** Sources whose rows are the cloud bill rather than requests. */
export const BILLING_SOURCES = ['cost-explorer', 'cur'] as const;

export interface Totals {
  records: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costNanos: bigint;
  /** Requests that have no cost (unknown model or missing price). */
  unpricedRequests: number;
}

export interface AggregateRow extends Totals {
  /** Local day number (days since 1970-01-01 in the report's zone), when grouped by day. */
  day?: number;
  keys: string[];
}

const HOUR_MS = 3_600_000;

/**
 * Where a query reads from: the hourly rollup when it can answer exactly (whole-hour bounds and zone
 * offsets, only rollup dimensions), else the raw usage table.
 */
interface Source {
  table: 'usage' | 'usage_hourly';
  /** Column holding time, and ms per unit of it. */
  time: 'ts' | 'hour';
  unit: number;
  sums: string[];
}

const RAW: Source = {
  table: 'usage',
  time: 'ts',
  unit: 1,
  sums: [
    'COUNT(*) AS records',
    'SUM(requests) AS requests',
    'SUM(input_tokens) AS inputTokens',
    'SUM(output_tokens) AS outputTokens',
    'SUM(cache_read_tokens) AS cacheReadTokens',
    'SUM(cache_write_tokens) AS cacheWriteTokens',
    'TOTAL(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END) AS unpricedRequests',
    'COALESCE(SUM(cost_nanos), 0) AS costNanos',
  ],
};

const ROLLUP: Source = {
  table: 'usage_hourly',
  time: 'hour',
  unit: HOUR_MS,
  sums: [
    'SUM(records) AS records',
    'SUM(requests) AS requests',
    'SUM(input_tokens) AS inputTokens',
    'SUM(output_tokens) AS outputTokens',
    'SUM(cache_read_tokens) AS cacheReadTokens',
    'SUM(cache_write_tokens) AS cacheWriteTokens',
    'SUM(unpriced_requests) AS unpricedRequests',
    'COALESCE(SUM(cost_nanos), 0) AS costNanos',
  ],
};

const ROLLUP_DIMS: ReadonlySet<Dimension> = new Set(['user', 'team', 'model', 'provider', 'endpoint', 'api-key', 'source']);

function wholeHour(ms: number | undefined): boolean {
  return ms === undefined || ms % HOUR_MS === 0;
}

function chooseSource(filter: UsageFilter, dims: Dimension[], offsets: number[]): Source {
  const ok =
    wholeHour(filter.since) && wholeHour(filter.until) && dims.every((d) => ROLLUP_DIMS.has(d)) && offsets.every((o) => o % HOUR_MS === 0);
  return ok ? ROLLUP : RAW;
}

function where(filter: UsageFilter, src: Source = RAW): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.since !== undefined) {
    clauses.push(`${src.time} >= ?`);
    params.push(Math.floor(filter.since / src.unit));
  }
  if (filter.until !== undefined) {
    clauses.push(`${src.time} < ?`);
    params.push(Math.ceil(filter.until / src.unit));
  }
  const list = (column: string, values: string[] | undefined): void => {
    if (!values || values.length === 0) return;
    clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  list('user', filter.user);
  list('team', filter.team);
  // Models are matched by their normalized name, so every spelling of a model selects it.
  list(
    'model',
    filter.model?.map((m) => parseModel(m).model),
  );
  list('endpoint', filter.endpoint);
  list('source', filter.source);
  list(
    'provider',
    filter.provider?.map((p) => canonicalProvider(p) ?? p),
  );
  list('api_key', filter.apiKey);
  if (filter.basis)
    clauses.push(`source ${filter.basis === 'billed' ? '' : 'NOT '}IN (${BILLING_SOURCES.map((b) => `'${b}'`).join(', ')})`);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Earliest and latest timestamps matching the filter, or undefined when nothing matches. */
export function dataRange(db: Db, filter: UsageFilter): { min: number; max: number } | undefined {
  const src = chooseSource(filter, [], []);
  const w = where(filter, src);
  // Two subqueries: SQLite answers a lone MIN or MAX from the index, but not both in one SELECT.
  const sql = `SELECT (SELECT MIN(${src.time}) FROM ${src.table} ${w.sql}) AS min, (SELECT MAX(${src.time}) FROM ${src.table} ${w.sql}) AS max`;
  const row = db.prepare(sql).get(...w.params, ...w.params) as { min: number | null; max: number | null } | undefined;
  if (!row || row.min === null || row.max === null) return undefined;
  return { min: row.min * src.unit, max: row.max * src.unit + src.unit - 1 };
}

/**
 * Sums usage grouped by `dims` and, when `byDay`, by local day in `tz`. Local days are computed in SQL
 * as (time + offset) / 86400000 with one offset per span between the zone's DST transitions.
 */
export function aggregate(
  db: Db,
  opts: {
    dims: Dimension[];
    byDay: boolean;
    tz: string;
    filter: UsageFilter;
    /** With byDay: bucket by local hour instead (`day` then holds the local hour number). */
    hourly?: boolean;
    /** Force a table (tests compare both). */
    from?: 'raw' | 'rollup';
  },
): AggregateRow[] {
  const select: string[] = [];
  const group: string[] = [];
  const params: unknown[] = [];
  let segs: OffsetSegment[] = [];
  if (opts.byDay) {
    const range = dataRange(db, opts.filter);
    if (!range) return [];
    segs = offsetSegments(range.min, range.max + 1, opts.tz);
  }
  const auto = chooseSource(
    opts.filter,
    opts.dims,
    segs.map((s) => s.offset),
  );
  const src = opts.from === 'raw' ? RAW : opts.from === 'rollup' ? ROLLUP : auto;
  if (src === ROLLUP && opts.byDay && !opts.hourly && opts.dims.length === 0 && segs.length > 0) return dailyTotals(db, opts.filter, segs);
  const w = where(opts.filter, src);
  if (opts.byDay) {
    const bucketMs = opts.hourly ? HOUR_MS : DAY_MS;
    const t = src.unit === 1 ? 'ts' : `${src.time} * ${src.unit}`;
    let expr: string;
    if (segs.length === 1) {
      expr = `(${t} + ?) / ${bucketMs}`;
      params.push(BigInt(segs[0]?.offset ?? 0)); // bigint binds as INTEGER, so the division is an integer one
    } else {
      const cases = segs.slice(0, -1).map((s) => {
        params.push(Math.ceil(s.to / src.unit), BigInt(s.offset));
        return `WHEN ${src.time} < ? THEN ?`;
      });
      params.push(BigInt(segs.at(-1)?.offset ?? 0));
      expr = `(${t} + CASE ${cases.join(' ')} ELSE ? END) / ${bucketMs}`;
    }
    select.push(`${expr} AS day`);
    group.push('day');
  }
  opts.dims.forEach((d, i) => {
    select.push(`${DIMENSIONS[d]} AS k${i}`);
    group.push(`k${i}`);
  });
  const sql = `SELECT ${[...select, ...src.sums].join(', ')} FROM ${src.table} ${w.sql}${group.length ? ` GROUP BY ${group.join(', ')}` : ''}`;
  const stmt = db.prepare(sql).safeIntegers(true);
  const rows = stmt.all(...params, ...w.params) as Record<string, bigint | string | number | null>[];
  return rows
    .filter((r) => r.records !== null && r.records !== 0n)
    .map((r) =>
      toAggregateRow(
        r,
        opts.dims.map((_, i) => String(r[`k${i}`] ?? '')),
        opts.byDay ? Number(r.day) : undefined,
      ),
    );
}

/** A row of the sums every source selects (RAW.sums / ROLLUP.sums) as plain numbers and exact nanos. */
function toAggregateRow(r: Record<string, bigint | string | number | null>, keys: string[], day: number | undefined): AggregateRow {
  const out: AggregateRow = {
    keys,
    records: Number(r.records),
    requests: Number(r.requests ?? 0),
    inputTokens: Number(r.inputTokens ?? 0),
    outputTokens: Number(r.outputTokens ?? 0),
    cacheReadTokens: Number(r.cacheReadTokens ?? 0),
    cacheWriteTokens: Number(r.cacheWriteTokens ?? 0),
    unpricedRequests: Number(r.unpricedRequests ?? 0),
    costNanos: BigInt(r.costNanos ?? 0),
  };
  if (day !== undefined) out.day = day;
  return out;
}

export interface UnpricedModel {
  provider: string;
  model: string;
  records: number;
  requests: number;
  tokens: number;
}

/** What could not be priced in the filtered range, by model: every summing command reports it. */
export function unpricedModels(db: Db, filter: UsageFilter): UnpricedModel[] {
  const w = where(filter, RAW);
  const sql = `SELECT provider, model_raw AS model, COUNT(*) AS records, SUM(requests) AS requests,
    SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens
    FROM usage ${w.sql ? `${w.sql} AND` : 'WHERE'} cost_nanos IS NULL GROUP BY provider, model_raw ORDER BY tokens DESC`;
  return db.prepare(sql).all(...w.params) as UnpricedModel[];
}

/**
 * Never double count: the request-level basis when any request-level usage exists in the range, else the
 * bill. An explicit --basis wins.
 */
export function chooseBasis(db: Db, filter: UsageFilter, explicit: string | undefined): 'usage' | 'billed' {
  if (explicit === 'usage' || explicit === 'billed') return explicit;
  return dataRange(db, { ...filter, basis: 'usage' }) ? 'usage' : dataRange(db, { ...filter, basis: 'billed' }) ? 'billed' : 'usage';
}

/** UTC days in the filtered range that hold billing rows Cost Explorer still marks as estimated. */
export function estimatedBillingDays(db: Db, filter: UsageFilter): string[] {
  const w = where({ ...filter, basis: 'billed' }, RAW);
  const rows = db
    .prepare(`SELECT DISTINCT ts / 86400000 AS day FROM usage ${w.sql ? `${w.sql} AND` : 'WHERE'} status = 'estimated' ORDER BY day`)
    .pluck()
    .all(...w.params) as number[];
  return rows.map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
}

/**
 * Daily totals without dimensions, one range query per local day on the rollup's primary key (hour first):
 * no GROUP BY sort over the whole range, which is most of a whole-table aggregate's cost.
 */
function dailyTotals(db: Db, filter: UsageFilter, segs: OffsetSegment[]): AggregateRow[] {
  const first = segs[0];
  const last = segs.at(-1);
  if (!first || !last) return [];
  const offsetAt = (ms: number): number => (segs.find((s) => ms < s.to) ?? last).offset;
  const startDay = Math.floor((first.from + first.offset) / DAY_MS);
  const endDay = Math.floor((last.to - 1 + last.offset) / DAY_MS);
  const out: AggregateRow[] = [];
  let stmt: Statement | undefined;
  for (let day = startDay; day <= endDay; day++) {
    // Local midnight in UTC: the day's start minus the offset in force then (whole hours in rollup zones).
    const guess = day * DAY_MS;
    const from = guess - offsetAt(guess - offsetAt(guess));
    const nextGuess = (day + 1) * DAY_MS;
    const to = nextGuess - offsetAt(nextGuess - offsetAt(nextGuess));
    const since = Math.max(from, filter.since ?? from);
    const until = Math.min(to, filter.until ?? to);
    if (until <= since) continue;
    const w = where({ ...filter, since, until }, ROLLUP);
    stmt ??= db.prepare(`SELECT ${ROLLUP.sums.join(', ')} FROM usage_hourly ${w.sql}`).safeIntegers(true);
    const r = stmt.get(...w.params) as Record<string, bigint | null> | undefined;
    if (!r || r.records === null || r.records === 0n) continue;
    out.push(toAggregateRow(r, [], day));
  }
  return out;
}
