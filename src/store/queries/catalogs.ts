/** Price catalog snapshots that `prices update` stores: the newest one prices new ingests. */
import type { Db } from '../db.js';

export interface StoredCatalog {
  kind: string;
  version: string;
  /** The catalog as JSON, validated by the caller when read back. */
  data: string;
}

/** The newest stored catalog, or undefined when `prices update` never ran. */
export function latestCatalog(db: Db): StoredCatalog | undefined {
  return db.prepare('SELECT data, kind, version FROM price_catalogs ORDER BY id DESC LIMIT 1').get() as StoredCatalog | undefined;
}

export function insertCatalog(db: Db, c: StoredCatalog & { sha256: string; loadedAt: number; file: string }): void {
  db.prepare('INSERT INTO price_catalogs (kind, version, sha256, loaded_at, file, data) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.kind,
    c.version,
    c.sha256,
    c.loadedAt,
    c.file,
    c.data,
  );
}
