// Benchmark for the foundation: 1,000,000 CSV rows → ingest throughput and peak RSS, re-ingest,
// report --daily / --by user wall time, and start-up time of `llmcost --version`.
import { createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, fmt, llmcost, rng, timeMedian } from './lib.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

/**
 * Writes `rows` CSV rows over `span` ms (60 days) from `start`; deterministic per seed. With `tags`, a tags
 * column: `project:pN` (from the user's team and feature: 40 projects), `env:prod` or `env:staging` (80/20), and a
 * plain `batch` tag on about 10 % of the rows.
 */
export async function generate(file, rows = ROWS, { start = Date.UTC(2026, 8, 1), span = 60 * 86_400_000, seed = 42, tags = false } = {}) {
  if (existsSync(file)) return;
  // The same users in every file (seed 42); the rows drawn from `seed`.
  let rand = rng(42);
  const models = [
    ['openai', 'gpt-4o'],
    ['openai', 'gpt-4o-mini'],
    ['anthropic', 'claude-3-5-sonnet-20241022'],
    ['anthropic', 'claude-3-haiku-20240307'],
    ['bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['bedrock', 'amazon.nova-lite-v1:0'],
    ['bedrock', 'meta.llama3-70b-instruct-v1:0'],
    ['google', 'gemini-1.5-flash'],
    ['google', 'gemini-1.5-pro'],
    ['anthropic', 'claude-opus-4-1-20250805'],
    ['openai', 'o3'],
    ['self-hosted', 'acme-ft'],
  ];
  // Realistic structure: 500 users with a heavy-tailed request share, each with a home team, one or
  // two preferred models and one or two endpoints (a user's traffic is not spread over every model).
  const users = Array.from({ length: 500 }, (_, u) => ({
    name: `user${u}`,
    team: `team${u % 10}`,
    models: [models[Math.floor(rand() * models.length)], models[Math.floor(rand() * models.length)]],
    endpoints: [`/feature/${u % 25}`, `/feature/${(u * 7) % 25}`],
  }));
  rand = rng(seed);
  const out = createWriteStream(file);
  out.write(
    `timestamp,user,team,provider,model,endpoint,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens${tags ? ',tags' : ''}\n`,
  );
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const ts = new Date(start + Math.floor((i / rows) * span) + Math.floor(rand() * 60_000)).toISOString();
    const u = users[Math.floor(rand() ** 3 * users.length)];
    const [provider, model] = u.models[rand() < 0.8 ? 0 : 1];
    const endpoint = u.endpoints[rand() < 0.7 ? 0 : 1];
    buf += `${ts},${u.name},${u.team},${provider},${model},${endpoint},${Math.floor(rand() * 8000)},${Math.floor(rand() * 1200)},${Math.floor(rand() * 2000)},${Math.floor(rand() * 300)}`;
    if (tags) {
      const project = `project:p${Number(u.team.slice(4)) * 4 + (Number(endpoint.slice(9)) % 4)}`;
      buf += `,${project};env:${rand() < 0.8 ? 'prod' : 'staging'}${rand() < 0.1 ? ';batch' : ''}`;
    }
    buf += '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

export async function benchCsv() {
  const file = join(DATA, `usage-v2-${ROWS}.csv`);
  const db = join(DATA, 'csv-bench.db');
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  await generate(file);
  const mb = statSync(file).size / 1e6;
  const ingest = llmcost(['ingest', 'csv', file, '--db', db, '--json']);
  const again = llmcost(['ingest', 'csv', file, '--db', db, '--json']);
  const daily = timeMedian(5, () => llmcost(['report', '--daily', '--db', db, '--json']));
  const byUser = timeMedian(5, () => llmcost(['report', '--by', 'user', '--db', db, '--json']));
  const byUserDaily = timeMedian(3, () => llmcost(['report', '--daily', '--by', 'team', '--tz', 'Europe/Berlin', '--db', db, '--json']));
  const kolkata = timeMedian(3, () => llmcost(['report', '--daily', '--tz', 'Asia/Kolkata', '--db', db, '--json']));
  const { default: Database } = await import('better-sqlite3');
  const handle = new Database(db, { readonly: true });
  const rollupRows = handle.prepare('SELECT COUNT(*) AS n FROM usage_hourly').get().n;
  handle.close();
  const version = timeMedian(10, () => llmcost(['--version']));
  const rows = [
    [
      'CSV ingest',
      `${fmt(ROWS)} rows, ${fmt(mb, 1)} MB`,
      `${fmt(ingest.ms / 1000, 2)} s`,
      `${fmt(ROWS / (ingest.ms / 1000))} rows/s`,
      `${fmt(ingest.rssMiB, 0)} MiB`,
    ],
    ['hourly rollup', `${fmt(rollupRows)} rows (${fmt(ROWS / rollupRows, 1)}× fewer)`, '', '', ''],
    ['CSV re-ingest (unchanged file)', '', `${fmt(again.ms)} ms`, '', `${fmt(again.rssMiB, 0)} MiB`],
    ['report --daily', `${fmt(ROWS)} rows`, `${fmt(daily)} ms`, 'median of 5', ''],
    ['report --by user', `${fmt(ROWS)} rows`, `${fmt(byUser)} ms`, 'median of 5', ''],
    ['report --daily --by team --tz Europe/Berlin', `${fmt(ROWS)} rows`, `${fmt(byUserDaily)} ms`, 'median of 3', ''],
    ['report --daily --tz Asia/Kolkata (quarter-hour rollup)', `${fmt(ROWS)} rows`, `${fmt(kolkata)} ms`, 'median of 3', ''],
    ['llmcost --version (start-up)', '', `${fmt(version)} ms`, 'median of 10', ''],
  ];
  return rows;
}
