/**
 * Latency as a histogram with fixed log-spaced buckets, so percentiles add up across rollup rows (days, models,
 * teams) without keeping every value. Bucket 0 holds 0 ms; bucket i ≥ 1 holds [2^((i-1)/8), 2^(i/8)) ms: eight
 * buckets a doubling, 176 up to an hour. A percentile is reported as its bucket's geometric middle, within
 * 2^(1/16) − 1 ≈ 4.4% of the exact (nearest-rank) value, plus the half millisecond of rounding; exact below
 * 16 ms, where a bucket holds one whole millisecond value.
 */

/** Buckets per doubling of latency. */
const BUCKETS_PER_DOUBLING = 8;

/** Largest relative error of a percentile read from the histogram: 2^(1/16) − 1. */
export const BUCKET_ERROR = 2 ** (1 / (2 * BUCKETS_PER_DOUBLING)) - 1;

/** The bucket of a latency in whole milliseconds (≥ 0). */
export function latencyBucket(ms: number): number {
  if (ms < 1) return 0;
  // The epsilon keeps exact powers of two (8 ms → 2^3) in their own bucket despite log2 rounding.
  return 1 + Math.floor(Math.log2(ms) * BUCKETS_PER_DOUBLING + 1e-9);
}

/** The value a bucket stands for: its geometric middle, rounded to whole milliseconds; exact for whole ms below 16. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  const lo = 2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING);
  const hi = 2 ** (bucket / BUCKETS_PER_DOUBLING);
  // A bucket that holds one whole millisecond value (all of them below 16 ms) stands for that value, exactly.
  const first = Math.ceil(lo);
  if (first === Math.ceil(hi) - 1) return first;
  return Math.round(Math.sqrt(lo * hi));
}

/**
 * The nearest-rank percentile `p` (0..1) of a histogram (bucket → count): the value of the bucket holding the
 * ⌈p·n⌉-th smallest value. Undefined for an empty histogram.
 */
export function histogramPercentile(histogram: ReadonlyMap<number, number>, p: number): number | undefined {
  let n = 0;
  for (const c of histogram.values()) n += c;
  if (n === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const b of [...histogram.keys()].sort((x, y) => x - y)) {
    seen += histogram.get(b) ?? 0;
    if (seen >= rank) return bucketValue(b);
  }
  return undefined;
}

/** The exact nearest-rank percentile of a list of values (tests and the benchmark compare the histogram with it). */
export function exactPercentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}
