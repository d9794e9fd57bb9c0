/** Writes of usage rows and ingest runs. All SQL is prepared; values are always bound. */

import type { RunCounts } from '../../core/types.js';
import type { Nanos } from '../../lib/money.js';
import type { Db, Statement } from '../db.js';
import { DICT_ID, type Dict, dictOf } from './dict.js';
import { type HealthColumns, HealthRollup, rebuildHealthRange } from './health-rollup.js';
import { DAY_MS, RollupBatch, type RollupDims, rebuildRollupRange as rebuildSumRollups } from './rollups.js';
import { rebuildTagRange, storedTriples, TagRollup } from './tag-rollup.js';
import { TagWriter } from './tags.js';

/** Recomputes every rollup of one source over [since, until) (widened to whole hours and days) after its rows there changed. */
export function rebuildRollupRange(db: Db, source: string, since: number, until: number): void {
  rebuildSumRollups(db, source, since, until);
  rebuildHealthRange(db, Math.floor(since / DAY_MS), Math.ceil(until / DAY_MS));
  rebuildTagRange(db, source, Math.floor(since / DAY_MS), Math.ceil(until / DAY_MS));
}

export type CostBasis = 'reported' | 'computed' | 'billed' | 'unpriced';

export interface UsageRow extends HealthColumns {
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
  /** The tags as the source gave them (JSON list), and one by one for `usage_tags`. */
  tags: string | null;
  tagList: readonly string[];
  /** The end user or customer a gateway served (LiteLLM `end_user`), beside `user` (the key owner). */
  customer: string | null;
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

/** A stored row as `grow` reads it (safe integers: every number column is a bigint). */
interface StoredMeasures {
  id: bigint;
  ts: bigint;
  dayOnly: bigint;
  source: bigint;
  provider: bigint;
  modelRaw: bigint;
  model: bigint;
  user: bigint;
  team: bigint;
  apiKey: bigint;
  endpoint: bigint;
  requests: bigint;
  inputTokens: bigint;
  outputTokens: bigint;
  cacheReadTokens: bigint;
  cacheWriteTokens: bigint;
  costNanos: bigint | null;
}

const tokensOf = (r: UsageRow): number => r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens;

/** Writes usage rows and keeps the rollups in step with them, inside the caller's transaction. */
export class UsageWriter {
  private readonly insert: Statement;
  private readonly find: Statement;
  private readonly update: Statement;
  private readonly dict: Dict;
  /** The rollup sums of the rows written since the last flush. */
  private readonly rollups: RollupBatch;
  private readonly tagWriter: TagWriter;
  private readonly health: HealthRollup;
  private readonly tagRollup: TagRollup;
  /** The rollup dimensions of the row being written: one object reused for every row. */
  private readonly dims: RollupDims = {
    ts: 0,
    dayOnly: 0,
    source: 0,
    provider: 0,
    modelRaw: 0,
    model: 0,
    user: 0,
    team: 0,
    apiKey: 0,
    endpoint: 0,
  };

  constructor(private readonly db: Db) {
    this.dict = dictOf(db);
    this.rollups = new RollupBatch(db);
    this.tagWriter = new TagWriter(db, this.dict);
    this.health = new HealthRollup(db);
    this.tagRollup = new TagRollup(db);
    // Positional parameters: binding by name costs a quarter of insert throughput.
    this.insert = db.prepare(`INSERT INTO usage_rows (
      ts, source_dim, dedupe_key, source_id, provider_dim, model_raw_dim, model_dim, region_dim, user_dim, team_dim, api_key_dim,
      endpoint_dim, tags_dim, service_tier_dim, status_dim, requests, input_tokens, output_tokens, cache_read_tokens,
      cache_write_tokens, cache_write_1h_tokens, cost_nanos, cost_basis_dim, reported_cost_nanos, computed_cost_nanos,
      price_ref_dim, run_id, day_only, customer_dim, failed, cache_hit, latency_ms
    ) VALUES (${new Array(32).fill('?').join(', ')}) ON CONFLICT (dedupe_key) DO NOTHING`);
    this.find = db
      .prepare(
        `SELECT id, ts, day_only AS dayOnly, source_dim AS source, provider_dim AS provider, model_raw_dim AS modelRaw,
          model_dim AS model, user_dim AS user,
          team_dim AS team, api_key_dim AS apiKey, endpoint_dim AS endpoint, requests, input_tokens AS inputTokens,
          output_tokens AS outputTokens, cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens,
          cost_nanos AS costNanos
        FROM usage_rows WHERE dedupe_key = ?`,
      )
      .safeIntegers(true);
    this.update = db.prepare(
      `UPDATE usage_rows SET input_tokens = ?, output_tokens = ?, cache_read_tokens = ?, cache_write_tokens = ?,
        cache_write_1h_tokens = ?, cost_nanos = ?, cost_basis_dim = ?, reported_cost_nanos = ?, computed_cost_nanos = ?,
        price_ref_dim = ? WHERE dedupe_key = ?`,
    );
  }

