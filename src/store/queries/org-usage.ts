/**
 * Lines of the organization usage APIs (OpenAI, Anthropic): one row per bucket and group, identified by its source
 * id. A re-read day replaces only what changed: the same line read again is left as it is, a line whose numbers
 * changed (a day still in progress) is replaced, and a line the API no longer returns for a re-read day goes.
 */
import type { Db } from '../db.js';
import { rebuildRollupRange, type UsageRow, UsageWriter } from './usage.js';

/** What a stored line says; two reads of the same bucket and group that say the same are one line. */
function signature(r: {
  modelRaw: unknown;
  requests: unknown;
  inputTokens: unknown;
  outputTokens: unknown;
  cacheReadTokens: unknown;
  cacheWriteTokens: unknown;
  cacheWrite1hTokens: unknown;
  reportedCostNanos: unknown;
}): string {
  return [
    r.modelRaw,
    r.requests,
    r.inputTokens,
    r.outputTokens,
    r.cacheReadTokens,
    r.cacheWriteTokens,
    r.cacheWrite1hTokens,
    r.reportedCostNanos ?? '',
  ]
    .map(String)
    .join('|');
}

export interface LineChanges {
  inserted: number;
  /** Lines stored before whose numbers changed: replaced. */
  updated: number;
  unchanged: number;
  /** Lines stored before for a re-read day that the API no longer returns: removed. */
  removed: number;
}

/**
 * The lines of one organization (`--org`): source ids carry `|org=<label>|` after their kind; without a label,
 * the lines that carry none. A run re-reads, and may remove, only its own organization's lines.
 */
const orgClause = (org: string | undefined): { sql: string; param: string } =>
  org === undefined ? { sql: "source_id NOT LIKE '%|org=%'", param: '' } : { sql: 'instr(source_id, ?) > 0', param: `|org=${org}|` };

/**
 * Stores `rows` of `source` (and `org`) for the days [since, until) (epoch ms, UTC midnights) inside the caller's
 * transaction: new lines are inserted, changed ones replaced, identical ones left, and stored lines of those days
 * that `rows` no longer hold removed. The rollups of the range are rebuilt when anything was removed or replaced.
 */
export function storeLines(db: Db, source: string, org: string | undefined, since: number, until: number, rows: UsageRow[]): LineChanges {
  const scope = orgClause(org);
  const stored = db
    .prepare(
      `SELECT dedupe_key AS key, source_id AS sourceId, model_raw AS modelRaw, requests, input_tokens AS inputTokens,
        output_tokens AS outputTokens, cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens,
        cache_write_1h_tokens AS cacheWrite1hTokens, reported_cost_nanos AS reportedCostNanos
       FROM usage WHERE source = ? AND ts >= ? AND ts < ? AND ${scope.sql}`,
    )
    .safeIntegers(true)
    .all(source, since, until, ...(org === undefined ? [] : [scope.param])) as (Parameters<typeof signature>[0] & {
    key: Buffer;
    sourceId: string | null;
  })[];
  const old = new Map(stored.map((s) => [s.sourceId ?? '', { key: s.key, signature: signature(s) }]));
  const changes: LineChanges = { inserted: 0, updated: 0, unchanged: 0, removed: 0 };
  const gone: Buffer[] = [];
  const fresh: UsageRow[] = [];
  for (const row of rows) {
    const before = old.get(row.sourceId ?? '');
    old.delete(row.sourceId ?? '');
    if (before && before.signature === signature(row)) {
      changes.unchanged++;
      continue;
    }
    if (before) {
      gone.push(before.key);
      changes.updated++;
    } else changes.inserted++;
    fresh.push(row);
  }
  for (const rest of old.values()) {
    gone.push(rest.key);
    changes.removed++;
  }
  const del = db.prepare('DELETE FROM usage_rows WHERE dedupe_key = ?');
  for (const key of gone) del.run(key);
  const writer = new UsageWriter(db);
  for (const row of fresh) writer.write(row);
  if (gone.length > 0) {
    // The rollups of these days are recomputed from what is stored now.
    writer.discard();
    rebuildRollupRange(db, source, since, until);
  } else writer.flush();
  return changes;
}

/** The UTC midnight of the last day `source` has lines of `org` for, or undefined. */
export function lastLineDay(db: Db, source: string, org?: string): number | undefined {
  const scope = orgClause(org);
  const row = db
    .prepare(`SELECT MAX(ts) AS ts FROM usage WHERE source = ? AND ${scope.sql}`)
    .get(source, ...(org === undefined ? [] : [scope.param])) as { ts: number | null } | undefined;
  return row?.ts === null || row?.ts === undefined ? undefined : Math.floor(row.ts / 86_400_000) * 86_400_000;
}
