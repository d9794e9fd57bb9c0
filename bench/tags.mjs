// Tags as dimensions (issue #17): a store whose rows carry tags (project:pN, env:…, a plain `batch`), and
// `--by tag:KEY` / `--tag` read through usage_tags' (key, value) index, beside the JSON scan of each row's tag
// list that the index replaces and a rollup-backed `--by user` for scale. Also the query plans.
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { generate as generateCsv } from './csv.mjs';
import { DATA, fmt, llmcost, median, timeMedian } from './lib.mjs';

const ROWS = Number(process.env.BENCH_TAG_ROWS ?? 1_000_000);
const INGEST_ROWS = Number(process.env.BENCH_TAG_INGEST_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Built once (CSV chunks of 1M rows over the 90 days up to today, each ingested and deleted), then cached. */
async function tagStore() {
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const db = join(DATA, `tags-${ROWS}-${new Date(today).toISOString().slice(0, 10)}.db`);
  if (existsSync(`${db}.done`)) return { db, built: undefined };
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const chunks = Math.max(1, Math.round(ROWS / 1_000_000));
  const per = Math.ceil(ROWS / chunks);
  const span = 90 * 86_400_000;
  const t0 = Date.now();
  let peak = 0;
  for (let c = 0; c < chunks; c++) {
    const file = join(DATA, `tags-chunk-${c}.csv`);
    rmSync(file, { force: true });
    await generateCsv(file, per, { start: today - span + (c * span) / chunks, span: span / chunks, seed: 2000 + c, tags: true });
    const r = llmcost(['ingest', 'csv', file, '--db', db, '--json']);
    peak = Math.max(peak, r.rssMiB);
    rmSync(file);
    console.error(`tag store: chunk ${c + 1}/${chunks} in ${fmt(r.ms / 1000, 1)} s`);
  }
  writeFileSync(`${db}.done`, '');
  return { db, built: { ms: Date.now() - t0, peak } };
}

/** The SQL `report --by tag:project` runs (src/store/queries/tags.ts tagSelect), over every row. */
const BY_TAG_SQL = `SELECT COALESCE((SELECT MIN(t.value_dim) FROM usage_tags t WHERE t.row_id = usage_rows.id
    AND t.key_dim = (SELECT id FROM dict WHERE value = 'project')), 0) AS k0, COUNT(*), SUM(cost_nanos)
  FROM usage_rows WHERE ts >= 0 GROUP BY k0`;
/** The SQL of `report --tag project=p7` (tagWhere). */
const FILTER_SQL = `SELECT COUNT(*), SUM(cost_nanos) FROM usage_rows WHERE ts >= 0 AND usage_rows.id IN
  (SELECT row_id FROM usage_tags WHERE key_dim = (SELECT id FROM dict WHERE value = 'project')
    AND value_dim IN (SELECT id FROM dict WHERE value IN ('p7')))`;
/** What the index replaces: each row's JSON tag list (one dictionary entry per distinct list) parsed. */
const JSON_BY_SQL = `SELECT substr(j.value, 9) AS p, COUNT(*), SUM(u.cost_nanos)
  FROM usage_rows u JOIN dict d ON d.id = u.tags_dim, json_each(d.value) j WHERE j.value LIKE 'project:%' GROUP BY p`;
const JSON_FILTER_SQL = `SELECT COUNT(*), SUM(u.cost_nanos) FROM usage_rows u JOIN dict d ON d.id = u.tags_dim
  WHERE EXISTS (SELECT 1 FROM json_each(d.value) j WHERE j.value = 'project:p7')`;

/** What writing the tags costs at ingest: the same rows with and without a tags column, alternated. */
async function ingestOverhead() {
  const files = {};
  for (const tags of [false, true]) {
    files[tags] = join(DATA, `tags-ingest-${INGEST_ROWS}-${tags}.csv`);
    await generateCsv(files[tags], INGEST_ROWS, { seed: 7, tags });
  }
  const times = { false: [], true: [] };
  const db = join(DATA, 'tags-ingest.db');
  for (let i = 0; i < RUNS; i++) {
    for (const tags of [false, true]) {
      for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
      times[tags].push(llmcost(['ingest', 'csv', files[tags], '--db', db, '--json']).ms);
    }
  }
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
  const [plain, tagged] = [median(times.false), median(times.true)];
  return [
    [`CSV ingest without tags`, `${fmt(INGEST_ROWS)} rows`, `${fmt(plain / 1000, 2)} s`, `${fmt(INGEST_ROWS / (plain / 1000))} rows/s`, ''],
    [
      `CSV ingest with tags (2.1 a row)`,
      `${fmt(INGEST_ROWS)} rows`,
      `${fmt(tagged / 1000, 2)} s`,
      `**${fmt(tagged / plain, 2)}×** without`,
      '',
    ],
  ];
}

export async function benchTags() {
  const overhead = await ingestOverhead();
  const { db, built } = await tagStore();
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const h = new Database(db, { readonly: true });
  const rows = Number(h.prepare('SELECT COUNT(*) FROM usage_rows').pluck().get());
  const tags = Number(h.prepare('SELECT COUNT(*) FROM usage_tags').pluck().get());
  let sizes = [];
  try {
    sizes = h.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'usage_tags%' GROUP BY name").all();
  } catch {}
  const inProcess = (sql) =>
    median(
      Array.from({ length: RUNS }, () => {
        const t0 = process.hrtime.bigint();
        h.prepare(sql).raw().all();
        return Number(process.hrtime.bigint() - t0) / 1e6;
      }),
    );
  const plan = (sql) =>
    h
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all()
      .map((p) => p.detail)
      .join('; ');
  const out = [...overhead];
  if (built)
    out.push([
      `build (${Math.max(1, Math.round(ROWS / 1_000_000))} × CSV ingest with tags)`,
      `${fmt(rows)} rows`,
      `${fmt(built.ms / 1000, 0)} s`,
      `${fmt(rows / (built.ms / 1000))} rows/s`,
      `${fmt(built.peak)} MiB`,
    ]);
  out.push(['store size', `${fmt(statSync(db).size / 1e6, 0)} MB`, `${fmt(statSync(db).size / rows, 1)} B/row`, `${fmt(tags)} tags`, '']);
  for (const s of sizes) out.push([`  ${s.name}`, `${fmt(s.bytes / 1e6, 1)} MB`, `${fmt(s.bytes / rows, 1)} B/row`, '', '']);
  out.push(['SQL: by tag:project via usage_tags', `${fmt(rows)} rows`, `${fmt(inProcess(BY_TAG_SQL))} ms`, `median of ${RUNS}`, '']);
  out.push(['SQL: by project via JSON scan', `${fmt(rows)} rows`, `${fmt(inProcess(JSON_BY_SQL))} ms`, `median of ${RUNS}`, '']);
  out.push(['SQL: --tag project=p7 via usage_tags', `${fmt(rows)} rows`, `${fmt(inProcess(FILTER_SQL))} ms`, `median of ${RUNS}`, '']);
  out.push(['SQL: project=p7 via JSON scan', `${fmt(rows)} rows`, `${fmt(inProcess(JSON_FILTER_SQL))} ms`, `median of ${RUNS}`, '']);
  const planBy = plan(BY_TAG_SQL);
  const planFilter = plan(FILTER_SQL);
  h.close();
  const commands = [
    ['report', '--by', 'tag:project'],
    ['report', '--by', 'tag:env', '--by', 'model'],
    ['report', '--by', 'tag'],
    ['report', '--tag', 'project=p7'],
    ['report', '--tag', 'batch', '--by', 'user'],
    ['pareto', '--by', 'tag:project', '--since', '90d'],
    ['report', '--by', 'user'],
  ];
  for (const c of commands) {
    const ms = timeMedian(RUNS, () => llmcost([...c, '--tz', 'UTC', '--db', db, '--json']));
    out.push([`llmcost ${c.join(' ')}`, `${fmt(rows)} rows`, `${fmt(ms)} ms`, `median of ${RUNS}`, '']);
  }
  out.push(['plan: by tag:project', planBy, '', '', '']);
  out.push(['plan: --tag project=p7', planFilter, '', '', '']);
  return out;
}
