/**
 * Tags as dimensions (schema migration 4): each tag of a usage row is a row of `usage_tags` (row id, key id,
 * value id; key id 0 for a plain tag), indexed by (key, value). Ingest writes them with the row; reports group
 * and filter by them with index look-ups.
 */
import { type TagPair, tagPair } from '../../core/tags.js';
import type { Db, Statement } from '../db.js';
import type { Dict } from './dict.js';

/** The key id of a plain tag (dict ids start at 1). */
export const PLAIN_KEY = 0;

/** Writes the tags of newly stored rows, inside the caller's ingest transaction. */
export class TagWriter {
  private readonly insert: Statement;

  constructor(
    db: Db,
    private readonly dict: Dict,
  ) {
    this.insert = db.prepare('INSERT OR IGNORE INTO usage_tags (row_id, key_dim, value_dim) VALUES (?, ?, ?)');
  }

  write(rowId: number | bigint, tags: readonly string[]): void {
    for (const t of tags) {
      const p = tagPair(t);
      this.insert.run(rowId, p.key === undefined ? PLAIN_KEY : this.dict.id(p.key), this.dict.id(p.value));
    }
  }
}

/** The key and value ids of a tag filter, or undefined when the store has no such key or value (matches nothing). */
export function tagIds(dict: Dict, p: TagPair): { key: number; value: number } | undefined {
  const key = p.key === undefined ? PLAIN_KEY : dict.lookup(p.key);
  const value = dict.lookup(p.value);
  return key === undefined || value === undefined ? undefined : { key, value };
}
