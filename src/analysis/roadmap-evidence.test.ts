import { describe, expect, it } from 'vitest';
import type { AggregateRow } from '../core/types.js';
import { offHoursShare, routingSavingsUsd } from './roadmap-evidence.js';

const row = (o: Partial<AggregateRow>): AggregateRow => ({
  keys: [],
  records: 1,
  requests: 100,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costNanos: 0n,
  unpricedRequests: 0,
  ...o,
});

describe('routingSavingsUsd', () => {
  it('counts short-output rows of an expensive model whose cheaper alternative costs under a third', () => {
    const rows = [
      row({ keys: ['/chat', 'anthropic', 'claude-3-5-sonnet-20241022'], outputTokens: 20_000, costNanos: 9_000_000_000n }),
      // long outputs: not routed
      row({ keys: ['/write', 'anthropic', 'claude-3-5-sonnet-20241022'], outputTokens: 90_000, costNanos: 9_000_000_000n }),
      // already the cheap model
      row({ keys: ['/chat', 'anthropic', 'claude-3-5-haiku-20241022'], outputTokens: 100, costNanos: 1_000_000_000n }),
      // half priced: compared with half the alternative's price ($1), under a third of $6
      row({ keys: ['/x', 'openai', 'gpt-4o'], unpricedRequests: 50, costNanos: 6_000_000_000n }),
    ];
    const asked: string[] = [];
    const saved = routingSavingsUsd(rows, (_r, provider, model) => {
      asked.push(`${provider}/${model}`);
      return 2_000_000_000n;
    });
    expect(asked).toEqual(['anthropic/claude-3-5-haiku-20241022', 'openai/gpt-4o-mini']);
    expect(saved).toBe(7 + 5);
    expect(routingSavingsUsd(rows.slice(0, 1), () => undefined)).toBe(0);
  });
});

describe('offHoursShare', () => {
  it('counts nights (before 8, from 20) and weekends, truncated to 4 decimals', () => {
    // Hour numbers since 1970-01-01 00:00 (a Thursday): day 0 is a Thursday, day 2 a Saturday.
    const hours = [
      row({ day: 7, costNanos: 1n }), // Thu 07:00: off
      row({ day: 8, costNanos: 1n }), // Thu 08:00: office
      row({ day: 20, costNanos: 1n }), // Thu 20:00: off
      row({ day: 48 + 12, costNanos: 3n }), // Sat noon: off
    ];
    expect(offHoursShare(hours)).toBe(0.8333);
    expect(offHoursShare([])).toBeUndefined();
  });
});
