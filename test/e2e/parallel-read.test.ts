// Parsing on a second thread (src/ingest/parallel-read.ts) must store exactly what an inline read stores: each
// case runs with LLMCOST_INGEST_WORKER=never and =always into two databases, and the exit code, stdout, stderr
// and every stored table (but the run log's clock times) must be equal.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, fixture, sandbox } from '../helpers/cli.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof import('better-sqlite3');

const sb = sandbox();
afterAll(() => sb.dispose());

/** Every table's rows in a stable order, without ingest_runs' clock times. */
function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const out: Record<string, unknown[]> = {};
    for (const t of tables) {
      if (t === 'schema_migrations') continue;
      const rows = db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][];
      const cols = db
        .prepare(`SELECT * FROM "${t}"`)
        .columns()
        .map((c) => c.name);
      const clock = new Set(['started_at', 'finished_at', 'applied_at', 'created_at']);
      const kept = rows.map((r) => r.map((v, i) => (clock.has(cols[i] ?? '') ? null : Buffer.isBuffer(v) ? v.toString('hex') : v)));
      out[t] = kept.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
    }
    return out;
  } finally {
    db.close();
  }
}

/** Runs `args` in both modes, each on its own database (runs in `steps` go to the same database, in order). */
function both(steps: string[][], name: string) {
  const result = {} as Record<
    'never' | 'always',
    { runs: { status: number | null; stdout: string; stderr: string }[]; db: Record<string, unknown[]> }
  >;
  for (const mode of ['never', 'always'] as const) {
    const db = join(sb.dir, `${name}-${mode}.db`);
    const runs = steps.map((args) => sb.run([...args, '--db', db], { env: { LLMCOST_INGEST_WORKER: mode } }));
    result[mode] = { runs, db: dump(db) };
  }
  return result;
}

function expectSame(steps: string[][], name: string, expectStatus: number[]) {
  const r = both(steps, name);
  expect(r.never.runs.map((x) => x.status)).toEqual(expectStatus);
  expect(r.always.runs).toEqual(r.never.runs);
  expect(r.always.db).toEqual(r.never.db);
  return r;
}

const LITELLM = [
  'bad-lines.jsonl',
  'spend-logs.jsonl',
  'spend-logs.csv',
  'spend-logs-v2.json',
  'prompt-split.jsonl',
  'cache-hit',
  'health',
  'standard-logging',
  'standard-logging-eras',
].map((f) => fixture('litellm', f));

describe('ingest with a read worker stores what an inline read stores', () => {
  it('a directory of every CSV fixture, auto-detected (bad rows, unpriced, tags, aggregates)', () => {
    const r = expectSame([['ingest', fixture('csv'), '--json']], 'csv', [2]);
    expect(r.never.db.usage_rows?.length).toBeGreaterThan(30);
  });

  it('LiteLLM logs with and without --skip-invalid, then a re-ingest that adds nothing', () => {
    const r = expectSame(
      [
        ['ingest', 'litellm', ...LITELLM, '--json'],
        ['ingest', 'litellm', ...LITELLM, '--skip-invalid', '--json'],
        ['ingest', 'litellm', ...LITELLM, '--skip-invalid', '--force', '--json'],
      ],
      'litellm',
      [2, 0, 0],
    );
    const forced = JSON.parse(r.always.runs[2]?.stdout ?? '{}') as { totals: { inserted: number; duplicate: number } };
    expect(forced.totals.inserted).toBe(0);
    expect(forced.totals.duplicate).toBeGreaterThan(0);
  });

  it('gzipped Bedrock invocation logs and Claude Code transcripts with a line still being written', () => {
    expectSame([['ingest', 'bedrock-log', fixture('bedrock-log'), '--skip-invalid', '--json']], 'bedrock', [0]);
    expectSame([['ingest', 'claude-code', fixture('claude-code'), '--json']], 'claude-code', [0]);
  });

  it('a CUR export, bytes that are not UTF-8, and a dangling link in a walked directory', () => {
    expectSame([['ingest', 'csv', '--preset', 'cur', fixture('cur', 'cur2.csv'), '--json']], 'cur', [0]);
    const dir = join(sb.dir, 'mixed');
    mkdirSync(dir);
    const head = 'timestamp,user,model,input_tokens,output_tokens\n2026-10-01T09:00:00Z,alice,gpt-4o,1000,100\n';
    // Past the first MiB (one read chunk), which the main thread reads itself to identify the file.
    const filler = Array.from(
      { length: 30000 },
      (_, i) => `2026-10-01T09:${String(i % 60).padStart(2, '0')}:00Z,bob${i},gpt-4o,${i},1\n`,
    ).join('');
    writeFileSync(
      join(dir, 'a-latin1.csv'),
      Buffer.concat([Buffer.from(`${head}${filler}2026-10-01T10:00:00Z,jos`), Buffer.from([0xe9]), Buffer.from(',gpt-4o,2000,200\n')]),
    );
    symlinkSync(join(dir, 'nowhere.csv'), join(dir, 'b-dangling.csv'));
    cpSync(fixture('csv', 'basic.csv'), join(dir, 'c-basic.csv'));
    const r = expectSame([['ingest', 'csv', dir, '--json']], 'mixed', [2]);
    expect(r.always.runs[0]?.stderr).toContain('a-latin1.csv:30003: warning: invalid UTF-8');
    expect(r.always.runs[0]?.stderr).toContain('b-dangling.csv');
  });
});

describe('LLMCOST_INGEST_WORKER', () => {
  /** The number of threads that ran JavaScript, counted by --cpu-prof (one profile per thread). */
  function threads(mode: string): number {
    const dir = join(sb.dir, `prof-${mode}`);
    const r = spawnSync(
      process.execPath,
      [
        '--cpu-prof',
        '--cpu-prof-dir',
        dir,
        BIN,
        'ingest',
        'csv',
        fixture('csv', 'basic.csv'),
        '--db',
        join(sb.dir, `p-${mode}.db`),
        '--json',
      ],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: sb.dir, TZ: 'UTC', LLMCOST_INGEST_WORKER: mode },
      },
    );
    expect(r.status).toBe(0);
    return readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).length;
  }

  it('always starts a second thread even for a small file; never and auto (under 8 MiB) read inline', () => {
    expect(threads('always')).toBe(2);
    expect(threads('never')).toBe(1);
    expect(threads('auto')).toBe(1);
  });

  it('refuses a value it does not know, naming the three it takes', () => {
    const r = sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--json'], { env: { LLMCOST_INGEST_WORKER: 'yes' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('LLMCOST_INGEST_WORKER="yes" is not auto, always or never.');
  });
});
