/**
 * Gateway health sums for `llmcost health` and `report --metrics`: per group, the requests that carry a status,
 * failures, cache flags, cache hits and a latency histogram (whole UTC days from usage_health_rows, the ends of
 * the range from the rows), and the cache hits' tokens so the command can price them as if served.
 */
import type { ColumnDimension } from '../../core/types.js';
import { latencyBucket } from '../../lib/latency.js';
import { DAY_MS } from '../../lib/time.js';
import type { Db } from '../db.js';
import { dictOf } from './dict.js';
import { HEALTH_KINDS, NO_LATENCY } from './health-rollup.js';
import { DIMENSIONS, type UsageFilter, where } from './report.js';
import { hasDayOnlyRows, RAW, splitRange } from './sources.js';

/** Health sums of one group. `latency`: bucket → requests (see lib/latency.ts). */
export interface HealthSums {
  key: string;
  statusKnown: number;
  failures: number;
  cacheKnown: number;
  cacheHits: number;
  latency: Map<number, number>;
}

/** The gateway cache hits of one group, model and day, with their tokens (priced by the caller as if served). */
export interface CacheHitTokens {
  key: string;
  provider: string;
  model: string;
  region: string | null;
  serviceTier: string;
  day: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
}

const and = (sql: string, clause: string): string => (sql ? `${sql} AND ${clause}` : `WHERE ${clause}`);

/** Filters the rollup cannot apply (it keeps one dimension a row, and no source): those read the rows. */
const ROW_FILTERS = ['user', 'team', 'model', 'endpoint', 'source', 'provider', 'apiKey', 'customer', 'days', 'tags'] as const;

/**
 * Health sums grouped by `by` (undefined: one group, key ''). Whole UTC days come from the health rollup when it
 * holds the grouping (all, model, endpoint, team, API key) and the filter names no dimension; the rest of the
 * range, other groupings and filtered queries read the rows.
 */
export function healthSums(db: Db, filter: UsageFilter, tz: string, by: ColumnDimension | undefined): HealthSums[] {
  const key = by === undefined ? 'NULL' : `${DIMENSIONS[by]}_dim`;
  const kind = HEALTH_KINDS.find((k) => k.dim === by);
  const split =
    kind !== undefined &&
    ROW_FILTERS.every((f) => {
      const v = filter[f];
      return v === undefined || (Array.isArray(v) && v.length === 0);
    }) &&
    !hasDayOnlyRows(db);
  const pieces = split ? splitRange(filter.since, filter.until, [DAY_MS, 1]) : [{ unit: 1, since: filter.since, until: filter.until }];
  const out = new Map<number | null, HealthSums>();
  const add = (k: number | null, r: Record<string, number | null>, bucket: number): void => {
    let g = out.get(k);
    if (!g) {
      g = { key: '', statusKnown: 0, failures: 0, cacheKnown: 0, cacheHits: 0, latency: new Map() };
      out.set(k, g);
    }
    g.statusKnown += Number(r.statusKnown);
    g.failures += Number(r.failures);
    g.cacheKnown += Number(r.cacheKnown);
    g.cacheHits += Number(r.cacheHits);
    if (bucket !== NO_LATENCY) g.latency.set(bucket, (g.latency.get(bucket) ?? 0) + Number(r.requests));
  };
  for (const p of pieces) {
    if (p.unit === DAY_MS && kind) {
      const bounds: string[] = [];
      const params: number[] = [kind.kind];
      if (p.since !== undefined) {
        bounds.push('AND day >= ?');
        params.push(p.since / DAY_MS);
      }
      if (p.until !== undefined) {
        bounds.push('AND day < ?');
        params.push(p.until / DAY_MS);
      }
      const sql = `SELECT value_dim AS k, bucket, SUM(requests) AS requests, SUM(status_known) AS statusKnown, SUM(failures) AS failures,
          SUM(cache_known) AS cacheKnown, SUM(cache_hits) AS cacheHits
        FROM usage_health_rows WHERE kind = ? ${bounds.join(' ')} GROUP BY value_dim, bucket`;
      for (const r of db.prepare(sql).all(...params) as Record<string, number | null>[])
        add(kind.kind === 0 ? null : (r.k ?? null), r, Number(r.bucket));
    } else {
      const w = where({ ...filter, since: p.since, until: p.until }, RAW, tz);
      const sql = `SELECT ${key} AS k, latency_ms AS latency, SUM(requests) AS requests,
          SUM(CASE WHEN failed IS NULL THEN 0 ELSE requests END) AS statusKnown, SUM(CASE WHEN failed = 1 THEN requests ELSE 0 END) AS failures,
          SUM(CASE WHEN cache_hit IS NULL THEN 0 ELSE requests END) AS cacheKnown, SUM(CASE WHEN cache_hit = 1 THEN requests ELSE 0 END) AS cacheHits
        FROM usage_rows ${and(w.sql, '(failed IS NOT NULL OR cache_hit IS NOT NULL OR latency_ms IS NOT NULL)')} GROUP BY k, latency_ms`;
      for (const r of db.prepare(sql).all(...w.params) as Record<string, number | null>[])
        add(r.k ?? null, r, r.latency === null ? NO_LATENCY : latencyBucket(Number(r.latency)));
    }
  }
  const dict = dictOf(db);
  return [...out.entries()].map(([k, g]) => ({ ...g, key: k === null ? '' : dict.value(k) }));
}

/** The gateway cache hits in the range by group, provider, raw model, region, tier and UTC day (an index on cache_hit = 1). */
export function cacheHitTokens(db: Db, filter: UsageFilter, tz: string, by: ColumnDimension | undefined): CacheHitTokens[] {
  const key = by === undefined ? 'NULL' : `${DIMENSIONS[by]}_dim`;
  const w = where(filter, RAW, tz);
  const sql = `SELECT ${key} AS k, provider_dim AS provider, model_raw_dim AS model, region_dim AS region, service_tier_dim AS tier,
      ts / ${DAY_MS} AS day, SUM(requests) AS requests, SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
      SUM(cache_read_tokens) AS cacheReadTokens, SUM(cache_write_tokens) AS cacheWriteTokens, SUM(cache_write_1h_tokens) AS cacheWrite1hTokens
    FROM usage_rows INDEXED BY usage_cache_hits ${and(w.sql, 'cache_hit = 1')} GROUP BY 1, 2, 3, 4, 5, 6`;
  const dict = dictOf(db);
  return (db.prepare(sql).all(...w.params) as Record<string, number | null>[]).map((r) => ({
    key: r.k === null ? '' : dict.value(Number(r.k)),
    provider: dict.value(Number(r.provider)),
    model: dict.value(Number(r.model)),
    region: r.region === null ? null : dict.value(Number(r.region)),
    serviceTier: dict.value(Number(r.tier)),
    day: Number(r.day),
    requests: Number(r.requests),
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    cacheReadTokens: Number(r.cacheReadTokens),
    cacheWriteTokens: Number(r.cacheWriteTokens),
    cacheWrite1hTokens: Number(r.cacheWrite1hTokens),
  }));
}
