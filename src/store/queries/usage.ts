/** Writes of usage rows and ingest runs. All SQL is prepared; values are always bound. */

import type { RunCounts } from '../../core/types.js';
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

/** The rollup key of a row: its hour and dimensions. */
type RollupDims = Pick<UsageRow, 'ts' | 'dayOnly' | 'source' | 'provider' | 'model' | 'user' | 'team' | 'apiKey' | 'endpoint'>;

/** A stored row as `grow` reads it (safe integers: every number column is a bigint). */
interface StoredMeasures {
  ts: bigint;
  dayOnly: bigint;
  source: string;
  provider: string;
  model: string;
  user: string;
  team: string;
  apiKey: string;
  endpoint: string;
  requests: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  cacheReadTokens: bigint;
  cacheWriteTokens: bigint;
  costNanos: bigint | null;
}

export class UsageWriter {
  private readonly insert: Statement;
  private readonly upsert: Statement;
  private readonly find: Statement;
  private readonly update: Statement;
  /** Hourly sums of the rows inserted since the last flush, keyed by hour + dimensions. */
  private readonly pending = new Map<string, (string | number | bigint)[]>();

  constructor(private readonly db: Db) {
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
    this.find = db
      .prepare(
        `SELECT ts, day_only AS dayOnly, source, provider, model, user, team, api_key AS apiKey, endpoint, requests,
          input_tokens AS inputTokens, output_tokens AS outputTokens, cache_read_tokens AS cacheReadTokens,
          cache_write_tokens AS cacheWriteTokens, cost_nanos AS costNanos
        FROM usage WHERE dedupe_key = ?`,
      )
      .safeIntegers(true);
    this.update = db.prepare(
      `UPDATE usage SET input_tokens = ?, output_tokens = ?, cache_read_tokens = ?, cache_write_tokens = ?,
        cache_write_1h_tokens = ?, cost_nanos = ?, cost_basis = ?, reported_cost_nanos = ?, computed_cost_nanos = ?,
        price_ref = ? WHERE dedupe_key = ?`,
    );
  }

  /** Also treat a row as stored when its schema-1 key (content alone, no file identity) is (see pipeline). */
  checkLegacyKeys = false;
  private hasKey: Statement | undefined;

  /** Whether a row with this dedupe key is stored. */
  has(key: Buffer): boolean {
    this.hasKey ??= this.db.prepare('SELECT 1 FROM usage WHERE dedupe_key = ?');
    return this.hasKey.get(key) !== undefined;
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
    const unpriced = r.costNanos === null ? r.requests : 0;
    this.accumulate(r, [1, r.requests, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens, r.costNanos ?? 0n, unpriced]);
  }

  /**
   * Adds `m` (records, requests, input, output, cache read, cache write, cost, unpriced requests) to the pending
   * hourly sums of the hour and dimensions of `d`; an update adds the difference between new and old values.
   */
  private accumulate(d: RollupDims, m: [number, number, number, number, number, number, bigint, number]): void {
    const hour = Math.floor(d.ts / 3_600_000);
    const key = `${hour}\u0000${d.dayOnly}\u0000${d.source}\u0000${d.provider}\u0000${d.model}\u0000${d.user}\u0000${d.team}\u0000${d.apiKey}\u0000${d.endpoint}`;
    const g = this.pending.get(key);
    if (g) {
      const [records, requests, input, output, cacheRead, cacheWrite, cost] = m;
      g[8] = (g[8] as number) + records;
      g[9] = (g[9] as number) + requests;
      g[10] = (g[10] as number) + input;
      g[11] = (g[11] as number) + output;
      g[12] = (g[12] as number) + cacheRead;
      g[13] = (g[13] as number) + cacheWrite;
      g[14] = (g[14] as bigint) + cost;
      g[15] = (g[15] as number) + m[7];
    } else {
      this.pending.set(key, [hour, d.source, d.provider, d.model, d.user, d.team, d.apiKey, d.endpoint, ...m, d.dayOnly]);
      if (this.pending.size >= 20_000) this.flush();
    }
  }

