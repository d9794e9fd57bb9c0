/** The only importer of better-sqlite3: open, pragmas, migrations, close. */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ExitCode, UserError } from '../lib/errors.js';
import { migrate } from './migrate.js';

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
  readonly?: boolean;
}

/** Opens (creating when missing) and migrates the store. WAL + busy timeout let two processes share it. */
export function openDb(path: string, options: OpenOptions = {}): Db {
  const Driver = loadDriver();
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Driver(path, { timeout: 10_000 });
  } catch (err) {
    throw new UserError(`Cannot open the database ${path}: ${(err as Error).message}`, {
      hint: 'Check the path given with --db or LLMCOST_DB, and that its directory is writable.',
      cause: err,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // 64 MiB page cache: the dedupe index of a multi-million-row store stays in memory during ingest.
    db.pragma('cache_size = -65536');
    migrate(db, path);
  } catch (err) {
    db.close();
    if (err instanceof UserError) throw err;
    const message = (err as Error).message;
    if (/file is not a database|malformed/i.test(message)) {
      throw new UserError(`${path} is not an llmcost database (${message}).`, {
        hint: 'Point --db or LLMCOST_DB at an llmcost database, or at a new path to create one.',
      });
    }
    throw err;
  }
  if (options.readonly) db.pragma('query_only = ON');
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
