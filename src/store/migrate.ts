import type BetterSqlite3 from 'better-sqlite3';
import { UserError } from '../lib/errors.js';
import { migrations } from './migrations/index.js';

/** Applies pending migrations in one transaction each; refuses a database written by a newer llmcost. */
export function migrate(db: BetterSqlite3.Database, path: string): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT id FROM schema_migrations').pluck().all() as number[]).map(Number));
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...applied].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      `The database ${path} was written by a newer llmcost (schema migration ${Math.max(...unknown)}; this version knows up to ${Math.max(...known)}). It was not changed.`,
      { hint: 'Upgrade llmcost, or use another database with --db.' },
    );
  }
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
  return done;
}
