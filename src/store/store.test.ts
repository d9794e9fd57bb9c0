import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { usageRecord as record } from '../../test/helpers/records.js';
import { dedupeKey, toRow } from '../ingest/pipeline.js';
import { embeddedCatalog } from '../pricing/catalog.js';
import { Pricer } from '../pricing/pricer.js';
import { openDb } from './db.js';
import { migrations } from './migrations/index.js';
import { aggregate, unpricedModels } from './queries/report.js';
import { startRun, UsageWriter } from './queries/usage.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmpDb = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'llmcost-store-'));
  dirs.push(d);
  return join(d, 'sub', 'x.db');
};

describe('migrations', () => {
  it('creates the schema in a new directory and records every migration', () => {
    const db = openDb(tmpDb());
    const ids = db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    expect(ids).toEqual(migrations.map((m) => m.id));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual([
      'dict',
      'ingest_runs',
      'price_catalogs',
      'schema_migrations',
      'usage_daily_rows',
      'usage_health_rows',
      'usage_hourly_rows',
      'usage_quarter_rows',
      'usage_rows',
      'usage_tag_daily_rows',
      'usage_tags',
      'usage_unpriced_rows',
    ]);
    const views = db.prepare("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").pluck().all();
    expect(views).toEqual(['usage', 'usage_hourly', 'usage_tag']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a database from a newer llmcost and leaves it unchanged', () => {
    const path = tmpDb();
    const db = openDb(path);
    db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (999, ?, 0)').run('0999_future');
    db.close();
    const known = Math.max(...migrations.map((m) => m.id));
    expect(() => openDb(path)).toThrow(`written by a newer llmcost (schema migration 999; this version knows up to ${known})`);
    const again = openDb(':memory:');
    again.close();
  });
});

describe('usage rows', () => {
  it('dedupes by key and keeps nano sums exact', () => {
    const db = openDb(':memory:');
    const pricer = new Pricer(embeddedCatalog());
    const run = startRun(db, 'csv', 'x', undefined, undefined, 0);
    const w = new UsageWriter(db);
    let inserted = 0;
    // 0.1 USD reported, ten times: a float sum would give 0.9999999999999999.
    for (let i = 0; i < 10; i++) {
      const r = record({ sourceId: `req-${i}`, reportedCostNanos: 100_000_000n });
      if (w.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0)))) inserted++;
    }
    const again = record({ sourceId: 'req-3', reportedCostNanos: 100_000_000n });
    expect(w.write(toRow(again, 'csv', run, pricer, dedupeKey('csv', again, 0)))).toBe(false);
    expect(inserted).toBe(10);
    w.flush();
    const [total] = aggregate(db, { dims: [], byDay: false, tz: 'UTC', filter: {} });
    expect(total?.costNanos).toBe(1_000_000_000n);
    expect(total?.requests).toBe(10);
    db.close();
  });

  it('sums above 2^53 nanos (about $9M) exactly', () => {
    const db = openDb(':memory:');
    const pricer = new Pricer(embeddedCatalog());
    const run = startRun(db, 'csv', 'x', undefined, undefined, 0);
    const w = new UsageWriter(db);
    const big = 9_007_199_254_740_993n; // 2^53 + 1
    for (const id of ['a', 'b']) {
      const r = record({ sourceId: id, reportedCostNanos: big });
      w.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0)));
    }
    w.flush();
    expect(aggregate(db, { dims: [], byDay: false, tz: 'UTC', filter: {} })[0]?.costNanos).toBe(2n * big);
    db.close();
  });

  it('stores unpriced models as unpriced with a NULL cost, never $0', () => {
    const db = openDb(':memory:');
    const run = startRun(db, 'csv', 'x', undefined, undefined, 0);
    const r = record({ model: 'acme-internal', provider: 'self-hosted' });
    const row = toRow(r, 'csv', run, new Pricer(embeddedCatalog()), dedupeKey('csv', r, 0));
    expect(row).toMatchObject({ costBasis: 'unpriced', costNanos: null, computedCostNanos: null });
    db.close();
  });

  it('groups by local day across a DST change', () => {
    const db = openDb(':memory:');
    const pricer = new Pricer(embeddedCatalog());
    const run = startRun(db, 'csv', 'x', undefined, undefined, 0);
    const w = new UsageWriter(db);
    // 22:30 UTC is the next day in Berlin in summer (UTC+2) but not in winter (UTC+1) … at 23:30 both are.
    const times = [Date.UTC(2026, 9, 24, 22, 30), Date.UTC(2026, 9, 25, 22, 30)];
    times.forEach((ts, i) => {
      const r = record({ ts, sourceId: String(i) });
      w.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0)));
    });
    w.flush();
    const days = aggregate(db, { dims: [], byDay: true, tz: 'Europe/Berlin', filter: {} }).map((r) => r.day);
    // 2026-10-24 22:30Z = Oct 25 00:30 CEST; 2026-10-25 22:30Z = Oct 25 23:30 CET.
    expect(days).toEqual([Date.UTC(2026, 9, 25) / 86_400_000]);
    db.close();
  });

  it('keeps the hourly rollup equal to the raw rows, in every zone and grouping', () => {
    const db = openDb(':memory:');
    const pricer = new Pricer(embeddedCatalog());
    const run = startRun(db, 'csv', 'x', undefined, undefined, 0);
    const w = new UsageWriter(db);
    const models = ['gpt-4o', 'claude-3-haiku-20240307', 'acme-unpriced'];
    for (let i = 0; i < 500; i++) {
      const r = record({
        ts: Date.UTC(2026, 9, 20) + i * 1_234_567,
        sourceId: `r${i}`,
        model: models[i % 3] ?? 'gpt-4o',
        provider: i % 3 === 2 ? 'self-hosted' : undefined,
        user: `u${i % 7}`,
        team: `t${i % 2}`,
        inputTokens: 1000 + i,
        outputTokens: 10 * i,
      });
      w.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0)));
    }
    w.flush();
    for (const tz of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo']) {
      for (const dims of [[], ['user'], ['team', 'model']] as const) {
        const q = { dims: [...dims], byDay: true, tz, filter: { since: Date.UTC(2026, 9, 21), until: Date.UTC(2026, 9, 26, 7) } };
        const rollup = aggregate(db, { ...q, from: 'rollup' });
        expect(rollup.length).toBeGreaterThan(0);
        expect(aggregate(db, { ...q, from: 'raw' })).toEqual(rollup);
        expect(aggregate(db, q)).toEqual(rollup);
      }
    }
    db.close();
  });

  it('answers ranges that end inside days and hours (half-hour zones) from rollup pieces, equal to the raw rows', () => {
    const db = openDb(':memory:');
    const pricer = new Pricer(embeddedCatalog());
    const run = startRun(db, 'csv', 'x', undefined, undefined, 0);
    const w = new UsageWriter(db);
    for (let i = 0; i < 600; i++) {
      const r = record({
        ts: Date.UTC(2026, 9, 20) + i * 987_654,
        sourceId: `r${i}`,
        model: i % 4 === 0 ? 'acme-unpriced' : 'gpt-4o',
        user: `u${i % 5}`,
        outputTokens: i,
      });
      w.write(toRow(r, 'csv', run, pricer, dedupeKey('csv', r, 0)));
    }
    w.flush();
    // Asia/Kolkata midnights are 18:30 UTC; Kathmandu's 18:15.
    const ranges = [
      { since: Date.UTC(2026, 9, 20, 18, 30), until: Date.UTC(2026, 9, 25, 18, 30) },
      { since: Date.UTC(2026, 9, 21, 18, 15), until: Date.UTC(2026, 9, 22, 3, 7) },
      { since: Date.UTC(2026, 9, 22, 5, 5), until: Date.UTC(2026, 9, 22, 5, 50) },
      { since: Date.UTC(2026, 9, 22, 1) },
    ];
    for (const filter of ranges) {
      for (const dims of [[], ['user'], ['model', 'provider'], ['source']] as const) {
        for (const tz of ['UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Adelaide']) {
          const q = { dims: [...dims], byDay: false, tz, filter };
          const raw = aggregate(db, { ...q, from: 'raw' });
          expect(raw.length).toBeGreaterThan(0);
          expect(aggregate(db, q)).toEqual(raw);
          const daily = { ...q, byDay: true };
          expect(aggregate(db, daily)).toEqual(aggregate(db, { ...daily, from: 'raw' }));
        }
      }
      // The unpriced note: whole days from its rollup, the ends from the rows, the same as the rows alone.
      const rows = db
        .prepare(
          `SELECT provider, model_raw AS model, COUNT(*) AS records, SUM(requests) AS requests,
            TOTAL(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens
          FROM usage WHERE cost_nanos IS NULL AND ts >= ? AND ts < ? GROUP BY 1, 2`,
        )
        .all(filter.since, filter.until ?? Number.MAX_SAFE_INTEGER);
      expect(rows).toHaveLength(1);
      expect(unpricedModels(db, filter)).toEqual(rows);
    }
    db.close();
  });
});
