import { describe, expect, it } from 'vitest';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { openDb } from '../db.js';
import { deleteStored, rebuildRollupRange, startRun, UsageWriter } from './usage.js';

const pricer = new Pricer(embeddedCatalog());
// gpt-4o: $2.50 input, $10 output per 1M tokens.
const record = (over: Partial<UsageRecord> = {}): UsageRecord => ({
  ts: Date.UTC(2026, 9, 1, 12, 30),
  sourceId: 'msg_1',
  model: 'gpt-4o',
  provider: 'openai',
  requests: 1,
  inputTokens: 1000,
  outputTokens: 1,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  ...over,
});

function setup() {
  const db = openDb(':memory:');
  const run = startRun(db, 'claude-code', '/x.jsonl', 1, 1, 0);
  const w = new UsageWriter(db);
  const row = (r: UsageRecord) => toRow(r, 'claude-code', run, pricer, dedupeKey('claude-code', r, 0));
  const hourly = () => db.prepare('SELECT records, requests, output_tokens, cost_nanos FROM usage_hourly').all();
  const raw = () =>
    db
      .prepare(
        'SELECT COUNT(*) AS records, SUM(requests) AS requests, SUM(output_tokens) AS output_tokens, SUM(cost_nanos) AS cost_nanos FROM usage',
      )
      .all();
  return { db, w, row, hourly, raw };
}

describe('UsageWriter.grow', () => {
  it('updates a stored row with more output tokens, and its rollup by the difference', () => {
    const { db, w, row, hourly, raw } = setup();
    expect(w.write(row(record()))).toBe(true);
    w.flush();
    expect(hourly()).toEqual([{ records: 1, requests: 1, output_tokens: 1, cost_nanos: 2_510_000 }]);
    expect(w.write(row(record({ outputTokens: 500 })))).toBe(false);
    expect(w.grow(row(record({ outputTokens: 500 })))).toBe(true);
    w.flush();
    expect(hourly()).toEqual([{ records: 1, requests: 1, output_tokens: 500, cost_nanos: 7_500_000 }]);
    expect(hourly()).toEqual(raw());
    // Fewer or as many output tokens: left alone.
    expect(w.grow(row(record({ outputTokens: 500 })))).toBe(false);
    expect(w.grow(row(record({ outputTokens: 2 })))).toBe(false);
    db.close();
  });

  it('adds the difference to sums not yet flushed, and leaves unknown keys alone', () => {
    const { db, w, row, hourly, raw } = setup();
    w.write(row(record()));
    expect(w.grow(row(record({ outputTokens: 101 })))).toBe(true);
    expect(w.grow(row(record({ sourceId: 'msg_2', outputTokens: 101 })))).toBe(false);
    w.flush();
    expect(hourly()).toEqual([{ records: 1, requests: 1, output_tokens: 101, cost_nanos: 3_510_000 }]);
    expect(hourly()).toEqual(raw());
    db.close();
  });

  it('keeps the other rollups equal to the rows: daily, quarter-hour, and unpriced as an unpriced row grows', () => {
    const { db, w, row } = setup();
    const unpriced = record({ model: 'acme-internal', provider: 'self-hosted', sourceId: 'msg_u' });
    w.write(row(record()));
    w.write(row(unpriced));
    w.flush();
    expect(w.grow(row({ ...unpriced, outputTokens: 40 }))).toBe(true);
    expect(w.grow(row(record({ outputTokens: 9 })))).toBe(true);
    w.flush();
    const sums = (t: string) => db.prepare(`SELECT SUM(records), SUM(output_tokens), SUM(cost_nanos) FROM ${t}`).raw().get();
    expect(sums('usage_daily_rows')).toEqual([2, 49, 2_590_000]);
    const raw = db.prepare('SELECT COUNT(*), SUM(output_tokens), SUM(cost_nanos) FROM usage').raw().get();
    expect(sums('usage_quarter_rows')).toEqual(raw);
    expect(sums('usage_hourly_rows')).toEqual(raw);
    expect(db.prepare('SELECT records, requests, tokens FROM usage_unpriced_rows').raw().all()).toEqual([[1, 1, 1040]]);
    db.close();
  });
});

