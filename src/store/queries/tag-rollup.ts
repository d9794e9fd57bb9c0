/**
 * The tag rollup (schema migration 6, `usage_tag_daily_rows`): per UTC day, tag key, tag value and the daily
 * rollup's dimensions but the user and the API key, the sums of the rows carrying the tag. `extra` marks a row's second and later
 * values of one key; key -1 counts each tagged row once. Kept by UsageWriter in the rows' transaction and rebuilt
 * with the other rollups.
 */
import type { Db, Statement } from '../db.js';
import { DICT_ID } from './dict.js';
import { addMeasures, DAY_MS, FLUSH_AT, type Level, numberOf, type RollupDims, RollupUpsert, Sums, TUPLES } from './rollups.js';

/** The key of the "any tag" sums: every tagged row once. */
export const ANY_TAG_KEY = -1;

const KEYS = ['key_dim', 'day', 'value_dim', 'extra', 'day_only', 'source_dim', 'provider_dim', 'model_dim', 'team_dim', 'endpoint_dim'];

/**
 * A row's tags as (key, value, extra) triples: distinct, in (key, value) id order, `extra` 1 for each value of a
 * key after the first (the one `--by tag:KEY` counts the row under), then the "any tag" triple.
 */
export function tagTriples(pairs: readonly (readonly [number, number])[]): number[] {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: number[] = [];
  let lastKey = Number.NaN;
  let lastValue = Number.NaN;
  for (const [key, value] of sorted) {
    if (key === lastKey && value === lastValue) continue;
    out.push(key, value, key === lastKey ? 1 : 0);
    lastKey = key;
    lastValue = value;
  }
  if (out.length > 0) out.push(ANY_TAG_KEY, 0, 0);
  return out;
}

/** Pending tag-rollup sums of one ingest transaction, by UTC day and (dimensions, key, value, extra). */
export class TagRollup {
  private readonly upsert: RollupUpsert;
  private readonly sums = new Sums<(number | bigint)[]>();
  private readonly dimTuples: Level = new Map();
  private readonly tagTuples: Level = new Map();
  private count = 0;
  private readonly next = (): number => this.count++;
  private readonly path = [0, 0, 0, 0, 0, 0];
  private readonly tagPath = [0, 0, 0, 0];

  constructor(db: Db) {
    this.upsert = new RollupUpsert(db, 'usage_tag_daily_rows', KEYS);
  }

  /** Adds one row's measures (or a difference) under each of its tag triples (tagTriples). */
  add(
    d: RollupDims,
    triples: readonly number[],
    records: number,
    requests: number,
    input: number,
    output: number,
    cacheRead: number,
    cacheWrite: number,
    cost: bigint,
    unpricedRequests: number,
  ): void {
    if (triples.length === 0) return;
    if (this.count >= TUPLES - 1 - triples.length / 3) this.flush();
    const p = this.path;
    p[0] = d.source;
    p[1] = d.provider;
    p[2] = d.model;
    p[3] = d.team;
    p[4] = d.endpoint;
    p[5] = d.dayOnly;
    const dims = numberOf(this.dimTuples, p, this.next);
    const day = Math.floor(d.ts / DAY_MS);
    const tp = this.tagPath;
    tp[0] = dims;
    for (let i = 0; i < triples.length; i += 3) {
      const key = triples[i] as number;
      const value = triples[i + 1] as number;
      const extra = triples[i + 2] as number;
      tp[1] = key;
      tp[2] = value;
      tp[3] = extra;
      const tuple = numberOf(this.tagTuples, tp, this.next);
      const g = this.sums.get(day, tuple);
      if (g === undefined) {
        this.sums.set(day, tuple, [
          key,
          day,
          value,
          extra,
          d.dayOnly,
          d.source,
          d.provider,
          d.model,
          d.team,
          d.endpoint,
          records,
          requests,
          input,
          output,
          cacheRead,
          cacheWrite,
          cost,
          unpricedRequests,
        ]);
      } else addMeasures(g, 10, records, requests, input, output, cacheRead, cacheWrite, cost, unpricedRequests);
    }
    if (this.sums.size >= FLUSH_AT) this.flush();
  }

  /** Adds the pending sums to the table. Call inside the transaction the rows were written in. */
  flush(): void {
    this.upsert.run(this.sums.values());
    this.discard();
  }

  discard(): void {
    this.sums.clear();
    this.dimTuples.clear();
    this.tagTuples.clear();
    this.count = 0;
  }
}

/** The tag triples of a stored row, for a change to it (UsageWriter.grow). */
export function storedTriples(db: Db, rowId: number | bigint): number[] {
  const rows = db.prepare('SELECT key_dim, value_dim FROM usage_tags WHERE row_id = ?').raw().all(rowId) as [number, number][];
  return tagTriples(rows);
}

const ROW_DIMS = 'u.day_only, u.source_dim, u.provider_dim, u.model_dim, u.team_dim, u.endpoint_dim';
const SUMS = `COUNT(*), SUM(u.requests), SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_read_tokens),
  SUM(u.cache_write_tokens), COALESCE(SUM(u.cost_nanos), 0), SUM(CASE WHEN u.cost_nanos IS NULL THEN u.requests ELSE 0 END)`;

/** Recomputes the tag rollup of one source over the UTC days [dayFrom, dayTo) from its rows (after a replace or reprice). */
export function rebuildTagRange(db: Db, source: string, dayFrom: number, dayTo: number): void {
  const nextKey = db.prepare('SELECT MIN(key_dim) FROM usage_tag_daily_rows WHERE key_dim > ?').pluck();
  const del: Statement = db.prepare(
    `DELETE FROM usage_tag_daily_rows WHERE key_dim = ? AND day >= ? AND day < ? AND source_dim = ${DICT_ID}`,
  );
  // One range delete per key (a few): the key leads the primary key.
  for (let key = nextKey.get(ANY_TAG_KEY - 1) as number | null; key !== null; key = nextKey.get(key) as number | null)
    del.run(key, dayFrom, dayTo, source);
  const range = [source, dayFrom * DAY_MS, dayTo * DAY_MS];
  db.prepare(
    `INSERT INTO usage_tag_daily_rows
    SELECT t.key_dim, u.ts / ${DAY_MS}, t.value_dim,
      EXISTS (SELECT 1 FROM usage_tags e WHERE e.row_id = t.row_id AND e.key_dim = t.key_dim AND e.value_dim < t.value_dim),
      ${ROW_DIMS}, ${SUMS}
    FROM usage_rows u JOIN usage_tags t ON t.row_id = u.id
    WHERE u.source_dim = ${DICT_ID} AND u.ts >= ? AND u.ts < ?
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
  ).run(...range);
  db.prepare(
    `INSERT INTO usage_tag_daily_rows
    SELECT ${ANY_TAG_KEY}, u.ts / ${DAY_MS}, 0, 0, ${ROW_DIMS}, ${SUMS}
    FROM usage_rows u
    WHERE u.source_dim = ${DICT_ID} AND u.ts >= ? AND u.ts < ? AND EXISTS (SELECT 1 FROM usage_tags t WHERE t.row_id = u.id)
    GROUP BY 2, 5, 6, 7, 8, 9, 10`,
  ).run(...range);
}
