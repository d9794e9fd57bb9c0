import { describe, expect, it } from 'vitest';
import { BUCKET_ERROR, bucketValue, exactPercentile, histogramPercentile, latencyBucket } from './latency.js';

const histogram = (values: number[]): Map<number, number> => {
  const h = new Map<number, number>();
  for (const v of values) h.set(latencyBucket(v), (h.get(latencyBucket(v)) ?? 0) + 1);
  return h;
};

describe('latency histogram', () => {
  it.each([
    [0, 0],
    [1, 1],
    [2, 9],
    [4, 17],
    [8, 25],
    [15, 32],
    [16, 33],
    [1000, 80],
    [3_600_000, 175],
  ])('puts %i ms in bucket %i (8 buckets a doubling)', (ms, bucket) => {
    expect(latencyBucket(ms)).toBe(bucket);
  });

  it('gives whole-ms values below 16 ms back exactly, and every value up to 200 s within 4.4% + 0.5 ms', () => {
    expect(BUCKET_ERROR).toBeCloseTo(0.04427, 5);
    for (let ms = 0; ms < 16; ms++) expect(bucketValue(latencyBucket(ms))).toBe(ms);
    let worst = 0;
    for (let ms = 16; ms <= 200_000; ms++) worst = Math.max(worst, Math.abs(bucketValue(latencyBucket(ms)) - ms) - BUCKET_ERROR * ms);
    expect(worst).toBeLessThanOrEqual(0.5);
  });

  it('reads nearest-rank p50 and p95 from the buckets, near the exact percentiles', () => {
    const values = [5, 10, 150, 800, 1200, 2000, 2500, 2700, 3000, 30000];
    const h = histogram(values);
    expect(exactPercentile(values, 0.5)).toBe(1200);
    expect(exactPercentile(values, 0.95)).toBe(30000);
    expect(histogramPercentile(h, 0.5)).toBe(1166);
    expect(histogramPercentile(h, 0.95)).toBe(28774);
    expect(histogramPercentile(new Map(), 0.5)).toBeUndefined();
    expect(histogramPercentile(histogram([7]), 0.95)).toBe(7);
  });

  it('merges by adding bucket counts: the percentiles of the union, whatever the split', () => {
    const a = [120, 130, 900, 40, 5000];
    const b = [60, 61, 62, 2500, 100000, 3];
    const merged = histogram(a);
    for (const [k, c] of histogram(b)) merged.set(k, (merged.get(k) ?? 0) + c);
    for (const p of [0.5, 0.95]) expect(histogramPercentile(merged, p)).toBe(histogramPercentile(histogram([...a, ...b]), p));
  });
});
