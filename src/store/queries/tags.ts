/**
 * Tags as dimensions (schema migration 4): each tag of a usage row is a row of `usage_tags` (row id, key id,
 * value id; key id 0 for a plain tag), indexed by (key, value). Ingest writes them with the row; reports group
 * and filter by them with index look-ups.
 */
import { type TagPair, tagPair, UNTAGGED } from '../../core/tags.js';
import type { Dimension, TagDimension } from '../../core/types.js';
import type { Db, Statement } from '../db.js';
import { type Dict, dictOf } from './dict.js';
import { tagTriples } from './tag-rollup.js';

/** The key id of a plain tag (dict ids start at 1). */
const PLAIN_KEY = 0;

/** Writes the tags of newly stored rows, inside the caller's ingest transaction. */
export class TagWriter {
  private readonly insert: Statement;

  constructor(
    db: Db,
    private readonly dict: Dict,
  ) {
    this.insert = db.prepare('INSERT OR IGNORE INTO usage_tags (row_id, key_dim, value_dim) VALUES (?, ?, ?)');
  }

  /** Returns the row's distinct tags as (key, value, extra) triples for the tag rollup (tag-rollup.ts tagTriples). */
  write(rowId: number | bigint, tags: readonly string[]): number[] {
    const pairs: [number, number][] = [];
    for (const t of tags) {
      const p = tagPair(t);
      const pair: [number, number] = [p.key === undefined ? PLAIN_KEY : this.dict.id(p.key), this.dict.id(p.value)];
      this.insert.run(rowId, pair[0], pair[1]);
      pairs.push(pair);
    }
    return tagTriples(pairs);
  }
}

/** The key and value ids of a tag filter, or undefined when the store has no such key or value (matches nothing). */
function tagIds(dict: Dict, p: TagPair): { key: number; value: number } | undefined {
  const key = p.key === undefined ? PLAIN_KEY : dict.lookup(p.key);
  const value = dict.lookup(p.value);
  return key === undefined || value === undefined ? undefined : { key, value };
}

const TAG_KEY_ID = 'SELECT id FROM dict WHERE value = ?';

/**
 * `--tag` filters as SQL on `usage_rows`: values of one key are alternatives, different keys (and each plain
 * tag) must all match. Each is a look-up in the (key, value) index.
 */
export function tagWhere(tags: readonly TagPair[] | undefined, clauses: string[], params: unknown[], narrow = false): void {
  if (!tags || tags.length === 0) return;
  const byKey = new Map<string, { key: string | undefined; values: string[] }[]>();
  for (const t of tags) {
    const id = t.key === undefined ? `\u0000${t.value}` : t.key;
    const g = byKey.get(id)?.[0];
    if (g) g.values.push(t.value);
    else byKey.set(id, [{ key: t.key, values: [t.value] }]);
  }
  // Over a day or less (the ends of a range, the edges of local days) or to find the first and last row, each row
  // of that time is looked up in usage_tags; over a longer range, the tag's rows come from the (key, value) index.
  // The first form over a long range visits every row, the second over a short one every row of the tag (55 s for
  // the edges of 90 Asia/Kolkata days of a tag on 1M of 10M rows). Per row, one EXISTS per value, each with `=`:
  // an IN list there is built again for every row (7 s instead of 0).
  for (const [g] of byKey.values()) {
    if (!g) continue;
    const key = g.key === undefined ? `${PLAIN_KEY}` : `(${TAG_KEY_ID})`;
    const keyParams = g.key === undefined ? [] : [g.key];
    if (narrow) {
      const one = `EXISTS (SELECT 1 FROM usage_tags t WHERE t.row_id = usage_rows.id AND t.key_dim = ${key} AND t.value_dim = (${TAG_KEY_ID}))`;
      clauses.push(`(${g.values.map(() => one).join(' OR ')})`);
      for (const v of g.values) params.push(...keyParams, v);
    } else {
      clauses.push(
        `usage_rows.id IN (SELECT row_id FROM usage_tags WHERE key_dim = ${key} AND value_dim IN (SELECT id FROM dict WHERE value IN (${g.values.map(() => '?').join(', ')})))`,
      );
      params.push(...keyParams, ...g.values);
    }
  }
}