describe('UsageWriter rollups (RollupBatch)', () => {
  it('adds only stored rows, flushed in several batches, and equals every rollup recomputed from the rows', () => {
    const { db, w, row } = setup();
    // 30,000 rows over 50 hours, users × models × endpoints: more hourly sums than one flush holds (20,000).
    const models = ['gpt-4o', 'gpt-4o-mini', 'acme-internal'];
    let stored = 0;
    for (let i = 0; i < 30_000; i++) {
      const model = models[i % 3] ?? 'gpt-4o';
      const r = record({
        sourceId: `msg_${i}`,
        ts: Date.UTC(2026, 9, 1) + Math.floor(i / 600) * 3_600_000 + (i % 600) * 6_000,
        model,
        provider: model === 'acme-internal' ? 'self-hosted' : 'openai',
        user: `u${i % 457}`,
        endpoint: `/e${i % 7}`,
        outputTokens: i % 100,
      });
      if (w.write(row(r))) stored++;
      // Every tenth row again: the INSERT ignores it, and the rollups must not count it.
      if (i % 10 === 0) expect(w.write(row(r))).toBe(false);
    }
    w.flush();
    expect(stored).toBe(30_000);
    const sums = 'COUNT(*), SUM(requests), SUM(input_tokens), SUM(output_tokens), COALESCE(SUM(cost_nanos), 0)';
    const measures = 'SUM(records), SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cost_nanos)';
    const dims = 'day_only, source_dim, provider_dim, model_dim, user_dim, team_dim, api_key_dim, endpoint_dim';
    const all = (sql: string) => db.prepare(sql).raw().all();
    expect(
      all(`SELECT hour, ${dims}, ${measures} FROM usage_hourly_rows GROUP BY hour, ${dims} ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`),
    ).toEqual(all(`SELECT ts / 3600000, ${dims}, ${sums} FROM usage_rows GROUP BY 1, ${dims} ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`));
    expect(all(`SELECT day, ${dims}, ${measures} FROM usage_daily_rows GROUP BY day, ${dims} ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`)).toEqual(
      all(`SELECT ts / 86400000, ${dims}, ${sums} FROM usage_rows GROUP BY 1, ${dims} ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`),
    );
    expect(all(`SELECT quarter, source_dim, ${measures} FROM usage_quarter_rows GROUP BY 1, 2 ORDER BY 1, 2`)).toEqual(
      all(`SELECT ts / 900000, source_dim, ${sums} FROM usage_rows GROUP BY 1, 2 ORDER BY 1, 2`),
    );
    expect(
      all('SELECT day, model_raw_dim, user_dim, SUM(records), SUM(requests) FROM usage_unpriced_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3'),
    ).toEqual(
      all(
        'SELECT ts / 86400000, model_raw_dim, user_dim, COUNT(*), SUM(requests) FROM usage_rows WHERE cost_nanos IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3',
      ),
    );
    db.close();
  });
});

describe('deleteStored', () => {
  it('deletes a source’s rows by the path that stored them, or in a range, and says the span', () => {
    const { db, w, row, hourly, raw } = setup();
    w.write(row(record()));
    const other = startRun(db, 'claude-code', '/y.jsonl', 1, 1, 0);
    const r2 = record({ sourceId: 'msg_2', ts: Date.UTC(2026, 9, 2, 8) });
    w.write(toRow(r2, 'claude-code', other, pricer, dedupeKey('claude-code', r2, 0)));
    w.flush();
    expect(deleteStored(db, 'claude-code', { file: '/nowhere' })).toEqual({ rows: 0, since: 0, until: 0 });
    const gone = deleteStored(db, 'claude-code', { file: '/x.jsonl' });
    expect(gone).toEqual({ rows: 1, since: Date.UTC(2026, 9, 1, 12, 30), until: Date.UTC(2026, 9, 1, 12, 30) + 1 });
    rebuildRollupRange(db, 'claude-code', gone.since, gone.until);
    expect(hourly()).toEqual(raw());
    const day = { since: Date.UTC(2026, 9, 2), until: Date.UTC(2026, 9, 3) };
    expect(deleteStored(db, 'claude-code', { ...day, wallSince: day.since, wallUntil: day.until }).rows).toBe(1);
    db.close();
  });
});
