import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSchema3Rows } from '../../../test/helpers/legacy-rows.js';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { latencyBucket } from '../../lib/latency.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { openDb } from '../db.js';
import { APPLICATION_ID } from '../migrate.js';
import { healthSums } from '../queries/health.js';
import { rebuildRollupRange as rebuildSchema3Rollups } from '../queries/rollups.js';
import { rebuildRollupRange, startRun, UsageWriter } from '../queries/usage.js';
import { migrations } from './index.js';

const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DAY = Date.UTC(2026, 9, 8);
const pricer = new Pricer(embeddedCatalog());

/** Rows as llmcost wrote them before migration 5 (schema 3: no health columns), and its rollups. */
function writeSchema3(db: BetterSqlite3.Database, source: string, records: UsageRecord[]): void {
  writeSchema3Rows(db, source, records, pricer);
  rebuildSchema3Rollups(db, source, DAY - 86_400_000, DAY + 2 * 86_400_000);
}

const at = (i: number): number => DAY + i * 600_000;
const litellm = ['success', 'success', 'failure', 'cache-hit', 'success'].map((status, i) =>
  record({ ts: at(i), sourceId: `l${i}`, model: 'gpt-4o', status, team: 'search' }),
);
const bedrock = ['ok', 'error:ThrottlingException', 'guardrail-blocked'].map((status, i) =>
  record({
    ts: at(10 + i),
    sourceId: `b${i}`,
    model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    provider: 'bedrock',
    status,
    team: 'support',
  }),
);
// A CSV without a status column (ingest wrote "ok") and one with one.
const csv = [record({ ts: at(20), sourceId: 'c0', status: 'ok' }), record({ ts: at(21), sourceId: 'c1', status: 'failed', requests: 3 })];
const claude = [record({ ts: at(30), sourceId: 'cc0', model: 'claude-sonnet-4-5-20250929', provider: 'anthropic' })];

describe('migration 0005_health', () => {
  it('adds the health columns to a database written by schema 3, reads failures and cache hits back from status, and rolls them up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmcost-0005-'));
    dirs.push(dir);
    const path = join(dir, 'v3.db');
    const old = new Driver(path);
    old.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const m of migrations.filter((x) => x.id <= 3)) {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.id, m.name);
    }
    old.pragma(`application_id = ${APPLICATION_ID}`);
    writeSchema3(old, 'litellm', litellm);
    writeSchema3(old, 'bedrock-log', bedrock);
    writeSchema3(old, 'csv', csv);
    writeSchema3(old, 'claude-code', claude);
    const before = old.prepare('SELECT COUNT(*) AS n, SUM(cost_nanos) AS cost FROM usage_rows').get();
    old.close();

    const db = openDb(path);
    expect(db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all()).toEqual(migrations.map((m) => m.id));
    expect(db.prepare('SELECT COUNT(*) AS n, SUM(cost_nanos) AS cost FROM usage_rows').get()).toEqual(before);
    const flags = db.prepare('SELECT source_id AS id, failed, cache_hit AS hit, latency_ms AS ms FROM usage_rows ORDER BY ts').all() as {
      id: string;
      failed: number | null;
      hit: number | null;
      ms: number | null;
    }[];
    expect(flags.map((f) => [f.id, f.failed, f.hit, f.ms])).toEqual([
      ['l0', 0, 0, null],
      ['l1', 0, 0, null],
      ['l2', 1, 0, null],
      ['l3', 0, 1, null],
      ['l4', 0, 0, null],
      ['b0', 0, null, null],
      ['b1', 1, null, null],
      ['b2', 0, null, null],
      ['c0', null, null, null],
      ['c1', 1, null, null],
      ['cc0', null, null, null],
    ]);
    // The rollup holds the rows with a health figure: 5 LiteLLM, 3 Bedrock, the CSV row with a status (3 requests);
    // once for all requests (kind 0) and once by each of model, endpoint, team and key.
    expect(
      db
        .prepare(
          'SELECT SUM(requests), SUM(status_known), SUM(failures), SUM(cache_known), SUM(cache_hits) FROM usage_health_rows WHERE kind = 0',
        )
        .raw()
        .get(),
    ).toEqual([11, 11, 5, 5, 1]);
    expect(db.prepare('SELECT kind, SUM(requests) FROM usage_health_rows GROUP BY kind').raw().all()).toEqual(
      [0, 1, 2, 3, 4].map((k) => [k, 11]),
    );
    const byTeam = Object.fromEntries(healthSums(db, {}, 'UTC', 'team').map((s) => [s.key, [s.statusKnown, s.failures, s.cacheHits]]));
    expect(byTeam).toEqual({ search: [5, 1, 1], support: [3, 1, 0], '': [3, 3, 0] });

    // New rows carry latency; the rollup and the rows agree for ranges that end inside a day, in any zone.
    const run = startRun(db, 'litellm', '/data/new', undefined, undefined, 0);
    const w = new UsageWriter(db);
    const fresh = [120, 80, 4000, 950].map((ms, i) =>
      record({
        ts: DAY + 86_400_000 + i * 3_600_000 * 5,
        sourceId: `n${i}`,
        status: 'success',
        failed: i === 2,
        cacheHit: false,
        latencyMs: ms,
      }),
    );
    for (const r of fresh) w.write(toRow(r, 'litellm', run, pricer, dedupeKey('litellm', r, 0)));
    w.flush();
    const all = healthSums(db, {}, 'UTC', undefined)[0];
    expect(all?.statusKnown).toBe(15);
    expect(all?.failures).toBe(6);
    expect([...(all?.latency ?? new Map()).entries()].sort((a, b) => a[0] - b[0])).toEqual(
      [80, 120, 950, 4000].map((ms) => [latencyBucket(ms), 1]),
    );
    // Raw rows for the first day's last 23 hours, the daily rollup for the second day, raw rows for an hour of the third.
    const part = { since: DAY + 3_600_000, until: DAY + 2 * 86_400_000 + 3_600_000 };
    const split = healthSums(db, part, 'Asia/Kolkata', 'model');
    const raw = db
      .prepare('SELECT SUM(requests) AS n, SUM(failed * requests) AS f FROM usage_rows WHERE ts >= ? AND ts < ? AND failed IS NOT NULL')
      .get(part.since, part.until) as { n: number; f: number };
    expect(split.reduce((n, s) => n + s.statusKnown, 0)).toBe(raw.n);
    expect(split.reduce((n, s) => n + s.failures, 0)).toBe(raw.f);
    expect(split.reduce((n, s) => n + [...s.latency.values()].reduce((a, b) => a + b, 0), 0)).toBe(4);

    // A rebuild (ingest --replace, reprice) gives the same rollup.
    const snapshot = db.prepare('SELECT * FROM usage_health_rows ORDER BY 1, 2, 3, 4').all();
    for (const s of ['litellm', 'bedrock-log', 'csv']) rebuildRollupRange(db, s, DAY - 86_400_000, DAY + 3 * 86_400_000);
    expect(db.prepare('SELECT * FROM usage_health_rows ORDER BY 1, 2, 3, 4').all()).toEqual(snapshot);

    // Re-ingest adds nothing.
    const again = new UsageWriter(db);
    expect(litellm.filter((r) => again.write(toRow(r, 'litellm', run, pricer, dedupeKey('litellm', r, 0)))).length).toBe(0);
    again.flush();
    expect(db.prepare('SELECT SUM(requests) FROM usage_health_rows WHERE kind = 0').pluck().get()).toBe(15);
    db.close();
  });
});
