import { describe, expect, it } from 'vitest';
import {
  batchScenario,
  cacheHitScenario,
  cascadeScenario,
  maxOutputScenario,
  monthly,
  type PriceAs,
  parseCascade,
  promptCacheScenario,
  promptTokensScenario,
  routeScenario,
  trimInputScenario,
  type WhatifRow,
  weightedPercentile,
} from './whatif.js';

/** USD per 1M tokens of the test models: input, output, cache read. */
const PRICES: Record<string, [number, number, number]> = {
  premium: [15, 75, 1.5],
  mid: [3, 15, 0.3],
  cheap: [0.035, 0.14, 0.00875],
  'gpt-4o': [2.5, 10, 1.25],
};

const row = (o: Partial<WhatifRow> = {}): WhatifRow => ({
  endpoint: '/chat',
  provider: 'openai',
  modelRaw: 'gpt-4o',
  model: 'gpt-4o',
  region: '',
  serviceTier: 'standard',
  outputPerRequest: 0,
  requests: 1,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costNanos: 0n,
  ts: 0,
  ...o,
});

/** Nanos of tokens at the test prices (exact for these numbers); batch is half price. */
const priceAs: PriceAs = (r, change) => {
  const p = PRICES[change.model ?? r.model];
  if (!p) return undefined;
  const u = change.usage ?? { input: r.inputTokens, output: r.outputTokens, cacheRead: r.cacheReadTokens, cacheWrite: r.cacheWriteTokens };
  const nanos = Math.round(u.input * p[0] * 1000 + u.output * p[1] * 1000 + u.cacheRead * p[2] * 1000);
  return BigInt(change.tier === 'batch' ? nanos / 2 : nanos);
};

const priced = (o: Partial<WhatifRow>): WhatifRow => {
  const r = row(o);
  return { ...r, costNanos: priceAs(r, {}) ?? 0n };
};