  /**
   * A request stored before it was complete (Claude Code writes a streaming placeholder of output tokens
   * first): when `r` has more output tokens than the stored row of its dedupe key, the row takes r's tokens
   * and costs, and the hourly rollup the difference, in the caller's transaction. The stored row keeps its
   * time and dimensions. Returns true when the row was updated.
   */
  grow(r: UsageRow): boolean {
    const old = this.find.get(r.dedupeKey) as StoredMeasures | undefined;
    if (!old || Number(old.outputTokens) >= r.outputTokens) return false;
    this.update.run(
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
      r.dedupeKey,
    );
    const requests = Number(old.requests);
    const unpriced = (cost: bigint | null): number => (cost === null ? requests : 0);
    this.accumulate(
      {
        ts: Number(old.ts),
        dayOnly: Number(old.dayOnly) === 1 ? 1 : 0,
        source: old.source,
        provider: old.provider,
        model: old.model,
        user: old.user,
        team: old.team,
        apiKey: old.apiKey,
        endpoint: old.endpoint,
      },
      [
        0,
        0,
        r.inputTokens - Number(old.inputTokens),
        r.outputTokens - Number(old.outputTokens),
        r.cacheReadTokens - Number(old.cacheReadTokens),
        r.cacheWriteTokens - Number(old.cacheWriteTokens),
        (r.costNanos ?? 0n) - (old.costNanos ?? 0n),
        unpriced(r.costNanos) - unpriced(old.costNanos),
      ],
    );
    return true;
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

export function startRun(db: Db, source: string, file: string, size: number | undefined, mtimeMs: number | undefined, now: number): number {
  const info = db
    .prepare('INSERT INTO ingest_runs (source, file, file_size, file_mtime_ms, started_at) VALUES (?, ?, ?, ?, ?)')
    .run(source, file, size ?? null, mtimeMs ?? null, now);
  return Number(info.lastInsertRowid);
}

/**
 * `complete: false` (a file still being written: its last line was cut) forgets the file's size, so the
 * unchanged-file check never matches this run and the next ingest reads the file again.
 */
export function finishRun(db: Db, id: number, status: 'ok' | 'failed' | 'dry-run', counts: RunCounts, now: number, complete = true): void {
  db.prepare(
    `UPDATE ingest_runs SET status = ?, finished_at = ?, rows_read = ?, rows_inserted = ?, rows_duplicate = ?,
     rows_rejected = ?, rows_unpriced = ?, file_size = CASE WHEN ? THEN file_size END WHERE id = ?`,
  ).run(status, now, counts.read, counts.inserted, counts.duplicate, counts.rejected, counts.unpriced, complete ? 1 : 0, id);
}

/** What `ingest --replace` removes: the rows earlier runs stored from one file (by path), or a source's rows in a range. */
export type ReplaceScope =
  | { file: string }
  /** [since, until) for rows with a time; [wallSince, wallUntil) for day-only rows, which are compared by their date. */
  | { since: number; until: number; wallSince: number; wallUntil: number };

/**
 * Deletes the rows of `source` in `scope` (inside the caller's transaction) and returns how many, and the
 * time span they covered, so the caller can rebuild the rollup there once its own rows are stored.
 */
export function deleteStored(db: Db, source: string, scope: ReplaceScope): { rows: number; since: number; until: number } {
  const where =
    'file' in scope
      ? 'source = ? AND run_id IN (SELECT id FROM ingest_runs WHERE source = ? AND file = ?)'
      : 'source = ? AND CASE WHEN day_only = 1 THEN ts >= ? AND ts < ? ELSE ts >= ? AND ts < ? END';
  const params = 'file' in scope ? [source, source, scope.file] : [source, scope.wallSince, scope.wallUntil, scope.since, scope.until];
  const span = db.prepare(`SELECT COUNT(*) AS n, MIN(ts) AS lo, MAX(ts) AS hi FROM usage WHERE ${where}`).get(...params) as {
    n: number;
    lo: number | null;
    hi: number | null;
  };
  if (span.n === 0) return { rows: 0, since: 0, until: 0 };
  db.prepare(`DELETE FROM usage WHERE ${where}`).run(...params);
  return { rows: span.n, since: span.lo ?? 0, until: (span.hi ?? 0) + 1 };
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

/**
 * Whether the store may hold rows without an id from before file identities (ingest runs older than schema
 * migration 2): only then does ingest also look up each id-less row's old content-only key.
 */
export function legacyIdlessRowsPossible(db: Db): boolean {
  const row = db
    .prepare(
      `SELECT 1 FROM ingest_runs WHERE status = 'ok' AND started_at < (SELECT applied_at FROM schema_migrations WHERE id = 2) LIMIT 1`,
    )
    .get();
  return row !== undefined;
}
