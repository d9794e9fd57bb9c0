/** Aggregation queries for reports. Identifiers come only from the DIMENSIONS whitelist; values are bound. */
import { DAY_MS, offsetSegments } from '../../lib/time.js';
import type { Db } from '../db.js';

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
}

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

function where(filter: UsageFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.since !== undefined) {
    clauses.push('ts >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    clauses.push('ts < ?');
    params.push(filter.until);
  }
  const list = (column: string, values: string[] | undefined, alt?: string): void => {
    if (!values || values.length === 0) return;
    const marks = values.map(() => '?').join(', ');
    clauses.push(alt ? `(${column} IN (${marks}) OR ${alt} IN (${marks}))` : `${column} IN (${marks})`);
    params.push(...values);
    if (alt) params.push(...values);
  };
  list('user', filter.user);
  list('team', filter.team);
  list('model', filter.model?.map((m) => m.toLowerCase()), 'model_raw');
  list('endpoint', filter.endpoint);
  list('source', filter.source);
  list('provider', filter.provider);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Earliest and latest timestamps matching the filter, or undefined when nothing matches. */
export function dataRange(db: Db, filter: UsageFilter): { min: number; max: number } | undefined {
  const w = where(filter);
  const row = db.prepare(`SELECT MIN(ts) AS min, MAX(ts) AS max FROM usage ${w.sql}`).get(...w.params) as
    | { min: number | null; max: number | null }
    | undefined;
  if (!row || row.min === null || row.max === null) return undefined;
  return { min: row.min, max: row.max };
}

/**
 * Sums usage grouped by `dims` and, when `byDay`, by local day in `tz`. Local days are computed in SQL
 * as (ts + offset) / 86400000 with one offset per span between the zone's DST transitions.
 */
export function aggregate(db: Db, opts: { dims: Dimension[]; byDay: boolean; tz: string; filter: UsageFilter }): AggregateRow[] {
  const w = where(opts.filter);
  const select: string[] = [];
  const group: string[] = [];
  const params: unknown[] = [];
  if (opts.byDay) {
    const range = dataRange(db, opts.filter);
    if (!range) return [];
    const segs = offsetSegments(range.min, range.max + 1, opts.tz);
    let expr: string;
    if (segs.length === 1) {
      expr = `(ts + ?) / ${DAY_MS}`;
      params.push(BigInt(segs[0]?.offset ?? 0));
    } else {
      const cases = segs.slice(0, -1).map((s) => {
        params.push(s.to, BigInt(s.offset)); // bigint binds as INTEGER, so the division is an integer one
        return 'WHEN ts < ? THEN ?';
      });
      params.push(BigInt(segs.at(-1)?.offset ?? 0));
      expr = `(ts + CASE ${cases.join(' ')} ELSE ? END) / ${DAY_MS}`;
    }
    select.push(`${expr} AS day`);
    group.push('day');
  }
  opts.dims.forEach((d, i) => {
    select.push(`${DIMENSIONS[d]} AS k${i}`);
    group.push(`k${i}`);
  });
  const sql = `SELECT ${[
    ...select,
    'COUNT(*) AS records',
    'SUM(requests) AS requests',
    'SUM(input_tokens) AS inputTokens',
    'SUM(output_tokens) AS outputTokens',
    'SUM(cache_read_tokens) AS cacheReadTokens',
    'SUM(cache_write_tokens) AS cacheWriteTokens',
    'TOTAL(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END) AS unpricedRequests',
    'COALESCE(SUM(cost_nanos), 0) AS costNanos',
  ].join(', ')} FROM usage ${w.sql}${group.length ? ` GROUP BY ${group.join(', ')}` : ''}`;
  const stmt = db.prepare(sql).safeIntegers(true);
  const rows = stmt.all(...params, ...w.params) as Record<string, bigint | string | number | null>[];
  return rows
    .filter((r) => r.records !== 0n)
    .map((r) => {
      const out: AggregateRow = {
        keys: opts.dims.map((_, i) => String(r[`k${i}`] ?? '')),
        records: Number(r.records),
        requests: Number(r.requests ?? 0),
        inputTokens: Number(r.inputTokens ?? 0),
        outputTokens: Number(r.outputTokens ?? 0),
        cacheReadTokens: Number(r.cacheReadTokens ?? 0),
        cacheWriteTokens: Number(r.cacheWriteTokens ?? 0),
        unpricedRequests: Number(r.unpricedRequests ?? 0),
        costNanos: BigInt(r.costNanos ?? 0),
      };
      if (opts.byDay) out.day = Number(r.day);
      return out;
    });
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
  const w = where(filter);
  const sql = `SELECT provider, model_raw AS model, COUNT(*) AS records, SUM(requests) AS requests,
    SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens
    FROM usage ${w.sql ? `${w.sql} AND` : 'WHERE'} cost_nanos IS NULL GROUP BY provider, model_raw ORDER BY tokens DESC`;
  return db.prepare(sql).all(...w.params) as UnpricedModel[];
}
