/** The only importer of better-sqlite3: open, pragmas, migrations, the write lock, close, and SQLite errors in words. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DataError, ExitCode, UserError } from '../lib/errors.js';
import { APPLICATION_ID, identify, migrate, pendingMigrations, type StoreIdentity } from './migrate.js';

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

/** How a writer waits for another process's write transaction (SQLite lets one process write at a time). */
export interface LockWait {
  /** Give up after this long (LLMCOST_LOCK_TIMEOUT); undefined waits as long as the other writer needs. */
  timeoutMs?: number | undefined;
  /** Called about once a second while waiting, with the time waited so far. */
  onWait?: ((waitedMs: number) => void) | undefined;
  /** Called once the lock is taken after a wait (to clear a redrawn line). */
  onDone?: (() => void) | undefined;
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
  /** Waiting for the write lock (write transactions, migrations); by default, as long as it takes, silently. */
  lock?: LockWait;
}

/** busy_timeout of every statement outside beginWrite: readers in WAL mode practically never wait. */
const STATEMENT_TIMEOUT_MS = 10_000;
/** beginWrite retries BEGIN IMMEDIATE in steps this long, reporting the wait between them. */
const WAIT_STEP_MS = 1_000;

const lockWaits = new WeakMap<Db, LockWait>();
/** Paths this process opened, newest last: SQLite errors surfacing later are explained with the database they concern. */
const openedPaths: string[] = [];

/**
 * Starts a write transaction (BEGIN IMMEDIATE), waiting while another process holds the write lock: as long as
 * it needs unless the database was opened with a lock timeout. Statements inside the transaction never wait:
 * in WAL mode the lock is all a writer needs, and readers never block it.
 */
export function beginWrite(db: Db): void {
  const wait = lockWaits.get(db) ?? {};
  const start = Date.now();
  let waiting = false;
  try {
    for (;;) {
      const waited = Date.now() - start;
      const left = wait.timeoutMs === undefined ? WAIT_STEP_MS : Math.min(WAIT_STEP_MS, wait.timeoutMs - waited);
      db.pragma(`busy_timeout = ${Math.max(0, left)}`);
      try {
        db.exec('BEGIN IMMEDIATE');
        if (waiting) wait.onDone?.();
        return;
      } catch (err) {
        if (sqliteCode(err)?.startsWith('SQLITE_BUSY') !== true) throw err;
        const now = Date.now() - start;
        if (wait.timeoutMs !== undefined && now >= wait.timeoutMs) throw lockedError(db.name, now);
        waiting = true;
        wait.onWait?.(now);
      }
    }
  } finally {
    db.pragma(`busy_timeout = ${wait.timeoutMs ?? STATEMENT_TIMEOUT_MS}`);
  }
}

/**
 * The database itself cannot be used (read-only, full, locked, unopenable): exit 2, and the command stops
 * there instead of failing file after file for the same reason.
 */
