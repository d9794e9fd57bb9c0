/**
 * Rows as llmcost wrote them with schema 3 (the 28 columns of migration 0003, before the tag, health and customer
 * columns): the migration tests fill an old database with them and check what each later migration makes of it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { dedupeKey, toRow } from '../../src/ingest/pipeline.js';
import type { UsageRecord } from '../../src/ingest/types.js';
import type { Pricer } from '../../src/pricing/pricer.js';
import type { UsageRow } from '../../src/store/queries/usage.js';

/** Writes `records` of `source` as schema-3 rows (one ingest run); returns each row with its id, and the dict look-up. */
export function writeSchema3Rows(
  db: BetterSqlite3.Database,
  source: string,
  records: readonly UsageRecord[],
  pricer: Pricer,
): { rows: { id: number | bigint; row: UsageRow }[]; dictId: (v: string | null) => number | null } {
  const run = Number(
    db.prepare('INSERT INTO ingest_runs (source, file, started_at, status) VALUES (?, ?, 0, ?)').run(source, `/data/${source}`, 'ok')
      .lastInsertRowid,
  );
  const dictId = (v: string | null): number | null => {
    if (v === null) return null;
    db.prepare('INSERT OR IGNORE INTO dict (value) VALUES (?)').run(v);
    return Number(db.prepare('SELECT id FROM dict WHERE value = ?').pluck().get(v));
  };
  const insert = db.prepare(`INSERT INTO usage_rows (
      ts, source_dim, dedupe_key, source_id, provider_dim, model_raw_dim, model_dim, region_dim, user_dim, team_dim, api_key_dim,
      endpoint_dim, tags_dim, service_tier_dim, status_dim, requests, input_tokens, output_tokens, cache_read_tokens,
      cache_write_tokens, cache_write_1h_tokens, cost_nanos, cost_basis_dim, reported_cost_nanos, computed_cost_nanos,
      price_ref_dim, run_id, day_only
    ) VALUES (${new Array(28).fill('?').join(', ')})`);
  const rows = records.map((r) => {
    const w = toRow(r, source, run, pricer, dedupeKey(source, r, 0));
    const id = insert.run(
      w.ts,
      dictId(w.source),
      w.dedupeKey,
      w.sourceId,
      dictId(w.provider),
      dictId(w.modelRaw),
      dictId(w.model),
      dictId(w.region),
      dictId(w.user),
      dictId(w.team),
      dictId(w.apiKey),
      dictId(w.endpoint),
      dictId(w.tags),
      dictId(w.serviceTier),
      dictId(w.status),
      w.requests,
      w.inputTokens,
      w.outputTokens,
      w.cacheReadTokens,
      w.cacheWriteTokens,
      w.cacheWrite1hTokens,
      w.costNanos,
      dictId(w.costBasis),
      w.reportedCostNanos,
      w.computedCostNanos,
      dictId(w.priceRef),
      w.runId,
      w.dayOnly,
    ).lastInsertRowid;
    return { id, row: w };
  });
  return { rows, dictId };
}
