// The figures of issue #15, each as a ratio measured in the same run (this machine is shared and noisy):
//   ingest: CSV (300k rows), LiteLLM JSON Lines (1M records), Claude Code (200k lines) against bench/floor.mjs
//   peer:   Claude Code (200k lines) against ccusage 20.0.24: first run, repeated report, totals
//   big:    a 10M-request store: bytes per row, and reports against `llmcost --version` in UTC and Asia/Kolkata
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { generate as generateCsv } from './csv.mjs';
import { DATA, fmt, llmcost, median, ROOT, timeMedian } from './lib.mjs';
import { ccusage, generateClaude, litellmRecords, writeLines } from './logs.mjs';

const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 300_000);
const LITELLM_ROWS = Number(process.env.BENCH_LITELLM_ROWS ?? 1_000_000);
const CLAUDE_LINES = Number(process.env.BENCH_CLAUDE_LINES ?? 200_000);
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 10_000_000);

const rmDb = (db) => {
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
};

/** Runs bench/floor.mjs as a child, measured like llmcost (wall time, peak RSS). */
function floor(kind, input, db) {
  const rssFile = join(DATA, `rss-floor-${process.pid}.txt`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    ['--import', join(ROOT, 'bench', 'rss-hook.mjs'), join(ROOT, 'bench', 'floor.mjs'), kind, input, db],
    {
      encoding: 'utf8',
      env: { ...process.env, LLMCOST_BENCH_RSS_FILE: rssFile },
    },
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`floor ${kind} failed: ${r.stderr}`);
  return { ms, rssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024, rows: JSON.parse(r.stdout).rows };
}

/** Floor and llmcost alternately, `n` times each; medians, and the ratio of medians. */
function versus(n, kind, input, source) {
  const fdb = join(DATA, `floor-${kind}.db`);
  const odb = join(DATA, `ours-${kind}.db`);
  const f = [];
  const o = [];
  let rss = 0;
  let floorRss = 0;
  for (let i = 0; i < n; i++) {
    const a = floor(kind, input, fdb);
    f.push(a.ms);
    floorRss = Math.max(floorRss, a.rssMiB);
    rmDb(odb);
    const b = llmcost(['ingest', source, input, '--db', odb, '--json']);
    o.push(b.ms);
    rss = Math.max(rss, b.rssMiB);
  }
  const bytes = statSync(odb).size;
  rmDb(fdb);
  rmDb(odb);
  return { floorMs: median(f), oursMs: median(o), rss, floorRss, bytes };
}

function ingestRows(what, input, r, count, unit) {
  return [
    [
      `${what}: floor (bench/floor.mjs)`,
      input,
      `${fmt(r.floorMs / 1000, 2)} s`,
      `${fmt(count / (r.floorMs / 1000))} ${unit}/s`,
      `${fmt(r.floorRss)} MiB`,
    ],
    [
      `${what}: llmcost ingest`,
      `${fmt(r.bytes / 1e6, 0)} MB store`,
      `${fmt(r.oursMs / 1000, 2)} s`,
      `${fmt(count / (r.oursMs / 1000))} ${unit}/s`,
      `${fmt(r.rss)} MiB`,
    ],
    [
      `${what}: llmcost / floor`,
      '',
      `**${fmt(r.oursMs / r.floorMs, 2)}×**`,
      `${fmt((100 * r.floorMs) / r.oursMs)} % of floor throughput`,
      '',
    ],
  ];
}

export async function benchIngest() {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const csv = join(DATA, `usage-v2-${CSV_ROWS}.csv`);
  await generateCsv(csv, CSV_ROWS);
  const jsonl = join(DATA, `litellm-${LITELLM_ROWS}.jsonl`);
  if (!existsSync(jsonl)) await writeLines(jsonl, LITELLM_ROWS, litellmRecords(LITELLM_ROWS));
  const home = join(DATA, `claude-home-${CLAUDE_LINES}`);
  await generateClaude(home, CLAUDE_LINES);
  const projects = join(home, '.claude', 'projects');
  const mb = (f) => `${fmt(statSync(f).size / 1e6, 0)} MB`;
  return [
    ...ingestRows(`CSV ${fmt(CSV_ROWS)} rows`, mb(csv), versus(runs, 'csv', csv, 'csv'), CSV_ROWS, 'rows'),
    ...ingestRows(`LiteLLM ${fmt(LITELLM_ROWS)} records`, mb(jsonl), versus(1, 'litellm', jsonl, 'litellm'), LITELLM_ROWS, 'records'),
    ...ingestRows(
      `Claude Code ${fmt(CLAUDE_LINES)} lines`,
      '40 files',
      versus(runs, 'claude-code', projects, 'claude-code'),
      CLAUDE_LINES,
      'lines',
    ),
  ];
}

