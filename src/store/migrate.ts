import type BetterSqlite3 from 'better-sqlite3';
import { UserError } from '../lib/errors.js';
import { migrations } from './migrations/index.js';

/** `PRAGMA application_id` of every llmcost database ("LLMC"): tells ours apart from other SQLite files. */
export const APPLICATION_ID = 0x4c4c4d43;

/** What a SQLite file holds before llmcost touches it. */
export type StoreIdentity = 'empty' | 'llmcost' | 'foreign';

export function identify(db: BetterSqlite3.Database): StoreIdentity {
  if (db.pragma('application_id', { simple: true }) === APPLICATION_ID) return 'llmcost';
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (tables.length === 0) return 'empty';
  // Databases written before the application id was set: recognized by llmcost's own tables.
  const ours = ['schema_migrations', 'usage', 'ingest_runs', 'usage_hourly'];
  return ours.every((t) => tables.includes(t)) ? 'llmcost' : 'foreign';
}

function appliedIds(db: BetterSqlite3.Database): Set<number> {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!exists) return new Set();
  return new Set((db.prepare('SELECT id FROM schema_migrations').pluck().all() as number[]).map(Number));
}

function refuseNewer(applied: Set<number>, path: string): void {
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...applied].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      `The database ${path} was written by a newer llmcost (schema migration ${Math.max(...unknown)}; this version knows up to ${Math.max(...known)}). It was not changed.`,
      { hint: 'Upgrade llmcost, or use another database with --db.' },
    );
  }
}

/** The migrations a database still lacks (read commands refuse to apply them). */
export function pendingMigrations(db: BetterSqlite3.Database, path: string): number[] {
  const applied = appliedIds(db);
  refuseNewer(applied, path);
  return migrations.filter((m) => !applied.has(m.id)).map((m) => m.id);
}

/** Applies pending migrations in one transaction each; refuses a database written by a newer llmcost. */
export function migrate(db: BetterSqlite3.Database, path: string): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = appliedIds(db);
  refuseNewer(applied, path);
  const done: number[] = [];
  const insert = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      insert.run(m.id, m.name, Date.now());
    })();
    done.push(m.id);
  }
  if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
  return done;
}
