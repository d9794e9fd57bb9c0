// Tags as dimensions (issue #17): a store whose rows carry tags (project:pN, env:…, a plain `batch`), and
// `--by tag:KEY` / `--tag` read from the tag rollup (schema migration 6: whole UTC days) and the rows (the rest),
// beside what the rows alone cost (usage_tags' (key, value) index, and the JSON scan of each row's tag list it
// replaced), the CLI commands in UTC and Asia/Kolkata against `llmcost --version`, and the query plans. A cached
// store written before migration 6 is upgraded first: that times the migration's backfill.
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
/** The whole days of `--by tag:project` from the tag rollup (report.ts tagRollupRows, before the untagged rest). */
const ROLLUP_BY_SQL = `SELECT value_dim, SUM(records), SUM(cost_nanos) FROM usage_tag_daily_rows
  WHERE day >= 0 AND key_dim = (SELECT id FROM dict WHERE value = 'project') AND extra = 0 GROUP BY value_dim`;
const ROLLUP_FILTER_SQL = `SELECT SUM(records), SUM(cost_nanos) FROM usage_tag_daily_rows WHERE day >= 0
  AND key_dim = (SELECT id FROM dict WHERE value = 'project') AND value_dim = (SELECT id FROM dict WHERE value = 'p7')`;

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
  // A store cached by an older llmcost: this version's migrations (the tag rollup's backfill) first.
  const upgrade = llmcost(['db', 'upgrade', '--db', db]);
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const h = new Database(db, { readonly: true });
  const rows = Number(h.prepare('SELECT COUNT(*) FROM usage_rows').pluck().get());
  const tags = Number(h.prepare('SELECT COUNT(*) FROM usage_tags').pluck().get());
  let sizes = [];
  try {
    sizes = h.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'usage_tag%' GROUP BY name").all();
  } catch {}
  const rollupRows = Number(h.prepare('SELECT COUNT(*) FROM usage_tag_daily_rows').pluck().get());
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
  if (/applied/.test(upgrade.stdout))
    out.push([
      `db upgrade (${upgrade.stdout.trim().replace(/.*: /, '')})`,
      `${fmt(rows)} rows`,
      `${fmt(upgrade.ms / 1000, 1)} s`,
      '',
      `${fmt(upgrade.rssMiB)} MiB`,
    ]);
  out.push(['store size', `${fmt(statSync(db).size / 1e6, 0)} MB`, `${fmt(statSync(db).size / rows, 1)} B/row`, `${fmt(tags)} tags`, '']);
  for (const s of sizes)
    out.push([
      `  ${s.name}`,
      `${fmt(s.bytes / 1e6, 1)} MB`,
      `${fmt(s.bytes / rows, 1)} B/row`,
      s.name === 'usage_tag_daily_rows' ? `${fmt(rollupRows)} rows` : '',
      '',
    ]);
  out.push([
    'SQL: by tag:project from the tag rollup',
    `${fmt(rollupRows)} rollup rows`,
    `${fmt(inProcess(ROLLUP_BY_SQL))} ms`,
    `median of ${RUNS}`,
    '',
  ]);
  out.push([
    'SQL: --tag project=p7 from the tag rollup',
    `${fmt(rollupRows)} rollup rows`,
    `${fmt(inProcess(ROLLUP_FILTER_SQL))} ms`,
    `median of ${RUNS}`,
    '',
  ]);
  out.push(['SQL: by tag:project via usage_tags', `${fmt(rows)} rows`, `${fmt(inProcess(BY_TAG_SQL))} ms`, `median of ${RUNS}`, '']);
  out.push(['SQL: by project via JSON scan', `${fmt(rows)} rows`, `${fmt(inProcess(JSON_BY_SQL))} ms`, `median of ${RUNS}`, '']);
  out.push(['SQL: --tag project=p7 via usage_tags', `${fmt(rows)} rows`, `${fmt(inProcess(FILTER_SQL))} ms`, `median of ${RUNS}`, '']);
  out.push(['SQL: project=p7 via JSON scan', `${fmt(rows)} rows`, `${fmt(inProcess(JSON_FILTER_SQL))} ms`, `median of ${RUNS}`, '']);
  const planBy = plan(BY_TAG_SQL);
  const planFilter = plan(FILTER_SQL);
  const planRollupBy = plan(ROLLUP_BY_SQL);
  const planRollupFilter = plan(ROLLUP_FILTER_SQL);
  h.close();
  const commands = [
    ['report', '--by', 'tag:project'],
    ['report', '--by', 'tag:env', '--by', 'model'],
    ['report', '--by', 'tag'],
    ['report', '--tag', 'project=p7'],
    ['report', '--tag', 'batch', '--by', 'user'],
    ['report', '--by', 'tag:project', '--daily', '--since', '30d'],
    ['pareto', '--by', 'tag:project', '--since', '90d'],
    ['anomalies', '--by', 'tag:project'],
    ['report', '--by', 'user'],
  ];
  const version = timeMedian(RUNS, () => llmcost(['--version']));
  out.push(['llmcost --version', '', `${fmt(version)} ms`, `median of ${RUNS}`, '']);
  for (const tz of ['UTC', 'Asia/Kolkata']) {
    for (const c of commands) {
      const ms = timeMedian(RUNS, () => llmcost([...c, '--tz', tz, '--db', db, '--json']));
      out.push([`llmcost ${c.join(' ')} (${tz})`, `${fmt(rows)} rows`, `${fmt(ms)} ms`, `**${fmt(ms / version, 1)}×** --version`, '']);
    }
  }
  out.push(['plan: by tag:project (rows)', planBy, '', '', '']);
  out.push(['plan: --tag project=p7 (rows)', planFilter, '', '', '']);
  out.push(['plan: by tag:project (tag rollup)', planRollupBy, '', '', '']);
  out.push(['plan: --tag project=p7 (tag rollup)', planRollupFilter, '', '', '']);
  return out;
}