/** A single `--tag` filter on the tag rollup (sources.ts covers: one tag): its key and value's rows. */
export function tagRollupWhere(tags: readonly TagPair[] | undefined, clauses: string[], params: unknown[]): void {
  const t = tags?.[0];
  if (!t) return;
  clauses.push(`key_dim = ${t.key === undefined ? PLAIN_KEY : `(${TAG_KEY_ID})`} AND value_dim = (${TAG_KEY_ID})`);
  if (t.key !== undefined) params.push(t.key);
  params.push(t.value);
}

/**
 * The grouping column of a tag dimension. `tag:KEY`: the row's value id of KEY, 0 when it has none (a row with
 * two values of one key counts once, under the value stored first); `tag`: key and value ids of each of the
 * row's tags in one number (key × 2^32 + value; NULL when it has none), from the join of tagFrom.
 */
export function tagSelect(d: TagDimension, params: unknown[]): string {
  if (d === 'tag') return `(t.key_dim * ${2 ** 32} + t.value_dim)`;
  params.push(d.slice(4));
  return `COALESCE((SELECT MIN(t.value_dim) FROM usage_tags t WHERE t.row_id = usage_rows.id AND t.key_dim = (${TAG_KEY_ID})), 0)`;
}

/** The FROM of a query: `--by tag` joins each row to each of its tags (a row with several counts under each). */
export function tagFrom(table: string, dims: readonly Dimension[]): string {
  return dims.includes('tag') ? `${table} LEFT JOIN usage_tags t ON t.row_id = usage_rows.id` : table;
}

/** The label of a tag group: the value for `tag:KEY`, `key:value` (or the plain tag) for `tag`, else "(untagged)". */
export function tagLabel(dict: Dict, d: TagDimension, id: unknown): string {
  if (id === null || id === undefined || id === 0n || id === 0) return UNTAGGED;
  const n = BigInt(id as bigint | number);
  if (d !== 'tag') return dict.value(n);
  const key = Number(n / 2n ** 32n);
  const value = dict.value(n % 2n ** 32n);
  return key === PLAIN_KEY ? value : `${dict.value(key)}:${value}`;
}

/** The `--tag` filters no stored row has. */
export function missingTags(db: Db, tags: readonly TagPair[]): TagPair[] {
  const dict = dictOf(db);
  const stmt = db.prepare('SELECT 1 FROM usage_tags WHERE key_dim = ? AND value_dim = ? LIMIT 1');
  return tags.filter((t) => {
    const ids = tagIds(dict, t);
    return ids === undefined || stmt.get(ids.key, ids.value) === undefined;
  });
}

/** The stored values of a tag key (plain tags when undefined), for "did you mean". */
export function tagValues(db: Db, key: string | undefined): string[] {
  const keyId = key === undefined ? PLAIN_KEY : dictOf(db).lookup(key);
  if (keyId === undefined) return [];
  return db
    .prepare('SELECT value FROM dict WHERE id IN (SELECT DISTINCT value_dim FROM usage_tags WHERE key_dim = ?)')
    .pluck()
    .all(keyId) as string[];
}

/** Rows a tag needs before its first and last row are found sooner by walking the rows in time order. */
const COMMON_TAG_ROWS = 10_000;

/**
 * Whether each tag of a filter is on at least 10,000 rows: then the first and last row carrying them are found by
 * walking the time index (a tag on one row in ten is met within ten rows), where the tag's own rows would all be
 * visited (0.5 s for a tag on 1M rows); a rarer tag is faster read from its own rows.
 */
export function tagsCommon(db: Db, tags: readonly TagPair[]): boolean {
  const dict = dictOf(db);
  const stmt = db.prepare(`SELECT 1 FROM usage_tags WHERE key_dim = ? AND value_dim = ? LIMIT 1 OFFSET ${COMMON_TAG_ROWS - 1}`);
  return tags.every((t) => {
    const ids = tagIds(dict, t);
    return ids !== undefined && stmt.get(ids.key, ids.value) !== undefined;
  });
}
