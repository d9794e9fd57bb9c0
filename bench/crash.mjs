// The kill -9 loop: each run ingests a generated file and is killed with SIGKILL at a random moment (most of
// them inside the file's transaction), while a reader runs `llmcost report` over and over. Then the database is
// checked: no lost rows (a file whose run is 'ok' has all its rows), none doubled, no partial file, no lock
// left (the same ingest run again succeeds and completes the file), and every report saw each file whole or
// not at all. Prints one line per run and a summary; exits 1 on any problem.
//
//   npm run bench:crash                      20 runs of 50,000 rows
//   CRASH_RUNS=5 CRASH_ROWS=200000 node bench/crash.mjs
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { DATA, fmt, ROOT, rng } from './lib.mjs';

const RUNS = Number(process.env.CRASH_RUNS ?? 20);
const ROWS = Number(process.env.CRASH_ROWS ?? 50_000);
const BIN = join(ROOT, 'bin', 'llmcost');
const DIR = join(DATA, 'crash');
const DB = join(DIR, 'crash.db');
const Database = createRequire(import.meta.url)('better-sqlite3');
const rand = rng(Number(process.env.CRASH_SEED ?? 12));

/** Runs llmcost; resolves { status, signal, stdout, stderr, ms }. `child` gets the process to kill it. */
function llmcost(args, child) {
  const t0 = Date.now();
  return new Promise((done) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC', HOME: DIR, LLMCOST_DB: DB },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('close', (status, signal) => done({ status, signal, stdout, stderr, ms: Date.now() - t0 }));
    child?.(p);
  });
}

