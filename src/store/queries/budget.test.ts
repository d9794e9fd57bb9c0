import { describe, expect, it } from 'vitest';
import { dedupeKey, toRow } from '../../ingest/pipeline.js';
import type { UsageRecord } from '../../ingest/types.js';
import { embeddedCatalog } from '../../pricing/catalog.js';
import { Pricer } from '../../pricing/pricer.js';
import { openDb } from '../db.js';
import { budgetSpend } from './budget.js';
import { startRun, UsageWriter } from './usage.js';

const pricer = new Pricer(embeddedCatalog());
const H = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
// gpt-4o: $2.50 input per 1M tokens, so 400,000 input tokens cost $1.
const record = (ts: string, sourceId: string): UsageRecord => ({
  ts: at(ts),
  sourceId,
  model: 'gpt-4o',
  provider: 'openai',
  requests: 1,
  inputTokens: 400_000,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
});

describe('budgetSpend', () => {
  it('sums the period, today, the history days and each breaker window, and nothing else', () => {
    const db = openDb(':memory:');
    const run = startRun(db, 'litellm', '/spend.jsonl', 1, 1, 0);
    const w = new UsageWriter(db);
    const rows = [
      ['2026-10-14T09:10:00Z', 'a'],
      ['2026-10-15T10:20:00Z', 'b'],
      ['2026-10-15T11:05:00Z', 'c'],
      ['2026-10-15T11:40:00Z', 'd'],
    ] as const;
    for (const [ts, id] of rows) w.write(toRow(record(ts, id), 'litellm', run, pricer, dedupeKey('litellm', record(ts, id), 0)));
    w.flush();
    const now = at('2026-10-15T11:50:00Z');
    const spend = budgetSpend(
      db,
      {},
      {
        now,
        periodStart: at('2026-10-01T00:00:00Z'),
        startOfToday: at('2026-10-15T00:00:00Z'),
        historyStart: at('2026-09-17T00:00:00Z'),
        breakers: {
          hourly: [0, 1, 2].map((i) => ({ start: at('2026-10-15T10:00:00Z') + i * H, end: at('2026-10-15T11:00:00Z') + i * H })),
        },
      },
      'UTC',
    );
    const usd = 1_000_000_000n;
    // No "last 60 minutes" sum: the hourly breaker replays clock hours (analysis/breaker.ts).
    expect(Object.keys(spend).sort()).toEqual(['breakers', 'history', 'inPeriod', 'plan', 'todayNanos']);
    expect(spend.inPeriod).toEqual({ costNanos: 4n * usd, requests: 4, unpriced: 0 });
    expect(spend.todayNanos).toBe(3n * usd);
    expect(spend.history.map((r) => [r.day, r.costNanos])).toEqual([[Date.UTC(2026, 9, 14) / 86_400_000, usd]]);
    expect(spend.breakers.hourly?.map((b) => b.spendNanos)).toEqual([usd, 2n * usd, 0n]);
    db.close();
  });
});
