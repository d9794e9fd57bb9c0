/** Writes of usage rows and ingest runs. All SQL is prepared; values are always bound. */
import type { Nanos } from '../../lib/money.js';
import type { Db, Statement } from '../db.js';

export type CostBasis = 'reported' | 'computed' | 'billed' | 'unpriced';

export interface UsageRow {
  ts: number;
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
  constructor(db: Db) {
    this.insert = db.prepare(`INSERT INTO usage (
      ts, source, dedupe_key, source_id, provider, model_raw, model, region, user, team, api_key, endpoint, tags,
      service_tier, status, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
      cache_write_1h_tokens, cost_nanos, cost_basis, reported_cost_nanos, computed_cost_nanos, price_ref, run_id
    ) VALUES (
      @ts, @source, @dedupeKey, @sourceId, @provider, @modelRaw, @model, @region, @user, @team, @apiKey, @endpoint, @tags,
      @serviceTier, @status, @requests, @inputTokens, @outputTokens, @cacheReadTokens, @cacheWriteTokens,
      @cacheWrite1hTokens, @costNanos, @costBasis, @reportedCostNanos, @computedCostNanos, @priceRef, @runId
    ) ON CONFLICT (dedupe_key) DO NOTHING`);
  }

  /** Returns true when the row was new, false when its dedupe key was already stored. */
  write(row: UsageRow): boolean {
    return this.insert.run(row).changes === 1;
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
    .prepare(
      `SELECT 1 FROM ingest_runs WHERE source = ? AND file = ? AND file_size = ? AND file_mtime_ms = ? AND status = 'ok' LIMIT 1`,
    )
    .get(source, file, size, mtimeMs);
  return row !== undefined;
}
