/** The transactions of writers: an ingest with its ingest_runs row (files, Cost Explorer, prompt), and a repricing. */

import type { RunCounts } from '../core/types.js';
import { beginWrite, type Db } from './db.js';
import { finishRun, startRun } from './queries/usage.js';

export interface RunStart {
  source: string;
  file: string;
  size?: number | undefined;
  mtimeMs?: number | undefined;
  now: () => number;
}

export interface RunEnd<T> {
  value: T;
  counts: RunCounts;
  /** A dry run records its counts and then rolls everything back. */
  dryRun?: boolean;
  /** false: the file was still being written (see finishRun). */
  complete?: boolean;
}

/**
 * Begins a write transaction (waiting for other writers), records the run, runs `body`, and commits with the
 * run's counts; a dry run rolls back, and so does a throw (then rethrown).
 */
export async function withIngestRun<T>(db: Db, run: RunStart, body: (runId: number) => Promise<RunEnd<T>> | RunEnd<T>): Promise<T> {
  beginWrite(db);
  let ended = false;
  try {
    const runId = startRun(db, run.source, run.file, run.size, run.mtimeMs, run.now());
    const end = await body(runId);
    finishRun(db, runId, end.dryRun ? 'dry-run' : 'ok', end.counts, run.now(), end.complete ?? true);
    db.exec(end.dryRun ? 'ROLLBACK' : 'COMMIT');
    ended = true;
    return end.value;
  } finally {
    if (!ended && db.inTransaction) db.exec('ROLLBACK');
  }
}

/**
 * `body` in one transaction: a write transaction that commits, or for a dry run a read snapshot that is rolled
 * back, so its numbers are consistent too (a read-only connection is already in the snapshot it opened with).
 */
export function inTransaction<T>(db: Db, dryRun: boolean, body: () => T): T {
  if (!dryRun) beginWrite(db);
  else if (!db.inTransaction) db.exec('BEGIN');
  try {
    const value = body();
    db.exec(dryRun ? 'ROLLBACK' : 'COMMIT');
    return value;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}
