import { describe, expect, it } from 'vitest';
import type { AggregateRow } from '../core/types.js';
import { batchSavings, offHoursShare, routingSavings } from './roadmap-evidence.js';
import type { WhatifRow } from './whatif.js';

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

const wrow = (o: Partial<WhatifRow>): WhatifRow => ({
  endpoint: '/chat',
  provider: 'anthropic',
  modelRaw: 'claude-3-5-sonnet-20241022',
  model: 'claude-3-5-sonnet-20241022',
  region: '',
  serviceTier: 'standard',
  outputPerRequest: 200,
  requests: 100,
  inputTokens: 0,
  outputTokens: 20_000,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costNanos: 9_000_000_000n,
  ts: 0,
  ...o,
});

describe('routingSavings', () => {
  it('routes short-output rows of an expensive model whose cheaper alternative costs under a third, as whatif --route does', () => {
    const rows = [
      wrow({}),
      // long outputs: not routed
      wrow({ endpoint: '/write', outputPerRequest: 900 }),
      // already the cheap model
      wrow({ model: 'claude-3-5-haiku-20241022', modelRaw: 'claude-3-5-haiku-20241022', costNanos: 1_000_000_000n }),
      // Bedrock rows are the aws provider's
      wrow({
        provider: 'bedrock',
        model: 'claude-3-sonnet-20240229',
        modelRaw: 'anthropic.claude-3-sonnet-20240229-v1:0',
        costNanos: 7_000_000_000n,
      }),
    ];
    const asked: string[] = [];
    const saved = routingSavings(rows, (r, change) => {
      asked.push(`${r.provider}→${change.model}`);
      return 2_000_000_000n;
    });
    expect(asked).toEqual([
      'anthropic→claude-3-5-haiku-20241022',
      'anthropic→claude-3-5-haiku-20241022',
      'bedrock→us.anthropic.claude-3-5-haiku-20241022-v1:0',
      'bedrock→us.anthropic.claude-3-5-haiku-20241022-v1:0',
    ]);
    // $9 → $2 and $7 → $2.
    expect(saved).toBe(12_000_000_000n);
    expect(routingSavings(rows.slice(0, 1), () => undefined)).toBe(0n);
    // Not under a third: kept.
    expect(routingSavings(rows.slice(0, 1), () => 3_000_000_000n)).toBe(0n);
  });

  it('prices batch savings as whatif --batch-share does', () => {
    expect(batchSavings([wrow({})], 0.25, () => 4_500_000_000n)).toBe(1_125_000_000n);
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
