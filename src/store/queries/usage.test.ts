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
