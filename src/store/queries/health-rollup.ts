/**
 * The health rollup (schema migration 5): per UTC day and latency bucket, once for all requests (kind 0) and once
 * per value of model, endpoint, team and API key, the requests that carry a health figure, how many of them have
 * a known status and failed, a known cache flag and were cache hits. Kept beside the other rollups by UsageWriter
 * and rebuilt with them.
 */
import type { Dimension } from '../../core/types.js';
import { latencyBucket } from '../../lib/latency.js';
import type { Db } from '../db.js';
import { DAY_MS, RollupUpsert } from './rollups.js';

/** The health columns of a stored row: NULL where the source does not carry the figure. */
export interface HealthColumns {
  /** 1 the request failed, 0 it was served. */
  failed?: 0 | 1 | null;
  /** 1 the gateway answered from its own cache (no provider call). */
  cacheHit?: 0 | 1 | null;
  /** Request start to end, in whole milliseconds. */
  latencyMs?: number | null;
}

/** The groupings the rollup holds, by `kind`: every request, then one dimension each (their row columns). */
export const HEALTH_KINDS: readonly { kind: number; dim: Dimension | undefined; column: string }[] = [
  { kind: 0, dim: undefined, column: '0' },
  { kind: 1, dim: 'model', column: 'model_dim' },
  { kind: 2, dim: 'endpoint', column: 'endpoint_dim' },
  { kind: 3, dim: 'team', column: 'team_dim' },
  { kind: 4, dim: 'api-key', column: 'api_key_dim' },
];

const HEALTH_MEASURES = ['requests', 'status_known', 'failures', 'cache_known', 'cache_hits'];
/** Bucket of a row without latency. */
export const NO_LATENCY = -1;

/** The dictionary ids of a row's model, endpoint, team and API key, in HEALTH_KINDS order (after kind 0). */
export type HealthDims = readonly [model: number, endpoint: number, team: number, apiKey: number];

/** Pending health sums of one ingest transaction, keyed by kind, day, value and latency bucket. */
export class HealthRollup {
  /** Keyed by a number (see keyOf), or a string when a part is out of its range. */
  private readonly pending = new Map<number | string, number[]>();
  private readonly upsert: RollupUpsert;

  constructor(db: Db) {
    this.upsert = new RollupUpsert(db, 'usage_health_rows', ['kind', 'day', 'value_dim', 'bucket'], HEALTH_MEASURES);
  }

  add(ts: number, dims: HealthDims, h: HealthColumns, requests: number): void {
    const failed = h.failed ?? null;
    const cacheHit = h.cacheHit ?? null;
    const latency = h.latencyMs ?? null;
    if (failed === null && cacheHit === null && latency === null) return;
    const day = Math.floor(ts / DAY_MS);
    const bucket = latency === null ? NO_LATENCY : latencyBucket(latency);
    const m = [
      requests,
      failed === null ? 0 : requests,
      failed === 1 ? requests : 0,
      cacheHit === null ? 0 : requests,
      cacheHit === 1 ? requests : 0,
    ];
    for (let kind = 0; kind <= dims.length; kind++) {
      const value = kind === 0 ? 0 : (dims[kind - 1] ?? 0);
      const key = keyOf(kind, day, value, bucket);
      const g = this.pending.get(key);
      if (g) for (let i = 0; i < m.length; i++) g[4 + i] = (g[4 + i] ?? 0) + (m[i] ?? 0);
      else this.pending.set(key, [kind, day, value, bucket, ...m]);
    }
  }

  flush(): void {
    this.upsert.run(this.pending.values());
    this.pending.clear();
  }

  discard(): void {
    this.pending.clear();
  }
}

/**
 * One number for kind (3 bits), day (15: until 2059), dictionary id (26) and bucket + 1 (8): 52 bits, exact in a
 * double: no string built and hashed per row and grouping (five a row; string rollup keys were 11% of CSV ingest,
 * bench/README.md).
 */
function keyOf(kind: number, day: number, value: number, bucket: number): number | string {
  if (day < 0 || day >= 2 ** 15 || value >= 2 ** 26 || bucket + 1 >= 2 ** 8) return `${kind},${day},${value},${bucket}`;
  return ((kind * 2 ** 15 + day) * 2 ** 26 + value) * 2 ** 8 + bucket + 1;
}

/**
 * Recomputes the health rollup of whole UTC days [dayFrom, dayTo) from the rows (of every source: the rollup
 * has no source column; rows without a health figure are skipped at once).
 */
export function rebuildHealthRange(db: Db, dayFrom: number, dayTo: number): void {
  db.prepare('DELETE FROM usage_health_rows WHERE day >= ? AND day < ?').run(dayFrom, dayTo);
  const h = new HealthRollup(db);
  const rows = db
    .prepare(
      `SELECT ts, model_dim AS model, endpoint_dim AS endpoint, team_dim AS team, api_key_dim AS apiKey, latency_ms AS latency,
        failed, cache_hit AS cacheHit, requests
      FROM usage_rows WHERE ts >= ? AND ts < ? AND (failed IS NOT NULL OR cache_hit IS NOT NULL OR latency_ms IS NOT NULL)`,
    )
    .iterate(dayFrom * DAY_MS, dayTo * DAY_MS) as Iterable<Record<string, number | null>>;
  for (const r of rows) {
    const dims: HealthDims = [Number(r.model), Number(r.endpoint), Number(r.team), Number(r.apiKey)];
    h.add(Number(r.ts), dims, { failed: bit(r.failed), cacheHit: bit(r.cacheHit), latencyMs: r.latency ?? null }, Number(r.requests));
  }
  h.flush();
}

const bit = (v: number | null | undefined): 0 | 1 | null => (v === null || v === undefined ? null : v === 0 ? 0 : 1);
