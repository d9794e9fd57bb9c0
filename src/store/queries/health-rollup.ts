/**
 * The health rollup (schema migration 5): per UTC day, rollup dimensions and latency bucket, the requests that
 * carry a health figure, how many of them have a known status and failed, a known cache flag and were cache hits.
 * Kept beside the other rollups by UsageWriter and rebuilt with them.
 */
import { latencyBucket } from '../../lib/latency.js';
import type { Db } from '../db.js';
import { DICT_ID } from './dict.js';
import { DAY_MS, ROLLUP_KEYS, RollupUpsert } from './rollups.js';

/** The health columns of a stored row: NULL where the source does not carry the figure. */
export interface HealthColumns {
  /** 1 the request failed, 0 it was served. */
  failed?: 0 | 1 | null;
  /** 1 the gateway answered from its own cache (no provider call). */
  cacheHit?: 0 | 1 | null;
  /** Request start to end, in whole milliseconds. */
  latencyMs?: number | null;
}

const HEALTH_MEASURES = ['requests', 'status_known', 'failures', 'cache_known', 'cache_hits'];
/** Bucket of a row without latency. */
export const NO_LATENCY = -1;

/** Pending health sums of one ingest transaction, keyed by day, dimension ids and latency bucket. */
export class HealthRollup {
  private readonly pending = new Map<string, number[]>();
  private readonly upsert: RollupUpsert;

  constructor(db: Db) {
    this.upsert = new RollupUpsert(db, 'usage_health_rows', ['day', ...ROLLUP_KEYS, 'bucket'], HEALTH_MEASURES);
  }

  /** `dims`: day_only, source, provider, model, user, team, api key, endpoint ids (ROLLUP_KEYS order). */
  add(ts: number, dims: readonly number[], h: HealthColumns, requests: number): void {
    const failed = h.failed ?? null;
    const cacheHit = h.cacheHit ?? null;
    const latency = h.latencyMs ?? null;
    if (failed === null && cacheHit === null && latency === null) return;
    const day = Math.floor(ts / DAY_MS);
    const bucket = latency === null ? NO_LATENCY : latencyBucket(latency);
    const key = `${day},${dims.join(',')},${bucket}`;
    const m = [
      requests,
      failed === null ? 0 : requests,
      failed === 1 ? requests : 0,
      cacheHit === null ? 0 : requests,
      cacheHit === 1 ? requests : 0,
    ];
    const g = this.pending.get(key);
    if (g) for (let i = 0; i < m.length; i++) g[dims.length + 2 + i] = (g[dims.length + 2 + i] ?? 0) + (m[i] ?? 0);
    else this.pending.set(key, [day, ...dims, bucket, ...m]);
  }

  flush(): void {
    this.upsert.run(this.pending.values());
    this.pending.clear();
  }

  discard(): void {
    this.pending.clear();
  }
}

/** Recomputes the health rollup of one source over whole UTC days [dayFrom, dayTo) from its rows. */
export function rebuildHealthRange(db: Db, source: string, dayFrom: number, dayTo: number): void {
  const keys = ROLLUP_KEYS.join(', ');
  db.prepare(`DELETE FROM usage_health_rows WHERE source_dim = ${DICT_ID} AND day >= ? AND day < ?`).run(source, dayFrom, dayTo);
  const rows = db
    .prepare(
      `SELECT ts / ${DAY_MS} AS day, ${keys}, latency_ms AS latency, failed, cache_hit AS cacheHit, SUM(requests) AS requests
      FROM usage_rows WHERE source_dim = ${DICT_ID} AND ts >= ? AND ts < ?
        AND (failed IS NOT NULL OR cache_hit IS NOT NULL OR latency_ms IS NOT NULL)
      GROUP BY day, ${keys}, latency_ms, failed, cache_hit`,
    )
    .all(source, dayFrom * DAY_MS, dayTo * DAY_MS) as Record<string, number | null>[];
  const h = new HealthRollup(db);
  for (const r of rows) {
    const dims = ROLLUP_KEYS.map((k) => Number(r[k]));
    h.add(
      Number(r.day) * DAY_MS,
      dims,
      { failed: bit(r.failed), cacheHit: bit(r.cacheHit), latencyMs: r.latency ?? null },
      Number(r.requests),
    );
  }
  h.flush();
}

const bit = (v: number | null | undefined): 0 | 1 | null => (v === null || v === undefined ? null : v === 0 ? 0 : 1);
