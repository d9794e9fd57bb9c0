import { describe, expect, it } from 'vitest';
import { latencyBucket } from '../lib/latency.js';
import { buildHealth, type HealthInput } from './health.js';

const group = (over: Partial<HealthInput> = {}): HealthInput => ({
  key: 'gpt-4o',
  requests: 10,
  costNanos: 1_000_000n,
  inputTokens: 700,
  cacheReadTokens: 300,
  cacheWriteTokens: 0,
  statusKnown: 10,
  failures: 2,
  cacheKnown: 10,
  cacheHits: 4,
  cacheAvoidedNanos: 400_000n,
  cacheAvoidedUnpriced: 0,
  promptCacheSavedNanos: 30_000n,
  latency: new Map([[latencyBucket(100), 10]]),
  ...over,
});

describe('buildHealth', () => {
  it('gives rates as fractions, the total over every group and the cache target against the overall rate', () => {
    const r = buildHealth([
      group(),
      group({ key: 'haiku', costNanos: 2_000_000n, failures: 0, cacheHits: 0, latency: new Map([[latencyBucket(3000), 10]]) }),
    ]);
    expect(r.rows.map((x) => x.key)).toEqual(['haiku', 'gpt-4o']);
    const g = r.rows[1];
    expect(g).toMatchObject({ failures: 2, failureRate: 0.2, cacheHits: 4, cacheHitRate: 0.4, promptCacheReadShare: 0.3 });
    expect(g?.cacheAvoidedNanos).toBe(400_000n);
    expect(r.total).toMatchObject({ key: 'total', requests: 20, failures: 2, failureRate: 0.1, cacheHits: 4, cacheHitRate: 0.2 });
    expect(r.total.costNanos).toBe(3_000_000n);
    expect(r.total.latencyRequests).toBe(20);
    expect(r.total.latencyP50Ms).toBe(103); // 100 ms, read as its bucket's middle
    expect(r.target).toEqual({ cacheHitRate: 0.3, actual: 0.2, met: false });
  });

  it('says "not in the data" (null) for figures no request carries, never 0', () => {
    const r = buildHealth([
      group({
        statusKnown: 0,
        failures: 0,
        cacheKnown: 0,
        cacheHits: 0,
        cacheAvoidedNanos: 0n,
        latency: new Map(),
        inputTokens: 0,
        cacheReadTokens: 0,
      }),
    ]);
    expect(r.total).toMatchObject({
      failures: null,
      failureRate: null,
      cacheHits: null,
      cacheHitRate: null,
      cacheAvoidedNanos: null,
      promptCacheReadShare: null,
      latencyP50Ms: null,
      latencyP95Ms: null,
    });
    expect(r.target).toEqual({ cacheHitRate: 0.3, actual: null, met: null });
  });

  it('meets the target at exactly 30%', () => {
    expect(buildHealth([group({ cacheHits: 3 })]).target.met).toBe(true);
  });
});
