// Tables: `report --by user,model,endpoint` over ~20,000 distinct groups, rendered as a table (every row:
// --limit 0) and as JSON, from the same store. Goal (issue 15): a table is linear in its rows, 20k rows < 1 s of
// rendering. cli-table3 in chunks of 200 rows is linear, but at ~25 µs per cell 20k rows take several seconds
// (README, Performance); the table's time minus the JSON's is about what rendering the table costs.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, fmt, llmcost, median } from './lib.mjs';

const USERS = Number(process.env.BENCH_TABLE_USERS ?? 200);
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-3-5-haiku-20241022', 'claude-sonnet-4-5-20250929', 'amazon.nova-lite-v1:0'];
const ENDPOINTS = 20;
const ROUNDS = Number(process.env.BENCH_TABLE_ROUNDS ?? 5);

/** One CSV row per (user, model, endpoint): USERS × 5 × 20 distinct groups (20,000 by default). */
function generate(file) {
  const lines = ['timestamp,user,team,model,endpoint,input_tokens,output_tokens'];
  let i = 0;
  for (let u = 0; u < USERS; u++)
    for (const model of MODELS)
      for (let e = 0; e < ENDPOINTS; e++) {
        const ts = new Date(Date.UTC(2026, 9, 1) + (i++ % 600) * 3_600_000).toISOString();
        lines.push(`${ts},user-${u},team-${u % 12},${model},/feature/${e},${1000 + ((u * 37 + e * 11) % 5000)},${100 + ((u + e) % 700)}`);
      }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return i;
}

export async function benchTable() {
  const csv = join(DATA, 'table-groups.csv');
  const db = join(DATA, 'table-bench.db');
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const groups = generate(csv);
  llmcost(['ingest', 'csv', csv, '--db', db, '--json']);
  const args = ['report', '--by', 'user,model,endpoint', '--since', '2026-10-01', '--until', '2026-10-31', '--tz', 'UTC', '--db', db];
  const table = [];
  const json = [];
  let lines = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = llmcost([...args, '--format', 'table', '--limit', '0']);
    lines = t.stdout.split('\n').length;
    table.push(t.ms);
    json.push(llmcost([...args, '--json']).ms);
  }
  const [t, j] = [median(table), median(json)];
  rmSync(csv, { force: true });
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  return [
    [
      `report --by user,model,endpoint --format table --limit 0 (${fmt(lines)} lines)`,
      `${fmt(groups)} groups`,
      `${fmt(t)} ms`,
      `table − JSON: ${fmt(t - j)} ms`,
      '',
    ],
    ['report --by user,model,endpoint --json', `${fmt(groups)} groups`, `${fmt(j)} ms`, '', ''],
  ];
}
