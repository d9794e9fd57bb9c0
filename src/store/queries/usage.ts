/** Writes of usage rows and ingest runs. All SQL is prepared; values are always bound. */
import type { Nanos } from '../../lib/money.js';
import type { Db, Statement } from '../db.js';

export type CostBasis = 'reported' | 'computed' | 'billed' | 'unpriced';

export interface UsageRow {
  ts: number;
  /** 1: the source gave a date, not a time; the row belongs to that calendar day in every zone. */
  dayOnly: 0 | 1;
  source: string;
  dedupeKey: Buffer;
  sourceId: string | null;
  provider: string;
  modelRaw: string;
  model: string;
  region: string | null;
  user: string;
  team: string;
  apiKey: string;
  endpoint: string;
  tags: string | null;
  serviceTier: string;
  status: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  costNanos: Nanos | null;
  costBasis: CostBasis;
  reportedCostNanos: Nanos | null;
  computedCostNanos: Nanos | null;
  priceRef: string | null;
  runId: number;
}

export class UsageWriter {
  private readonly insert: Statement;
  private readonly upsert: Statement;
  /** Hourly sums of the rows inserted since the last flush, keyed by hour + dimensions. */
  private readonly pending = new Map<string, (string | number | bigint)[]>();

  constructor(db: Db) {
    // Positional parameters: binding by name costs a quarter of insert throughput.
    this.insert = db.prepare(`INSERT INTO usage (
      ts, source, dedupe_key, source_id, provider, model_raw, model, region, user, team, api_key, endpoint, tags,
      service_tier, status, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
      cache_write_1h_tokens, cost_nanos, cost_basis, reported_cost_nanos, computed_cost_nanos, price_ref, run_id, day_only
    ) VALUES (${new Array(28).fill('?').join(', ')}) ON CONFLICT (dedupe_key) DO NOTHING`);
    this.upsert = db.prepare(`INSERT INTO usage_hourly (
      hour, source, provider, model, user, team, api_key, endpoint, records, requests, input_tokens, output_tokens,
      cache_read_tokens, cache_write_tokens, cost_nanos, unpriced_requests, day_only
    ) VALUES (${new Array(17).fill('?').join(', ')})
    ON CONFLICT (hour, day_only, source, provider, model, user, team, api_key, endpoint) DO UPDATE SET
      records = records + excluded.records, requests = requests + excluded.requests,
      input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
      cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
      cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
      cost_nanos = cost_nanos + excluded.cost_nanos, unpriced_requests = unpriced_requests + excluded.unpriced_requests`);
  }

  /** Returns true when the row was new, false when its dedupe key was already stored. */
  write(r: UsageRow): boolean {
    const changed =
      this.insert.run(
        r.ts,
        r.source,
        r.dedupeKey,
        r.sourceId,
        r.provider,
        r.modelRaw,
        r.model,
        r.region,
        r.user,
        r.team,
        r.apiKey,
        r.endpoint,
        r.tags,
        r.serviceTier,
        r.status,
        r.requests,
        r.inputTokens,
        r.outputTokens,
        r.cacheReadTokens,
        r.cacheWriteTokens,
        r.cacheWrite1hTokens,
        r.costNanos,
        r.costBasis,
        r.reportedCostNanos,
        r.computedCostNanos,
        r.priceRef,
        r.runId,
        r.dayOnly,
      ).changes === 1;
    if (changed) this.rollup(r);
    return changed;
  }

  private rollup(r: UsageRow): void {
    const hour = Math.floor(r.ts / 3_600_000);
    const key = `${hour}\u0000${r.dayOnly}\u0000${r.source}\u0000${r.provider}\u0000${r.model}\u0000${r.user}\u0000${r.team}\u0000${r.apiKey}\u0000${r.endpoint}`;
    const g = this.pending.get(key);
    const cost = r.costNanos ?? 0n;
    const unpriced = r.costNanos === null ? r.requests : 0;
    if (g) {
      g[8] = (g[8] as number) + 1;
      g[9] = (g[9] as number) + r.requests;
      g[10] = (g[10] as number) + r.inputTokens;
      g[11] = (g[11] as number) + r.outputTokens;
      g[12] = (g[12] as number) + r.cacheReadTokens;
      g[13] = (g[13] as number) + r.cacheWriteTokens;
      g[14] = (g[14] as bigint) + cost;
      g[15] = (g[15] as number) + unpriced;
    } else {
      this.pending.set(key, [
        hour,
        r.source,
        r.provider,
        r.model,
        r.user,
        r.team,
        r.apiKey,
        r.endpoint,
        1,
        r.requests,
        r.inputTokens,
        r.outputTokens,
        r.cacheReadTokens,
        r.cacheWriteTokens,
        cost,
        unpriced,
        r.dayOnly,
      ]);
      if (this.pending.size >= 20_000) this.flush();
    }
  }

  /** Adds the pending hourly sums to usage_hourly. Call inside the ingest transaction, before COMMIT. */
  flush(): void {
    for (const g of this.pending.values()) this.upsert.run(...g);
    this.pending.clear();
  }

  /** Drops pending sums (the transaction they belong to was rolled back). */
  discard(): void {
    this.pending.clear();
  }
}

export interface RunCounts {
  read: number;
  inserted: number;
  duplicate: number;
  rejected: number;
  unpriced: number;
}

export function startRun(db: Db, source: string, file: string, size: number | undefined, mtimeMs: number | undefined, now: number): number {
  const info = db
    .prepare('INSERT INTO ingest_runs (source, file, file_size, file_mtime_ms, started_at) VALUES (?, ?, ?, ?, ?)')
    .run(source, file, size ?? null, mtimeMs ?? null, now);
  return Number(info.lastInsertRowid);
}

export function finishRun(db: Db, id: number, status: 'ok' | 'failed' | 'dry-run', counts: RunCounts, now: number): void {
  db.prepare(
    `UPDATE ingest_runs SET status = ?, finished_at = ?, rows_read = ?, rows_inserted = ?, rows_duplicate = ?,
     rows_rejected = ?, rows_unpriced = ? WHERE id = ?`,
  ).run(status, now, counts.read, counts.inserted, counts.duplicate, counts.rejected, counts.unpriced, id);
}

/** True when this exact file (path, size, mtime) was already ingested completely by this source. */
export function alreadyIngested(db: Db, source: string, file: string, size: number, mtimeMs: number): boolean {
  const row = db
    .prepare(`SELECT 1 FROM ingest_runs WHERE source = ? AND file = ? AND file_size = ? AND file_mtime_ms = ? AND status = 'ok' LIMIT 1`)
    .get(source, file, size, mtimeMs);
  return row !== undefined;
}

/** Recomputes usage_hourly for one source over [since, until) after its rows there were replaced. */
export function rebuildRollupRange(db: Db, source: string, since: number, until: number): void {
  const from = Math.floor(since / 3_600_000);
  const to = Math.ceil(until / 3_600_000);
  db.prepare('DELETE FROM usage_hourly WHERE source = ? AND hour >= ? AND hour < ?').run(source, from, to);
  db.prepare(
    `INSERT INTO usage_hourly (hour, day_only, source, provider, model, user, team, api_key, endpoint, records, requests,
      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos, unpriced_requests)
    SELECT ts / 3600000, day_only, source, provider, model, user, team, api_key, endpoint, COUNT(*), SUM(requests),
      SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), COALESCE(SUM(cost_nanos), 0),
      TOTAL(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END)
    FROM usage WHERE source = ? AND ts >= ? AND ts < ? GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
  ).run(source, from * 3_600_000, to * 3_600_000);
}