async function generate(file, run) {
  const out = createWriteStream(file);
  out.write('timestamp,user,team,model,input_tokens,output_tokens,request_id\n');
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    const ts = new Date(Date.UTC(2026, 8, 1) + run * 86_400_000 + i * 1_000).toISOString();
    buf += `${ts},run${run}-user${i % 100},team${i % 7},gpt-4o-mini,${1000 + (i % 13)},${100 + (i % 5)},run${run}-${i}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

/** Whether some process holds the write lock right now (probed without waiting). */
function lockHeld() {
  if (!existsSync(DB)) return false;
  const db = new Database(DB, { timeout: 0 });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (err) {
    if (String(err.code).startsWith('SQLITE_BUSY')) return true;
    throw err;
  } finally {
    db.close();
  }
}

/** What the database holds of run `run`'s file. */
function stored(run, file) {
  if (!existsSync(DB)) return { rows: 0, ids: 0, requests: 0, ok: 0, total: 0 };
  const db = new Database(DB, { readonly: true });
  try {
    // Killed while creating the database: no schema, nothing stored.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'usage'").get()) return { rows: 0, ids: 0, requests: 0, ok: 0, total: 0 };
    const like = `run${run}-%`;
    const rows = db
      .prepare(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT source_id) AS ids, COALESCE(SUM(requests), 0) AS requests FROM usage WHERE source_id LIKE ?',
      )
      .get(like);
    const ok = db.prepare("SELECT COUNT(*) FROM ingest_runs WHERE file = ? AND status = 'ok'").pluck().get(file);
    const total = db.prepare('SELECT COALESCE(SUM(requests), 0) FROM usage').pluck().get();
    return { rows: rows.n, ids: rows.ids, requests: rows.requests, ok, total };
  } finally {
    db.close();
  }
}

async function main() {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  console.log(`kill -9 loop: ${RUNS} runs of ${fmt(ROWS)} rows into ${DB}`);
  // One uninterrupted ingest (into its own database) tells how long a run takes, so kills spread across it.
  const calibration = join(DIR, 'calibration.csv');
  // Its own database: run 0's dates (run 999 fell past the one-year-ahead limit on values).
  await generate(calibration, 0);
  const full = await llmcost(['ingest', 'csv', calibration, '--db', join(DIR, 'calibration.db'), '--json']);
  if (full.status !== 0) throw new Error(`calibration ingest failed: ${full.stderr}`);
  console.log(`an uninterrupted ingest takes ${fmt(full.ms)} ms; kills fall between 0 and ${fmt(full.ms * 1.1)} ms`);

  const totals = { lost: 0, doubled: 0, partial: 0, locked: 0, torn: 0, inTransaction: 0, beforeTransaction: 0, finished: 0 };
  let expected = 0;
  for (let run = 0; run < RUNS; run++) {
    const file = resolve(DIR, `run-${run}.csv`);
    await generate(file, run);
    const delay = Math.floor(rand() * full.ms * 1.1);
    let proc;
    let phase = 'finished';
    const ingest = llmcost(['ingest', 'csv', file, '--json'], (p) => {
      proc = p;
    });
    let exited = false;
    ingest.then(() => {
      exited = true;
    });
    // A reader meanwhile: every report must show this file whole or not at all.
    const reads = [];
    const reader = (async () => {
      while (!exited) {
        const r = await llmcost(['report', '--json']);
        if (r.status === 0) reads.push(JSON.parse(r.stdout).totals.requests);
        else if (r.status === 3) reads.push(0);
        else reads.push(Number.NaN);
      }
    })();
    await new Promise((r) => setTimeout(r, delay));
    if (!exited) {
      phase = lockHeld() ? 'in transaction' : 'before transaction';
      proc.kill('SIGKILL');
    }
    const result = await ingest;
    await reader;
    if (phase === 'finished' && result.status !== 0) throw new Error(`run ${run}: ingest exited ${result.status}: ${result.stderr}`);
    if (phase === 'in transaction') totals.inTransaction++;
    else if (phase === 'before transaction') totals.beforeTransaction++;
    else totals.finished++;

    const after = stored(run, file);
    const lost = after.ok > 0 && after.requests < ROWS ? ROWS - after.requests : 0;
    const doubled = Math.max(0, after.rows - after.ids) + Math.max(0, after.requests - ROWS);
    const partial = after.requests > 0 && after.requests < ROWS ? after.requests : 0;
    const torn = reads.filter((n) => n !== expected && n !== expected + ROWS).length;
    // No lock left behind: the same ingest runs again and completes the file (or skips it, already stored).
    let locked = 0;
    if (lockHeld()) locked = 1;
    const again = await llmcost(['ingest', 'csv', file, '--json']);
    if (again.status !== 0) locked = 1;
    const final = stored(run, file);
    expected += ROWS;
    const wrongTotal = final.requests !== ROWS || final.total !== expected;
    totals.lost += lost;
    totals.doubled += doubled;
    totals.partial += partial;
    totals.locked += locked;
    totals.torn += torn;
    console.log(
      `run ${String(run + 1).padStart(2)}: ${phase === 'finished' ? 'kill due at' : 'killed at  '} ${String(delay).padStart(5)} ms (${phase === 'finished' ? 'finished before it' : phase.padEnd(18)}) stored ${fmt(after.requests).padStart(7)} rows` +
        `  lost ${lost}  doubled ${doubled}  partial ${partial}  lock left ${locked}  reads ${reads.length - torn}/${reads.length} whole` +
        (wrongTotal ? `  WRONG TOTAL after re-ingest: ${fmt(final.total)} (expected ${fmt(expected)})` : ''),
    );
    // After the re-ingest every file so far is stored exactly once.
    if (final.total > expected) totals.doubled += final.total - expected;
    if (final.total < expected) totals.lost += expected - final.total;
  }
  const bad = totals.lost + totals.doubled + totals.partial + totals.locked + totals.torn;
  console.log(
    `${RUNS} runs (${totals.inTransaction} killed in the transaction, ${totals.beforeTransaction} before it, ${totals.finished} finished first): ` +
      `lost ${totals.lost}, doubled ${totals.doubled}, partial ${totals.partial}, locks left ${totals.locked}, torn reads ${totals.torn} — ${bad === 0 ? 'OK' : 'FAILED'}`,
  );
  process.exitCode = bad === 0 ? 0 : 1;
}

await main();
