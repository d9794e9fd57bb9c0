import { describe, expect, it } from 'vitest';
import { buildReport, costPerRequest, emptyTotals, MAX_FILLED_DAYS } from './report.js';

const row = (day: number) => ({
  day,
  keys: [],
  records: 1,
  requests: 1,
  inputTokens: 1,
  outputTokens: 1,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costNanos: 1n,
  unpricedRequests: 0,
});

describe('buildReport empty days', () => {
  it('fills the quiet days of a span', () => {
    const r = buildReport([row(20_000), row(20_003)], { period: 'daily', dims: [], firstDay: 20_000, lastDay: 20_003 });
    expect(r.rows.map((x) => [x.period, x.requests])).toEqual([
      ['2024-10-04', 1],
      ['2024-10-05', 0],
      ['2024-10-06', 0],
      ['2024-10-07', 1],
    ]);
  });

  it('fills none across a span wider than MAX_FILLED_DAYS (a stray year-9999 row): only days with usage', () => {
    const year9999 = 2_932_532;
    const r = buildReport([row(20_000), row(year9999)], { period: 'daily', dims: [], firstDay: 20_000, lastDay: year9999 });
    expect(year9999 - 20_000).toBeGreaterThan(MAX_FILLED_DAYS);
    expect(r.rows.map((x) => x.period)).toEqual(['2024-10-04', '9999-01-01']);
  });
});

describe('costPerRequest', () => {
  it.each([
    [5n, 2, 3n], // 2.5 → 3
    [-5n, 2, -3n], // -2.5 → -3: half away from zero, as divRound (a truncating (2a + b) / 2b gave -2)
    [7n, 3, 2n],
    [-7n, 3, -2n],
  ])('%s nanos over %s requests → %s', (costNanos, requests, expected) => {
    expect(costPerRequest({ ...emptyTotals(), costNanos, requests })).toBe(expected);
  });
});
