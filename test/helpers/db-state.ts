/** A fingerprint of what a database holds (usage rows and ingest runs): equal before and after means unchanged. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export function dbState(path: string): string {
  if (!existsSync(path)) return 'no database';
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  try {
    const h = createHash('sha256');
    for (const table of ['usage', 'ingest_runs']) {
      for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY id`).raw().safeIntegers().all()) {
        h.update(JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('hex') : v)));
      }
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
}