export class StoreError extends UserError {
  constructor(message: string, options: { hint: string; cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

function lockedError(path: string, waitedMs: number): StoreError {
  return new StoreError(
    `The database ${path} is locked by another process that is writing to it: gave up after ${Math.round(waitedMs / 1000)} s (LLMCOST_LOCK_TIMEOUT).`,
    {
      hint: 'Run the command again when the other one has finished (another llmcost ingest, or a program holding a transaction open): files already stored are skipped. Unset LLMCOST_LOCK_TIMEOUT to wait as long as it takes.',
    },
  );
}

/** The SQLite result code of an error from the driver (`SQLITE_FULL`, `SQLITE_READONLY_DIRECTORY`, …). */
function sqliteCode(err: unknown): string | undefined {
  if (!(err instanceof Error) || err.name !== 'SqliteError') return undefined;
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * The one translation of SQLite failures the user can fix (read-only file or directory, full disk, lock held by
 * another process, unopenable path, damaged file) into a UserError with a plain cause; undefined for anything
 * else, which is a bug. `path` defaults to the database this process opened last.
 */
export function storeError(err: unknown, path = openedPaths.at(-1) ?? 'the database'): StoreError | undefined {
  const code = sqliteCode(err);
  if (code === undefined) return undefined;
  const detail = (err as Error).message;
  const unchanged = 'What was being written was rolled back; what was stored before it is kept.';
  const family = code.split('_').slice(0, 2).join('_');
  switch (family) {
    case 'SQLITE_READONLY':
      return new StoreError(`The database ${path} is read-only (${detail}). It was not changed.`, {
        hint: 'Make the file and its directory writable (SQLite writes the -wal and -shm files beside it), or point --db / LLMCOST_DB at a writable path.',
        cause: err,
      });
    case 'SQLITE_CANTOPEN':
      return new StoreError(`Cannot open the database ${path} (${detail}).`, {
        hint: 'Check that the path exists and that its directory is writable: SQLite creates the -wal and -shm files beside the database, even to read it.',
        cause: err,
      });
    case 'SQLITE_FULL':
      return new StoreError(`The disk holding the database ${path} is full (${detail}). ${unchanged}`, {
        hint: 'Free some space (or point --db at another disk) and run the same command again: files already stored are skipped.',
        cause: err,
      });
    case 'SQLITE_IOERR':
      return new StoreError(`The disk failed while llmcost used the database ${path} (${code}: ${detail}). ${unchanged}`, {
        hint: 'Check the disk (full, removed, a network file system that lost its connection), then run the command again.',
        cause: err,
      });
    case 'SQLITE_BUSY':
      return new StoreError(`The database ${path} is locked by another process (${detail}). Nothing was changed.`, {
        hint: 'Run the command again when the other process has finished; a program that holds the database open in exclusive mode blocks every reader.',
        cause: err,
      });
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
      return new StoreError(`Access to the database ${path} was denied (${detail}).`, {
        hint: 'Check the permissions of the file and its directory.',
        cause: err,
      });
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new StoreError(`${path} is damaged or not an llmcost database (${detail}). It was not changed.`, {
        hint: 'Restore it from a backup, or point --db / LLMCOST_DB at another database (a new path creates one).',
        cause: err,
      });
    default:
      return undefined;
  }
}

function notOurs(path: string, db: Db): UserError {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[])
    .slice(0, 5)
    .join(', ');
  return new StoreError(
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
      const file = fileOnPath(dirname(path));
      if (file !== undefined) {
        throw new UserError(`Cannot create the database ${path}: ${file} is a file, not a directory.`, {
          hint: 'Give --db or LLMCOST_DB a path whose directories are directories, e.g. --db ./llmcost.db.',
          cause: err,
        });
      }
      throw new UserError(`Cannot create the directory of the database ${path}: ${(err as Error).message}`, {
        hint: 'Check the path given with --db or LLMCOST_DB.',
        cause: err,
      });
    }
  }
  const statementTimeout = options.lock?.timeoutMs ?? STATEMENT_TIMEOUT_MS;
  let db: Db;
  try {
    db = new Driver(path, { timeout: statementTimeout, ...(read ? { readonly: true, fileMustExist: true } : {}) });
  } catch (err) {
    throw (
      storeError(err, path) ??
      new UserError(`Cannot open the database ${path}: ${(err as Error).message}`, {
        hint: 'Check the path given with --db or LLMCOST_DB, and that its directory is writable.',
        cause: err,
      })
    );
  }
  if (path !== ':memory:') openedPaths.push(path);
  lockWaits.set(db, options.lock ?? {});
  try {
    db.pragma(`busy_timeout = ${statementTimeout}`);
    // A read command sees one snapshot from its first query to its last: a file another process is ingesting
    // is in all of its figures or in none, never in the totals but not the rows.
    if (read) db.exec('BEGIN');
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
    db.pragma('foreign_keys = ON');
    // 32 MiB page cache: the dedupe index of about 1.4M rows (12-byte keys) stays in it; beyond that its pages come
    // from the OS's file cache. 64 MiB put a 1M-record LiteLLM ingest over 300 MB of RSS (317 MB, with the read
    // worker's heap) and was no faster (bench/README.md).
    db.pragma('cache_size = -32768');
    if (!read && !isCurrent(db, path, identity)) setUp(db, path);
  } catch (err) {
    db.close();
    if (err instanceof UserError) throw err;
    const message = (err as Error).message;
    if (/file is not a database|malformed/i.test(message)) {
      throw new UserError(`${path} is not an llmcost database (${message}). It was not changed.`, {
        hint: 'Point --db or LLMCOST_DB at an llmcost database, or at a new path to create one.',
      });
    }
    throw storeError(err, path) ?? err;
  }
  return db;
}

function isCurrent(db: Db, path: string, identity: StoreIdentity): boolean {
  return (
    identity === 'llmcost' && db.pragma('application_id', { simple: true }) === APPLICATION_ID && pendingMigrations(db, path).length === 0
  );
}

/**
 * Creates or migrates the schema under the write lock, looking again once it holds it: two processes that
 * open a new database at once wait for each other instead of one finding the other's half-made schema.
 */
function setUp(db: Db, path: string): void {
  beginWrite(db);
  let done: number[];
  try {
    if (identify(db) === 'foreign') throw notOurs(path, db);
    done = migrate(db, path);
    db.exec('COMMIT');
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
  // Migration 3 rewrote every row into new tables: the old tables' pages go back to the disk (a 300k-row store
  // written before it shrank from 89 to 52 MB). A reader holding the file makes VACUUM busy: the free pages
  // are then reused by later ingests instead.
  if (done.includes(3) && path !== ':memory:') {
    try {
      db.exec('VACUUM');
    } catch (err) {
      if (sqliteCode(err)?.startsWith('SQLITE_BUSY') !== true) throw err;
    }
  }
}

/** The nearest existing ancestor of `dir` when it is a file (`--db notes.txt/x.db`). */
function fileOnPath(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d)) return statSync(d).isFile() ? d : undefined;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * Opens an existing file read-only, with no pragmas and no migration, so llmcost can look at a file it may
 * not own (is this a demo database?) without changing a byte of it.
 */
export function openExistingReadOnly(path: string): Db {
  const Driver = loadDriver();
  return new Driver(path, { readonly: true, fileMustExist: true, timeout: 1_000 });
}