  /** Also treat a row as stored when its schema-1 key (content alone, no file identity) is (see pipeline). */
  checkLegacyKeys = false;
  private hasKey: Statement | undefined;

  /** Whether a row with this dedupe key is stored. */
  has(key: Buffer): boolean {
    this.hasKey ??= this.db.prepare('SELECT 1 FROM usage_rows WHERE dedupe_key = ?');
    return this.hasKey.get(key) !== undefined;
  }

  /** Returns true when the row was new, false when its dedupe key was already stored. */
  write(r: UsageRow): boolean {
    const d = this.dict;
    const dims = this.dims;
    dims.ts = r.ts;
    dims.dayOnly = r.dayOnly;
    dims.source = d.id(r.source);
    dims.provider = d.id(r.provider);
    dims.modelRaw = d.id(r.modelRaw);
    dims.model = d.id(r.model);
    dims.user = d.id(r.user);
    dims.team = d.id(r.team);
    dims.apiKey = d.id(r.apiKey);
    dims.endpoint = d.id(r.endpoint);
    const info = this.insert.run(
      r.ts,
      dims.source,
      r.dedupeKey,
      r.sourceId,
      dims.provider,
      dims.modelRaw,
      dims.model,
      d.idOrNull(r.region),
      dims.user,
      dims.team,
      dims.apiKey,
      dims.endpoint,
      d.idOrNull(r.tags),
      d.id(r.serviceTier),
      d.id(r.status),
      r.requests,
      r.inputTokens,
      r.outputTokens,
      r.cacheReadTokens,
      r.cacheWriteTokens,
      r.cacheWrite1hTokens,
      r.costNanos,
      d.id(r.costBasis),
      r.reportedCostNanos,
      r.computedCostNanos,
      d.idOrNull(r.priceRef),
      r.runId,
      r.dayOnly,
      d.idOrNull(r.customer),
      r.failed ?? null,
      r.cacheHit ?? null,
      r.latencyMs ?? null,
    );
    const changed = info.changes === 1;
    // Only a stored row counts: one the INSERT ignored (a duplicate) adds nothing to the rollups.
    if (changed) {
      const unpriced = r.costNanos === null;
      if (r.tagList.length > 0)
        this.tagRollup.add(
          dims,
          this.tagWriter.write(info.lastInsertRowid, r.tagList),
          1,
          r.requests,
          r.inputTokens,
          r.outputTokens,
          r.cacheReadTokens,
          r.cacheWriteTokens,
          r.costNanos ?? 0n,
          unpriced ? r.requests : 0,
        );
      this.rollups.add(
        dims,
        1,
        r.requests,
        r.inputTokens,
        r.outputTokens,
        r.cacheReadTokens,
        r.cacheWriteTokens,
        r.costNanos ?? 0n,
        unpriced ? r.requests : 0,
      );
      if (unpriced) this.rollups.addUnpriced(dims, 1, r.requests, tokensOf(r));
      this.health.add(r.ts, [dims.model, dims.endpoint, dims.team, dims.apiKey], r, r.requests);
    }
    return changed;
  }

