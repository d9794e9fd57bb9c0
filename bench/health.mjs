// `npm run bench -- health`: gateway health on a 1M-request LiteLLM store (BENCH_HEALTH_ROWS): the bench's
// LiteLLM records with log-normal latencies (median ~1.2 s by model), 2% failures and 20% gateway cache hits.
// Times `health` and `report --metrics` (served by the daily health rollup's latency histograms) against an
// exact percentile over every row's latency_ms (sorting the column, which is what a rollup avoids), and states
// how far the histogram's p50/p95 are from the exact ones.

import { existsSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DATA, fmt, llmcost, rng, timeMedian } from './lib.mjs';
import { litellmRecords, writeLines } from './logs.mjs';

const N = Number(process.env.BENCH_HEALTH_ROWS ?? 1_000_000);

function healthRecords(n) {
  const base = litellmRecords(n);
  const rand = rng(23);
  // Box-Muller: a normal deviate, for log-normal latencies.
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const median = { 'gpt-4o': 1400, 'gpt-4o-mini': 700, 'claude-sonnet-4-5-20250929': 2500 };
  return (i) => {
    const o = JSON.parse(base(i));
    const roll = rand();
    const start = Date.parse(o.startTime);
    let ms = Math.round((median[o.model] ?? 1100) * Math.exp(0.6 * normal()));
    if (roll < 0.02) {
      o.status = 'failure';
      o.spend = 0;
    } else if (roll < 0.22) {
      o.request_id = `${o.request_id}_cache_hit${(start / 1000 + 0.5).toFixed(7)}`;
      o.cache_hit = 'True';
      o.spend = 0;
      ms = 3 + Math.floor(rand() * 20);
    }
    o.endTime = new Date(start + ms).toISOString();
    return JSON.stringify(o);
  };
}

export async function benchHealth() {
  const file = join(DATA, `litellm-health-${N}.jsonl`);
  const db = join(DATA, `health-${N}.db`);
  if (!existsSync(file)) await writeLines(file, N, healthRecords(N));
  rmSync(db, { force: true });
  const env = { LLMCOST_DB: db };
  const rows = [];
  const ingest = llmcost(['ingest', 'litellm', file], env);
  rows.push([
    'ingest',
    `${fmt(N)} LiteLLM records`,
    `${fmt(ingest.ms / 1000, 1)} s`,
    `${fmt(N / (ingest.ms / 1000))} rec/s`,
    `${fmt(ingest.rssMiB)} MiB`,
  ]);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  for (const args of [
    ['health', '--json'],
    ['health', '--by', 'model', '--json'],
    ['health', '--by', 'team', '--json'],
    ['health', '--by', 'api-key', '--json'],
    ['report', '--by', 'model', '--metrics', '--json'],
  ]) {
    const ms = timeMedian(runs, () => llmcost([...args, '--tz', 'UTC'], env));
    rows.push([args.join(' '), `${fmt(N)}-row store`, `${fmt(ms)} ms`, '', '']);
  }
  const h = JSON.parse(llmcost(['health', '--by', 'model', '--json'], env).stdout);
  const Driver = createRequire(import.meta.url)('better-sqlite3');
  const sql = new Driver(db, { readonly: true });
  const t0 = performance.now();
  const byModel = new Map();
  for (const [model, ms] of sql
    .prepare('SELECT (SELECT value FROM dict WHERE id = model_dim), latency_ms FROM usage_rows WHERE latency_ms IS NOT NULL')
    .raw()
    .iterate()) {
    const list = byModel.get(model);
    if (list) list.push(ms);
    else byModel.set(model, [ms]);
  }
  const exact = new Map();
  for (const [model, list] of byModel) {
    list.sort((a, b) => a - b);
    const at = (p) => list[Math.max(1, Math.ceil(p * list.length)) - 1];
    exact.set(model, [at(0.5), at(0.95)]);
  }
  const scanMs = performance.now() - t0;
  rows.push(['exact p50/p95 by model (read and sort every latency_ms)', `${fmt(N)}-row store`, `${fmt(scanMs)} ms`, '', '']);
  let worst = 0;
  for (const r of h.rows) {
    const [p50, p95] = exact.get(r.key) ?? [];
    const e50 = Math.abs(r.latencyP50Ms - p50) / p50;
    const e95 = Math.abs(r.latencyP95Ms - p95) / p95;
    worst = Math.max(worst, e50, e95);
    rows.push([`${r.key}: p50 / p95 (histogram vs exact)`, '', `${r.latencyP50Ms} / ${r.latencyP95Ms} vs ${p50} / ${p95} ms`, '', '']);
  }
  rows.push(['largest relative error of a percentile', '', `${fmt(worst * 100, 2)} %`, '', '']);
  const health = sql.prepare('SELECT COUNT(*) FROM usage_health_rows').pluck().get();
  rows.push([
    'usage_health_rows',
    `${fmt(health)} rows (${fmt(health / N, 4)} a request)`,
    `db ${fmt(statSync(db).size / 2 ** 20)} MiB`,
    '',
    '',
  ]);
  sql.close();
  return rows;
}
