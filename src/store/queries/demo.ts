/** Recognizes a database that `llmcost demo` created, so the demo replaces only its own files. */
import { closeSync, openSync, readSync } from 'node:fs';
import { openExistingReadOnly } from '../db.js';

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Where `llmcost demo` reads its data from, in any install (also the one a previous version ran from). */
const DEMO_DATA_SUFFIX = '/fixtures/demo/usage.csv';

function hasSqliteHeader(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, buf, 0, buf.length, 0) === buf.length && buf.toString('latin1') === SQLITE_HEADER;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * True only for an llmcost database that holds nothing but the demo data: every ingest run is a complete
 * CSV run of the bundled demo file (the mark `demo` leaves, in this version and earlier ones), every usage row
 * belongs to one, and no price catalog was loaded. Anything else, or anything unreadable, is not a demo
 * database: the caller must leave it alone.
 */
export function isDemoDatabase(path: string): boolean {
  if (!hasSqliteHeader(path)) return false;
  let db: ReturnType<typeof openExistingReadOnly> | undefined;
  try {
    db = openExistingReadOnly(path);
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").pluck().all() as string[]);
    if (!tables.has('ingest_runs') || !tables.has('usage')) return false;
    const runs = db.prepare('SELECT source, file, status FROM ingest_runs').all() as {
      source: string;
      file: string | null;
      status: string;
    }[];
    const demoRun = (r: (typeof runs)[number]): boolean =>
      r.source === 'csv' && r.status === 'ok' && r.file !== null && r.file.replaceAll('\\', '/').endsWith(DEMO_DATA_SUFFIX);
    if (runs.length === 0 || !runs.every(demoRun)) return false;
    if (db.prepare('SELECT 1 FROM usage WHERE run_id IS NULL LIMIT 1').get() !== undefined) return false;
    if (tables.has('price_catalogs') && db.prepare('SELECT 1 FROM price_catalogs LIMIT 1').get() !== undefined) return false;
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}