  /**
   * A request stored before it was complete (Claude Code writes a streaming placeholder of output tokens
   * first): when \`r\` has more output tokens than the stored row of its dedupe key, the row takes r's tokens
   * and costs, and the rollups the difference, in the caller's transaction. The stored row keeps its
   * time and dimensions. Returns true when the row was updated.
   */
  grow(r: UsageRow): boolean {
    const old = this.find.get(r.dedupeKey) as StoredMeasures | undefined;
    if (!old || Number(old.outputTokens) >= r.outputTokens) return false;
    const d = this.dict;
    this.update.run(
      r.inputTokens,
      r.outputTokens,
      r.cacheReadTokens,
      r.cacheWriteTokens,
      r.cacheWrite1hTokens,
      r.costNanos,
      d.id(r.costBasis),
      r.reportedCostNanos,
      r.computedCostNanos,
      d.idOrNull(r.priceRef),
      r.dedupeKey,
    );
    const requests = Number(old.requests);
    const unpriced = (cost: bigint | null): number => (cost === null ? requests : 0);
    const dims: RollupDims = {
      ts: Number(old.ts),
      dayOnly: Number(old.dayOnly) === 1 ? 1 : 0,
      source: Number(old.source),
      provider: Number(old.provider),
      modelRaw: Number(old.modelRaw),
      model: Number(old.model),
      user: Number(old.user),
      team: Number(old.team),
      apiKey: Number(old.apiKey),
      endpoint: Number(old.endpoint),
    };
    // The unpriced rollup: the old row out if it was unpriced, the new one in if it is.
    const oldTokens = Number(old.inputTokens) + Number(old.outputTokens) + Number(old.cacheReadTokens) + Number(old.cacheWriteTokens);
    if (old.costNanos === null) this.rollups.addUnpriced(dims, -1, -requests, -oldTokens);
    if (r.costNanos === null) this.rollups.addUnpriced(dims, 1, requests, tokensOf(r));
    const delta = [
      0,
      0,
      r.inputTokens - Number(old.inputTokens),
      r.outputTokens - Number(old.outputTokens),
      r.cacheReadTokens - Number(old.cacheReadTokens),
      r.cacheWriteTokens - Number(old.cacheWriteTokens),
    ] as const;
    const cost = (r.costNanos ?? 0n) - (old.costNanos ?? 0n);
    const unpricedDelta = unpriced(r.costNanos) - unpriced(old.costNanos);
    this.rollups.add(dims, ...delta, cost, unpricedDelta);
    this.tagRollup.add(dims, storedTriples(this.db, old.id), ...delta, cost, unpricedDelta);
    return true;
  }

  /** Adds the pending sums to the rollups. Call inside the ingest transaction, before COMMIT. */
  flush(): void {
    this.rollups.flush();
    this.health.flush();
    this.tagRollup.flush();
    // Ids added by this transaction are not trusted past it: a dry run or a failure rolls them back.
    this.dict.forget();
  }

  /** Drops pending sums (the transaction they belong to was rolled back). */
  discard(): void {
    this.rollups.discard();
    this.health.discard();
    this.tagRollup.discard();
    this.dict.forget();
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
      ? `source_dim = ${DICT_ID} AND run_id IN (SELECT id FROM ingest_runs WHERE source = ? AND file = ?)`
      : `source_dim = ${DICT_ID} AND CASE WHEN day_only = 1 THEN ts >= ? AND ts < ? ELSE ts >= ? AND ts < ? END`;
  const params = 'file' in scope ? [source, source, scope.file] : [source, scope.wallSince, scope.wallUntil, scope.since, scope.until];
  const span = db.prepare(`SELECT COUNT(*) AS n, MIN(ts) AS lo, MAX(ts) AS hi FROM usage_rows WHERE ${where}`).get(...params) as {
    n: number;
    lo: number | null;
    hi: number | null;
  };
  if (span.n === 0) return { rows: 0, since: 0, until: 0 };
  db.prepare(`DELETE FROM usage_rows WHERE ${where}`).run(...params);
  return { rows: span.n, since: span.lo ?? 0, until: (span.hi ?? 0) + 1 };
}

/** True when this exact file (path, size, mtime) was already ingested completely by this source. */
export function alreadyIngested(db: Db, source: string, file: string, size: number, mtimeMs: number): boolean {
  const row = db
    .prepare(`SELECT 1 FROM ingest_runs WHERE source = ? AND file = ? AND file_size = ? AND file_mtime_ms = ? AND status = 'ok' LIMIT 1`)
    .get(source, file, size, mtimeMs);
  return row !== undefined;
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

/**
 * The cursor of a database source (`ingest litellm --database-url`): each run of it records the newest time it
 * read (epoch ms) in file_mtime_ms, with the database's identity (host:port/database and table) as its file; the
 * cursor is the newest of the runs that committed. A dry run or a failed page records none.
 */
export function sourceCursor(db: Db, source: string, identity: string): number | undefined {
  const row = db
    .prepare(`SELECT MAX(file_mtime_ms) AS ms FROM ingest_runs WHERE source = ? AND file = ? AND status = 'ok'`)
    .get(source, identity) as { ms: number | null };
  return row.ms ?? undefined;
}
