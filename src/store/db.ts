/** The only importer of better-sqlite3: open, pragmas, migrations, close. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DataError, ExitCode, UserError } from '../lib/errors.js';
import { identify, migrate, pendingMigrations } from './migrate.js';

export type Db = BetterSqlite3.Database;
export type Statement = BetterSqlite3.Statement;

const require = createRequire(import.meta.url);

function loadDriver(): typeof BetterSqlite3 {
  try {
    return require('better-sqlite3') as typeof BetterSqlite3;
  } catch (err) {
    throw new UserError(`The SQLite driver (better-sqlite3) could not be loaded: ${(err as Error).message.split('\n')[0]}`, {
      exitCode: ExitCode.Internal,
      hint: 'Its native module was probably built for another Node version. Run `npm rebuild better-sqlite3` in the llmcost install directory.',
      cause: err,
    });
  }
}

export interface OpenOptions {
  /**
   * read: the database must exist and be llmcost's at the current schema; nothing is created, migrated or
   * written (read commands never turn a mistyped path into an empty store that reports $0).
   * write (default): created when missing and migrated; another application's SQLite file is refused.
   */
  mode?: 'read' | 'write';
  /** read: open a database that still lacks migrations (for `llmcost db upgrade` to look at it). */
  allowPending?: boolean;
}

function notOurs(path: string, db: Db): UserError {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[])
    .slice(0, 5)
    .join(', ');
  return new UserError(
    `${path} is another application's SQLite database (tables: ${tables}), not an llmcost database. It was not changed.`,
    {
      hint: 'Point --db or LLMCOST_DB at an llmcost database, or at a new path to create one.',
    },
  );
}

/** Opens the store. WAL + busy timeout let two processes share it. */
export function openDb(path: string, options: OpenOptions = {}): Db {
  const Driver = loadDriver();
  const read = options.mode === 'read' && path !== ':memory:';
  if (read && !existsSync(path)) {
    throw new DataError(
      `No database at ${path}.`,
      'Run `llmcost ingest …` to create it from your usage, or `llmcost demo` to try the demo data; or point --db / LLMCOST_DB at your database.',
    );
  }
  if (path !== ':memory:' && existsSync(path) && statSync(path).isDirectory()) {
    throw new UserError(`${path} is a directory, not a database file.`, { hint: 'Give --db a file path, e.g. --db ./llmcost.db.' });
  }
  if (!read && path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new UserError(`Cannot create the directory of the database ${path}: ${(err as Error).message}`, {
        hint: 'Check the path given with --db or LLMCOST_DB.',
        cause: err,
      });
    }
  }
  let db: Db;
  try {
    db = new Driver(path, { timeout: 10_000, ...(read ? { readonly: true, fileMustExist: true } : {}) });
  } catch (err) {
    throw new UserError(`Cannot open the database ${path}: ${(err as Error).message}`, {
      hint: 'Check the path given with --db or LLMCOST_DB, and that its directory is writable.',
      cause: err,
    });
  }
  try {
    const identity = identify(db);
    if (identity === 'foreign') throw notOurs(path, db);
    if (read) {
      if (identity === 'empty') {
        throw new DataError(
          `${path} is an empty database: nothing has been ingested into it.`,
          'Run `llmcost ingest …` first, or `llmcost demo`.',
        );
      }
      const pending = pendingMigrations(db, path);
      if (pending.length > 0 && !options.allowPending) {
        throw new UserError(
          `The database ${path} was written by an older llmcost and needs an upgrade (schema migration ${pending.join(', ')}).`,
          {
            hint: `Run \`llmcost db upgrade --db ${path}\` once (or any ingest), then run this command again. Read commands never change a database.`,
          },
        );
      }
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = ON');
    // 64 MiB page cache: the dedupe index of a multi-million-row store stays in memory during ingest.
    db.pragma('cache_size = -65536');
    if (!read) migrate(db, path);
  } catch (err) {
    db.close();
    if (err instanceof UserError) throw err;
    const message = (err as Error).message;
    if (/file is not a database|malformed/i.test(message)) {
      throw new UserError(`${path} is not an llmcost database (${message}). It was not changed.`, {
        hint: 'Point --db or LLMCOST_DB at an llmcost database, or at a new path to create one.',
      });
    }
    throw err;
  }
  return db;
}

/**
 * Opens an existing file read-only, with no pragmas and no migration, so llmcost can look at a file it may
 * not own (is this a demo database?) without changing a byte of it.
 */
export function openExistingReadOnly(path: string): Db {
  const Driver = loadDriver();
  return new Driver(path, { readonly: true, fileMustExist: true, timeout: 1_000 });
}
