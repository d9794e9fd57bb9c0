import { describe, expect, it } from 'vitest';
import { breakEven, compareSelfhost, gpusNeeded, type SelfhostAssumptions, type Workload } from './selfhost.js';
import { unitEconomics } from './unit-economics.js';

// The seed guide's example: A100 80 GB at $3/h, 70 % utilization, $500 overhead, GPT-4o at a blended $6.25 / 1M.
const seed: SelfhostAssumptions = {
  gpuHourlyUsd: 3,
  prefillTps: 37_800,
  decodeTps: 3_780,
  utilization: 0.7,
  overheadUsd: 500,
  engineeringUsd: 0,
  hoursPerMonth: 720,
};
const workload = (tokens: number, peakShare = 1 / 720): Workload => ({
  inputTokens: tokens * 0.75,
  outputTokens: tokens * 0.25,
  peakHourInputTokens: tokens * 0.75 * peakShare,
  peakHourOutputTokens: tokens * 0.25 * peakShare,
});
const blended = (tokens: number): number => (tokens / 1e6) * 6.25;

describe('break-even', () => {
  it('reproduces the seed guide: one GPU ($3 × 720 h + $500 = $2,660) breaks even at 425.6M tokens/month', () => {
    expect(breakEven(workload(100e6), blended(100e6), seed)).toBe(425_600_000);
    const r = compareSelfhost(workload(100e6), blended(100e6), seed);
    expect(r).toMatchObject({
      apiMonthlyUsd: 625,
      cheaper: 'api',
      selfhost: { totalUsd: 2660 },
      savingsUsd: 2035,
      savingsShare: 0.765,
      savingsPct: 76.5,
    });
  });

  it('rounds GPUs up and adds one for the peak hour', () => {
    // 1 GPU-month at 70 % = 1,814,400 GPU-s. 3B tokens: 2.25B/37,800 + 0.75B/3,780 = 257,937 s → 1 GPU.
    expect(gpusNeeded(workload(3e9), seed)).toEqual({ forVolume: 1, forPeak: 1, needed: 1 });
    // 30B tokens need 2,579,365 s → 1.42 GPU-months → 2 GPUs.
    expect(gpusNeeded(workload(30e9), seed).forVolume).toBe(2);
    // The same 3B tokens with a fifth of them in one hour: 51,587 s in an hour of 2,520 s capacity → 21 GPUs.
    expect(gpusNeeded(workload(3e9, 0.2), seed)).toEqual({ forVolume: 1, forPeak: 21, needed: 21 });
  });

  it('says "never" when a GPU cannot earn its own cost at API prices', () => {
    expect(breakEven(workload(1e9), blended(1e9) / 1000, { ...seed, decodeTps: 10, prefillTps: 100 })).toBeNull();
  });

  it('computes on-prem payback from the purchase price against the monthly saving', () => {
    const r = compareSelfhost(workload(1e9), blended(1e9), {
      ...seed,
      onPrem: { purchaseUsd: 20_000, amortizationMonths: 36, powerKw: 0.4, kwhUsd: 0.12 },
    });
    // API $6,250/month; opex = power 0.4 × 720 × 0.12 = $34.56 + $500 → gain $5,715.44; 20,000 / 5,715.44 = 3.5 months.
    expect(r.selfhost).toEqual({ gpuUsd: 555.56, powerUsd: 34.56, overheadUsd: 500, engineeringUsd: 0, totalUsd: 1090.12 });
    expect(r).toMatchObject({ cheaper: 'self-host', paybackMonths: 3.5, savingsUsd: 5159.88 });
  });
});

describe('unit economics', () => {
  it('uses the seed guide targets', () => {
    expect(unitEconomics(2500, { priced: 100_000, unpriced: 0 }, 10_000)).toMatchObject({
      costToRevenue: 0.25,
      grossMargin: 0.75,
      health: 'healthy',
      costPerRequestUsd: 0.025,
    });
    expect(unitEconomics(4000, { priced: 1, unpriced: 0 }, 10_000).health).toBe('acceptable');
    expect(unitEconomics(6000, { priced: 1, unpriced: 0 }, 10_000).health).toBe('unhealthy');
  });

  it('divides the cost by the priced requests only, and has no per-request cost when none is priced', () => {
    expect(unitEconomics(2500, { priced: 100_000, unpriced: 25_000 }, 10_000)).toMatchObject({
      requests: 125_000,
      pricedRequests: 100_000,
      unpricedRequests: 25_000,
      costPerRequestUsd: 0.025,
    });
    expect(unitEconomics(0, { priced: 0, unpriced: 7 }, 10_000).costPerRequestUsd).toBeNull();
  });
});
