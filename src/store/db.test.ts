import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, UserError } from '../lib/errors.js';
import { beginWrite, openDb, storeError } from './db.js';
import { migrations } from './migrations/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmpDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'llmcost-db-'));
  dirs.push(d);
  return d;
};

/** An error shaped as better-sqlite3 throws them. */
const sqliteError = (code: string, message: string): Error => Object.assign(new Error(message), { name: 'SqliteError', code });

describe('beginWrite', () => {
  it('waits for another writer and gives up after the lock timeout with a plain cause, exit 2', () => {
    const path = join(tmpDir(), 'x.db');
    const holder = openDb(path);
    holder.exec('BEGIN IMMEDIATE');
    const waits: number[] = [];
    const db = openDb(path, { lock: { timeoutMs: 1_200, onWait: (ms) => waits.push(ms) } });
    const t0 = Date.now();
    let thrown: unknown;
    try {
      beginWrite(db);
    } catch (err) {
      thrown = err;
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_100);
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).exitCode).toBe(ExitCode.Usage);
    expect((thrown as UserError).message).toBe(
      `The database ${path} is locked by another process that is writing to it: gave up after 1 s (LLMCOST_LOCK_TIMEOUT).`,
    );
    // Told once a second while it waited.
    expect(waits.length).toBe(1);
    expect(db.inTransaction).toBe(false);
    // Once the other writer commits, the lock is free.
    holder.exec('COMMIT');
    beginWrite(db);
    expect(db.inTransaction).toBe(true);
    db.exec('ROLLBACK');
    db.close();
    holder.close();
  });

  it('does not wait when the lock is free', () => {
    const db = openDb(join(tmpDir(), 'x.db'), { lock: { timeoutMs: 0, onWait: () => expect.fail('no wait') } });
    beginWrite(db);
    db.exec('COMMIT');
    db.close();
  });
});

describe('opening for write', () => {
  it('judges a new database only once it holds the write lock: a schema another process is making is not "foreign"', () => {
    const path = join(tmpDir(), 'x.db');
    const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    // Another llmcost is creating the schema: it holds the write lock; its first table is written, not committed.
    const other = new Driver(path);
    other.pragma('journal_mode = WAL');
    other.exec('BEGIN IMMEDIATE');
    other.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    expect(() => openDb(path, { lock: { timeoutMs: 300 } })).toThrow(`The database ${path} is locked by another process`);
    other.exec('ROLLBACK');
    other.close();
    const db = openDb(path);
    expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(migrations.length);
    db.close();
  });

  it('opens a current database for writing without waiting for the write lock', () => {
    const path = join(tmpDir(), 'x.db');
    const holder = openDb(path);
    holder.exec('BEGIN IMMEDIATE');
    const db = openDb(path, { lock: { timeoutMs: 0 } });
    db.close();
    holder.exec('ROLLBACK');
    holder.close();
  });

  it('names the file on the path when --db goes through a regular file', () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'notes.txt'), 'hi\n');
    const path = join(dir, 'notes.txt', 'x.db');
    expect(() => openDb(path)).toThrow(`Cannot create the database ${path}: ${join(dir, 'notes.txt')} is a file, not a directory.`);
  });
});

describe('read snapshot', () => {
  it('a read connection sees the database as it was when it opened, whatever commits after', () => {
    const path = join(tmpDir(), 'x.db');
    const writer = openDb(path);
    writer.exec("INSERT INTO ingest_runs (source, file, started_at, status) VALUES ('csv', 'a', 0, 'ok')");
    const reader = openDb(path, { mode: 'read' });
    const count = () => reader.prepare('SELECT COUNT(*) FROM ingest_runs').pluck().get();
    expect(count()).toBe(1);
    writer.exec("INSERT INTO ingest_runs (source, file, started_at, status) VALUES ('csv', 'b', 0, 'ok')");
    expect(count()).toBe(1);
    reader.close();
    writer.close();
  });
});

describe('storeError', () => {
  it.each([
    [
      'SQLITE_READONLY',
      'attempt to write a readonly database',
      'The database /d/x.db is read-only (attempt to write a readonly database).',
    ],
    ['SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database', 'The database /d/x.db is read-only'],
    ['SQLITE_CANTOPEN', 'unable to open database file', 'Cannot open the database /d/x.db (unable to open database file).'],
    ['SQLITE_FULL', 'database or disk is full', 'The disk holding the database /d/x.db is full (database or disk is full).'],
    [
      'SQLITE_IOERR_WRITE',
      'disk I/O error',
      'The disk failed while llmcost used the database /d/x.db (SQLITE_IOERR_WRITE: disk I/O error).',
    ],
    ['SQLITE_BUSY', 'database is locked', 'The database /d/x.db is locked by another process (database is locked).'],
    ['SQLITE_CORRUPT', 'database disk image is malformed', '/d/x.db is damaged or not an llmcost database'],
    ['SQLITE_NOTADB', 'file is not a database', '/d/x.db is damaged or not an llmcost database'],
  ])('%s is the environment, not a bug: exit 2 with a plain cause', (code, message, expected) => {
    const err = storeError(sqliteError(code, message), '/d/x.db');
    expect(err?.exitCode).toBe(ExitCode.Usage);
    expect(err?.message.startsWith(expected)).toBe(true);
    expect(err?.hint).toBeTruthy();
  });

  it.each([
    ['SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'],
    ['SQLITE_ERROR', 'no such column: x'],
    ['SQLITE_MISUSE', 'bad parameter'],
  ])('%s stays a bug (exit 70)', (code, message) => {
    expect(storeError(sqliteError(code, message), '/d/x.db')).toBeUndefined();
  });

  it('leaves errors that are not SQLite errors alone', () => {
    expect(storeError(new Error('x'))).toBeUndefined();
    expect(storeError(Object.assign(new Error('x'), { code: 'SQLITE_FULL' }))).toBeUndefined();
  });

  it('a real read-only write is mapped', () => {
    const path = join(tmpDir(), 'x.db');
    openDb(path).close();
    const ro = openDb(path, { mode: 'read' });
    let thrown: unknown;
    try {
      ro.exec("INSERT INTO ingest_runs (source, file, started_at, status) VALUES ('csv', 'a', 0, 'ok')");
    } catch (err) {
      thrown = err;
    }
    ro.close();
    expect(storeError(thrown, path)?.message).toBe(
      `The database ${path} is read-only (attempt to write a readonly database). It was not changed.`,
    );
  });
});
