import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../../test/helpers/records.js';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { openDb } from '../db.js';
import { APPLICATION_ID } from '../migrate.js';
import { aggregate } from '../queries/report.js';
import { startRun, UsageWriter } from '../queries/usage.js';
import { migrations } from './index.js';

const Driver = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The rows of one file as schema 2 (llmcost before migration 3) stored them: its INSERT and its rollup upsert. */
function writeSchema2(db: BetterSqlite3.Database, records: UsageRecord[]): void {
  const pricer = new Pricer(embeddedCatalog());
  const run = Number(
    db.prepare("INSERT INTO ingest_runs (source, file, started_at, status) VALUES ('csv', '/data/usage.csv', 0, 'ok')").run()
      .lastInsertRowid,
  );
  const insert = db.prepare(`INSERT INTO usage (
      ts, source, dedupe_key, source_id, provider, model_raw, model, region, user, team, api_key, endpoint, tags,
      service_tier, status, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
      cache_write_1h_tokens, cost_nanos, cost_basis, reported_cost_nanos, computed_cost_nanos, price_ref, run_id, day_only
    ) VALUES (${new Array(28).fill('?').join(', ')}) ON CONFLICT (dedupe_key) DO NOTHING`);
  for (const r of records) {
    const w = toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0));
    insert.run(
      w.ts,
      w.source,
      w.dedupeKey,
      w.sourceId,
      w.provider,
      w.modelRaw,
      w.model,
      w.region,
      w.user,
      w.team,
      w.apiKey,
      w.endpoint,
      w.tags,
      w.serviceTier,
      w.status,
      w.requests,
      w.inputTokens,
      w.outputTokens,
      w.cacheReadTokens,
      w.cacheWriteTokens,
      w.cacheWrite1hTokens,
      w.costNanos,
      w.costBasis,
      w.reportedCostNanos,
      w.computedCostNanos,
      w.priceRef,
      w.runId,
      w.dayOnly,
    );
  }
  // Schema 2's rollup, as its rebuildRollupRange wrote it.
  db.exec(`INSERT INTO usage_hourly (hour, day_only, source, provider, model, user, team, api_key, endpoint, records, requests,
      input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos, unpriced_requests)
    SELECT ts / 3600000, day_only, source, provider, model, user, team, api_key, endpoint, COUNT(*), SUM(requests),
      SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), COALESCE(SUM(cost_nanos), 0),
      TOTAL(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END)
    FROM usage GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`);
}

const records: UsageRecord[] = Array.from({ length: 240 }, (_, i) =>
  record({
    ts: Date.UTC(2026, 9, 1) + i * 1_111_111,
    sourceId: `req-${i}`,
    model: ['gpt-4o', 'claude-3-haiku-20240307', 'acme-unpriced'][i % 3] ?? 'gpt-4o',
    provider: i % 3 === 2 ? 'self-hosted' : undefined,
    user: `user${i % 5}`,
    team: i % 4 === 0 ? undefined : `team${i % 2}`,
    endpoint: i % 2 ? '/chat' : undefined,
    tags: i % 6 === 0 ? ['feature:search', 'env:prod'] : undefined,
    inputTokens: 1000 + i,
    outputTokens: 7 * i,
    reportedCostNanos: i % 10 === 0 ? 123_456_789n : undefined,
  }),
);

describe('migration 0003_compact', () => {
  it(
    'converts a database written by schema 2: every row and rollup sum reads the same, re-ingest adds nothing',
    { timeout: 30_000 },
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'llmcost-0003-'));
      dirs.push(dir);
      const path = join(dir, 'v2.db');
      const old = new Driver(path);
      old.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      for (const m of migrations.slice(0, 2)) {
        old.exec(m.sql);
        old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.id, m.name);
      }
      old.pragma(`application_id = ${APPLICATION_ID}`);
      writeSchema2(old, records);
      const usage = old.prepare('SELECT * FROM usage ORDER BY id').safeIntegers(true).all();
      const hourly = old
        .prepare('SELECT * FROM usage_hourly ORDER BY hour, day_only, source, provider, model, user, team, api_key, endpoint')
        .safeIntegers(true)
        .all();
      const totals = old
        .prepare('SELECT COUNT(*) AS n, SUM(cost_nanos) AS cost, SUM(output_tokens) AS out FROM usage')
        .safeIntegers(true)
        .get();
      old.close();
      expect(usage).toHaveLength(240);

      const db = openDb(path);
      expect(db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all()).toEqual(migrations.map((m) => m.id));
      // The old tables' pages went back to the disk (VACUUM after the migration).
      expect(db.pragma('freelist_count', { simple: true })).toBe(0);
      // The views read exactly what the tables held, column for column (customer came with migration 4).
      const view = db.prepare('SELECT * FROM usage ORDER BY id').safeIntegers(true).all() as Record<string, unknown>[];
      expect(view.map(({ customer: _, ...rest }) => rest)).toEqual(usage);
      expect(
        db
          .prepare('SELECT * FROM usage_hourly ORDER BY hour, day_only, source, provider, model, user, team, api_key, endpoint')
          .safeIntegers(true)
          .all(),
      ).toEqual(hourly);
      expect(
        db.prepare('SELECT COUNT(*) AS n, SUM(cost_nanos) AS cost, SUM(output_tokens) AS out FROM usage_rows').safeIntegers(true).get(),
      ).toEqual(totals);
      expect(db.prepare('SELECT SUM(records), SUM(tokens) FROM usage_unpriced_rows').raw().get()).toEqual(
        db.prepare('SELECT COUNT(*), SUM(input_tokens + output_tokens) FROM usage WHERE cost_nanos IS NULL').raw().get(),
      );
      // The new rollups sum to the raw rows.
      for (const t of ['usage_daily_rows', 'usage_quarter_rows']) {
        expect(
          db.prepare(`SELECT SUM(records) AS n, SUM(cost_nanos) AS cost, SUM(output_tokens) AS out FROM ${t}`).safeIntegers(true).get(),
        ).toEqual(totals);
      }
      for (const dims of [['user'], ['team', 'model'], []] as const) {
        const q = { dims: [...dims], byDay: true, tz: 'Asia/Kolkata', filter: {} };
        expect(aggregate(db, q)).toEqual(aggregate(db, { ...q, from: 'raw' }));
      }

      // Re-ingest: the unique request key still holds, nothing is added, the rollup is unchanged.
      const pricer = new Pricer(embeddedCatalog());
      const run = startRun(db, 'csv', '/data/usage.csv', undefined, undefined, 0);
      const w = new UsageWriter(db);
      const added = records.filter((r) => w.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0)))).length;
      w.flush();
      expect(added).toBe(0);
      expect(db.prepare('SELECT COUNT(*) FROM usage_rows').pluck().get()).toBe(240);
      expect(db.prepare('SELECT SUM(records) FROM usage_hourly_rows').pluck().get()).toBe(240);
      db.close();
    },
  );
});
