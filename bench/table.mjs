// Tables: `report --by user,model,endpoint` over ~20,000 distinct groups, rendered as a table (every row:
// --limit 0) and as JSON, from the same store. Goal (issue 15): a table is linear in its rows, 20k rows < 1 s of
// rendering. The table's time minus the JSON's is about what rendering the table costs; `renderTable` alone, in
// this process on the same shape of rows (11 columns), is the figure with less noise.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, fmt, llmcost, median, ROOT } from './lib.mjs';

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
  const { renderTable } = await import(join(ROOT, 'dist', 'render', 'table.js'));
  const data = {
    columns: ['user', 'model', 'endpoint']
      .map((key) => ({ key, header: key, kind: 'text' }))
      .concat(
        ['requests', 'input', 'output', 'cache_read', 'cache_write'].map((key) => ({ key, header: key, kind: 'int' })),
        [
          { key: 'cost', header: 'Cost', kind: 'usd' },
          { key: 'avg', header: 'Avg/request', kind: 'usd4' },
          { key: 'share', header: 'Share', kind: 'pct' },
        ],
      ),
    rows: Array.from({ length: groups }, (_, i) => ({
      user: `user-${i % USERS}`,
      model: MODELS[i % MODELS.length],
      endpoint: `/feature/${i % ENDPOINTS}`,
      requests: i,
      input: i * 1000,
      output: i * 100,
      cache_read: 0,
      cache_write: 0,
      cost: BigInt(i) * 1_234_567n,
      avg: 1_234_567n,
      share: 1 / groups,
    })),
  };
  const render = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    renderTable(data, { color: false });
    render.push(performance.now() - t0);
  }
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
    ['renderTable in process (11 columns, median)', `${fmt(groups)} rows`, `${fmt(median(render))} ms`, '', ''],
  ];
}