export async function benchPeer() {
  const home = join(DATA, `claude-home-${CLAUDE_LINES}`);
  await generateClaude(home, CLAUDE_LINES);
  const projects = join(home, '.claude', 'projects');
  const db = join(DATA, 'peer-bench.db');
  const env = { HOME: home, CLAUDE_CONFIG_DIR: join(home, '.claude') };
  const firsts = [];
  const peers = [];
  let report;
  for (let i = 0; i < 3; i++) {
    rmDb(db);
    const ingest = llmcost(['ingest', 'claude-code', projects, '--db', db, '--json'], env);
    report = llmcost(['report', '--daily', '--since', '2026-01-01', '--db', db, '--json'], env);
    firsts.push(ingest.ms + report.ms);
    try {
      peers.push(ccusage(home));
    } catch (err) {
      return [['ccusage', 'could not be installed or run here', String(err).split('\n')[0], '', '']];
    }
  }
  const repeated = timeMedian(5, () => llmcost(['report', '--daily', '--since', '2026-01-01', '--db', db, '--json'], env));
  const peerMs = median(peers.map((p) => p.ms));
  const first = median(firsts);
  const ours = JSON.parse(report.stdout).totals;
  const theirs = peers[0].json.totals;
  rmDb(db);
  return [
    ['ccusage 20.0.24 daily --offline --json', `${fmt(CLAUDE_LINES)} lines`, `${fmt(peerMs)} ms`, 'median of 3', ''],
    ['llmcost first run (ingest + report --daily)', '', `${fmt(first)} ms`, `**${fmt(first / peerMs, 2)}×** ccusage`, ''],
    ['llmcost report --daily (repeated)', '', `${fmt(repeated)} ms`, `**${fmt(peerMs / repeated, 1)}×** faster than ccusage`, ''],
    [
      'totals',
      `llmcost $${(Number(BigInt(ours.costNanos)) / 1e9).toFixed(9)} (${ours.costNanos} nanos)`,
      `ccusage $${theirs.totalCost}`,
      `tokens llmcost ${fmt(ours.inputTokens + ours.outputTokens + ours.cacheReadTokens + ours.cacheWriteTokens)}`,
      `ccusage ${fmt(theirs.totalTokens)}`,
    ],
  ];
}

/**
 * The 10M-request store, built once and cached: CSV chunks of 1M rows over the 90 days up to today (so the
 * reports' default ranges hold data), each ingested and deleted.
 */
async function bigStore() {
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const db = join(DATA, `big-${BIG_ROWS}-${new Date(today).toISOString().slice(0, 10)}.db`);
  if (existsSync(`${db}.done`)) return { db, built: undefined };
  rmDb(db);
  const chunks = Math.max(1, Math.round(BIG_ROWS / 1_000_000));
  const per = Math.ceil(BIG_ROWS / chunks);
  const span = 90 * 86_400_000;
  const t0 = Date.now();
  let peak = 0;
  for (let c = 0; c < chunks; c++) {
    const file = join(DATA, `big-chunk-${c}.csv`);
    rmSync(file, { force: true });
    // Chunk c: the c-th slice of the span, the same users, its own seed.
    await generateCsv(file, per, { start: today - span + (c * span) / chunks, span: span / chunks, seed: 1000 + c });
    const r = llmcost(['ingest', 'csv', file, '--db', db, '--json']);
    peak = Math.max(peak, r.rssMiB);
    rmSync(file);
    console.error(`big store: chunk ${c + 1}/${chunks} in ${fmt(r.ms / 1000, 1)} s`);
  }
  writeFileSync(`${db}.done`, '');
  return { db, built: { ms: Date.now() - t0, peak } };
}

export async function benchBig() {
  const { db, built } = await bigStore();
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const h = new Database(db, { readonly: true });
  const rows = Number(h.prepare('SELECT COUNT(*) FROM usage_rows').pluck().get());
  const count = (t) => Number(h.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get());
  let sizes = [];
  try {
    sizes = h.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all();
  } catch {}
  const hourly = count('usage_hourly_rows');
  const daily = count('usage_daily_rows');
  const quarter = count('usage_quarter_rows');
  h.close();
  const bytes = statSync(db).size;
  const out = [];
  if (built)
    out.push([
      'build (10 × 1M-row CSV ingest)',
      `${fmt(rows)} rows`,
      `${fmt(built.ms / 1000, 0)} s`,
      `${fmt(rows / (built.ms / 1000))} rows/s`,
      `${fmt(built.peak)} MiB`,
    ]);
  out.push(['store size', `${fmt(bytes / 1e6, 0)} MB`, `**${fmt(bytes / rows, 1)} B/row**`, '', '']);
  for (const s of sizes.slice(0, 8)) out.push([`  ${s.name}`, `${fmt(s.bytes / 1e6, 1)} MB`, `${fmt(s.bytes / rows, 1)} B/row`, '', '']);
  out.push(['rollups (rows)', `hourly ${fmt(hourly)}, daily ${fmt(daily)}, quarter-hour ${fmt(quarter)}`, '', '', '']);
  const version = timeMedian(7, () => llmcost(['--version']));
  out.push(['llmcost --version', '', `${fmt(version)} ms`, 'median of 7', '']);
  const commands = [
    ['report', '--daily'],
    ['report', '--weekly'],
    ['report', '--by', 'user'],
    ['report', '--by', 'team,model'],
    ['pareto'],
    ['anomalies'],
    ['budget', 'check', '--monthly', '100000000'],
  ];
  // Each command alternates with `--version` (version, command, version, command, …): the load of this shared
  // machine moves by 2× within minutes, so the ratio compares medians taken side by side.
  for (const tz of ['UTC', 'Asia/Kolkata']) {
    for (const c of commands) {
      const v = [];
      const t = [];
      for (let i = 0; i < 5; i++) {
        v.push(llmcost(['--version']).ms);
        t.push(llmcost([...c, '--tz', tz, '--db', db, '--json']).ms);
      }
      const ms = median(t);
      const ver = median(v);
      out.push([
        `${c.join(' ')} --tz ${tz}`,
        `${fmt(rows)} rows`,
        `${fmt(ms)} ms (--version ${fmt(ver)} ms)`,
        `**${fmt(ms / ver, 2)}×** --version`,
        '',
      ]);
    }
  }
  return out;
}