describe('whatif scenarios', () => {
  it("reproduces the guide's cascade: 60/25/15 over cheap, mid and premium saves 79.9%", () => {
    const rows = [priced({ model: 'premium', modelRaw: 'premium', requests: 2000, inputTokens: 1_200_000, outputTokens: 400_000 })];
    const steps = parseCascade('cheap:0.6,mid:0.25,premium:0.15');
    if (typeof steps === 'string') throw new Error(steps);
    const s = cascadeScenario(rows, steps, priceAs);
    // $48 on premium; after: 0.6 × $0.098 + 0.25 × $9.60 + 0.15 × $48 = $9.6588; 1 − 9.6588 / 48 = 0.79877.
    expect(s.beforeNanos).toBe(48_000_000_000n);
    expect(s.afterNanos).toBe(9_658_800_000n);
    expect(s.savedShare).toBe(0.7987);
    expect(s.terms.map((t) => [t.label, t.fullNanos, t.afterNanos])).toEqual([
      ['cheap', 98_000_000n, 58_800_000n],
      ['mid', 9_600_000_000n, 2_400_000_000n],
      ['premium', 48_000_000_000n, 7_200_000_000n],
    ]);
    expect(s.terms.reduce((x, t) => x + t.beforeNanos, 0n)).toBe(48_000_000_000n);
  });

  it.each([
    ['cheap:0.6,mid:0.3', 'the shares add up to 0.9, not 1'],
    ['cheap:0.6,mid', '"mid" is not MODEL:SHARE with a share above 0 and at most 1'],
    ['cheap:x,mid:1', '"cheap:x" is not MODEL:SHARE with a share above 0 and at most 1'],
  ])('rejects the cascade %j', (spec, message) => {
    expect(parseCascade(spec)).toBe(message);
  });

  it('keeps model ids with colons in a cascade', () => {
    expect(parseCascade('amazon.nova-micro-v1:0:60%,premium:40%')).toEqual([
      { model: 'amazon.nova-micro-v1:0', share: 0.6 },
      { model: 'premium', share: 0.4 },
    ]);
  });

  it("reproduces the guide's prompt trimming: 200 → 50 tokens on 10k gpt-4o requests is $5.00 → $1.25", () => {
    const rows = [priced({ requests: 10_000, inputTokens: 2_000_000 })];
    const byTokens = promptTokensScenario(rows, 200, 50, priceAs);
    const byShare = trimInputScenario(rows, 0.75, priceAs);
    for (const s of [byTokens, byShare]) {
      expect([s.beforeNanos, s.afterNanos, s.savedShare]).toEqual([5_000_000_000n, 1_250_000_000n, 0.75]);
      expect(s.terms[0]?.tokens).toBe(1_500_000);
    }
  });

  it('routes a share of one model to another and leaves the rest', () => {
    const rows = [
      priced({ model: 'premium', modelRaw: 'premium', requests: 10, inputTokens: 100_000, outputTokens: 10_000 }),
      priced({ requests: 10, inputTokens: 100_000 }),
    ];
    const s = routeScenario(rows, (r) => r.model === 'premium', 'mid', 0.5, priceAs);
    // premium $1.50 + $0.75 = $2.25; half moves to mid ($0.30 + $0.15 = $0.45): 2.25 − 1.125 + 0.225 = $1.35.
    expect(s.terms).toEqual([
      { label: 'premium', requests: 10, share: 0.5, fullNanos: 450_000_000n, beforeNanos: 2_250_000_000n, afterNanos: 1_350_000_000n },
    ]);
    expect([s.beforeNanos, s.afterNanos]).toEqual([2_500_000_000n, 1_600_000_000n]);
  });

  it('caps output per endpoint from its observed distribution', () => {
    const rows = [100, 200, 300, 400, 500, 600, 700, 800, 900, 2000].map((out) =>
      priced({ outputPerRequest: out, outputTokens: out, inputTokens: 1000 }),
    );
    rows.push(priced({ endpoint: '/classify', outputPerRequest: 5, outputTokens: 50, requests: 10 }));
    const s = maxOutputScenario(rows, 500, priceAs);
    // 100 + 200 + 300 + 400 + 1,500 tokens over 500, at $10 per 1M = $0.025.
    expect(s.savedNanos).toBe(25_000_000n);
    expect(s.terms.map((t) => [t.label, t.p50, t.p95, t.cap, t.tokens])).toEqual([
      ['/chat', 500, 2000, 500, 2500],
      ['/classify', 5, 5, 500, 0],
    ]);
    // Each endpoint at its own p90: /chat's cap is 900 (1,100 tokens over it), /classify's 5.
    const own = maxOutputScenario(rows, { percentile: 0.9 }, priceAs);
    expect(own.terms.map((t) => [t.label, t.cap, t.tokens])).toEqual([
      ['/chat', 900, 1100],
      ['/classify', 5, 0],
    ]);
    expect(own.savedNanos).toBe(11_000_000n);
  });

  it('prices gateway cache hits, prompt caching and batch', () => {
    const rows = [priced({ requests: 10, inputTokens: 10_000, outputTokens: 1000 })];
    // $0.025 input + $0.01 output = $0.035.
    expect(cacheHitScenario(rows, 0.3).afterNanos).toBe(24_500_000n);
    // Half the input (5,000 tokens) at $1.25 instead of $2.50: −$0.00625.
    expect(promptCacheScenario(rows, 0.5, priceAs).savedNanos).toBe(6_250_000n);
    // 20% at half price: −0.2 × $0.0175.
    expect(batchScenario(rows, 0.2, priceAs).savedNanos).toBe(3_500_000n);
    // Already-batch rows and models without a batch price are not moved.
    expect(batchScenario([priced({ serviceTier: 'batch', inputTokens: 10 })], 1, priceAs).terms).toEqual([]);
    expect(batchScenario([priced({ serviceTier: 'flex', inputTokens: 10 })], 1, priceAs).terms).toEqual([]);
    // LiteLLM logs `default` and `auto` for the standard tier.
    expect(batchScenario([priced({ serviceTier: 'default', inputTokens: 10_000 })], 1, priceAs).savedNanos).toBe(12_500_000n);
    expect(batchScenario([priced({ model: 'x', costNanos: 5n })], 1, priceAs).skippedRequests).toBe(1);
  });

  it('takes percentiles by nearest rank, weighted by requests', () => {
    const d = [
      { value: 10, weight: 90 },
      { value: 1000, weight: 10 },
    ];
    expect(weightedPercentile(d, 0.5)).toBe(10);
    expect(weightedPercentile(d, 0.9)).toBe(10);
    expect(weightedPercentile(d, 0.95)).toBe(1000);
    expect(weightedPercentile([], 0.5)).toBe(0);
  });

  it('scales a range to 30 days, rounding once', () => {
    expect(monthly(1_000_000_000n, 10)).toBe(3_000_000_000n);
    expect(monthly(1n, 7)).toBe(4n);
  });
});
