import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSchema3Rows } from '../../../test/helpers/legacy-rows.js';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { tagPair } from '../../core/tags.js';
import type { Dimension } from '../../core/types.js';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { type Db, openDb } from '../db.js';
import { APPLICATION_ID } from '../migrate.js';
import { aggregate } from '../queries/report.js';
import { rebuildRollupRange as rebuildSchema3Rollups } from '../queries/rollups.js';
import { rebuildTagRange } from '../queries/tag-rollup.js';
import { startRun, UsageWriter } from '../queries/usage.js';
import { migrations } from './index.js';

const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DAY = Date.UTC(2026, 9, 8);
const pricer = new Pricer(embeddedCatalog());

/** Rows, their tags and rollups as llmcost wrote them before migration 6 (schema 5: no tag rollup). */
function writeSchema5(db: BetterSqlite3.Database, source: string, records: UsageRecord[]): void {
  const { rows, dictId } = writeSchema3Rows(db, source, records, pricer);
  const tag = db.prepare('INSERT OR IGNORE INTO usage_tags (row_id, key_dim, value_dim) VALUES (?, ?, ?)');
  for (const { id, row } of rows) {
    for (const t of row.tagList) {
      const p = tagPair(t);
      tag.run(id, p.key === undefined ? 0 : dictId(p.key), dictId(p.value));
    }
  }
  rebuildSchema3Rollups(db, source, DAY - 86_400_000, DAY + 4 * 86_400_000);
}

const at = (i: number): number => DAY + i * 1_987_654; // about three days, every minute of the hour
const records = Array.from({ length: 150 }, (_, i) =>
  record({
    ts: at(i),
    sourceId: `r${i}`,
    model: i % 3 ? 'gpt-4o' : 'claude-3-haiku-20240307',
    user: `u${i % 4}`,
    team: `t${i % 3}`,
    tags:
      i % 5 === 0
        ? []
        : [`project:p${i % 4}`, ...(i % 7 === 0 ? ['project=p8'] : []), ...(i % 2 ? ['env:prod'] : []), ...(i % 6 === 1 ? ['batch'] : [])],
  }),
);
// A bill row: a date, no time.
const bill = [record({ ts: DAY + 86_400_000, dayOnly: true, sourceId: 'b0', tags: ['tag:project=p1'], reportedCostNanos: 5_000_000_000n })];

/** The tag rollup with its ids as text, comparable between two stores. */
const resolved = (db: Db) =>
  db
    .prepare(
      `SELECT CASE WHEN key_dim > 0 THEN (SELECT value FROM dict WHERE id = key_dim) ELSE key_dim END AS k, day,
        (SELECT value FROM dict WHERE id = value_dim) AS v, extra, day_only,
        ${['source', 'provider', 'model', 'team', 'endpoint'].map((c) => `(SELECT value FROM dict WHERE id = ${c}_dim)`).join(', ')},
        records, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos, unpriced_requests
      FROM usage_tag_daily_rows`,
    )
    .raw()
    .all()
    .map((r) => JSON.stringify(r))
    .sort();

describe('migration 0006_tag_rollup', () => {
  it('rolls up the tags of a database written by schema 5 as ingest does, and reports read it with the same figures as the rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-0006-'));
    dirs.push(dir);
    const path = join(dir, 'v5.db');
    const old = new Driver(path);
    old.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((x) => x.id <= 5)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.id, m.name);
    }
    old.pragma(`application_id = ${APPLICATION_ID}`);
    writeSchema5(old, 'csv', records);
    writeSchema5(old, 'cost-explorer', bill);
    old.close();

    const db = openDb(path);
    expect(db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all()).toEqual(migrations.map((m) => m.id));
    // The same records ingested by this version: the same rollup.
    const fresh = openDb(':memory:');
    for (const [source, rs] of [
      ['csv', records],
      ['cost-explorer', bill],
    ] as const) {
      const w = new UsageWriter(fresh);
      const run = startRun(fresh, source, `/data/${source}`, undefined, undefined, 0);
      for (const r of rs) w.write(toRow(r, source, run, pricer, dedupeKey(source, r, 0)));
      w.flush();
    }
    const backfilled = resolved(db);
    expect(backfilled.length).toBeGreaterThan(50);
    expect(backfilled).toEqual(resolved(fresh));
    fresh.close();
    // A rebuild from the rows gives the same.
    for (const s of ['csv', 'cost-explorer']) rebuildTagRange(db, s, DAY / 86_400_000 - 1, DAY / 86_400_000 + 4);
    expect(resolved(db)).toEqual(backfilled);
    // Reports: whole days from the rollup equal the rows, with the bill's day-only row.
    const range = { since: DAY, until: DAY + 2 * 86_400_000 };
    for (const dims of [['tag:project'], ['tag'], ['tag:env', 'model']] as Dimension[][]) {
      const q = { dims, byDay: true, tz: 'UTC', filter: range };
      expect(aggregate(db, q)).toEqual(aggregate(db, { ...q, from: 'raw' }));
    }
    const p1 = { dims: ['team'] as Dimension[], byDay: false, tz: 'UTC', filter: { ...range, tags: [tagPair('project=p1')] } };
    expect(aggregate(db, p1)).toEqual(aggregate(db, { ...p1, from: 'raw' }));
    db.close();
  });
});
