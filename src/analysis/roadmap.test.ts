import { describe, expect, it } from 'vitest';
import { buildRoadmap, candidatePhases } from './roadmap.js';

describe('roadmap', () => {
  it('compounds savings: each phase acts on what is left', () => {
    // Assumed midpoints. Quick wins: 6.5 %, 10 %, 12.5 % → 1 − 0.935·0.9·0.875 = 26.37 %.
    // Caching: 15 %, 6 %, 10 % → kept 0.7191; advanced: 20 %, 12.5 %, 3.5 % → kept 0.6755.
    const r = buildRoadmap({ monthlyCostUsd: 1000, target: 0.5 });
    expect(r.phases.map((p) => p.code)).toEqual(['quick-wins', 'caching', 'advanced']);
    expect(r.phases[0]?.savingsShare).toBeCloseTo(0.2637, 4);
    expect(r.phases[1]?.cumulativeSavingsShare).toBeCloseTo(1 - 0.736313 * 0.7191, 4);
    expect(r.phases[2]?.cumulativeSavingsShare).toBeCloseTo(1 - 0.736313 * 0.7191 * 0.6755, 3);
    expect(r).toMatchObject({ reached: true, targetCostUsd: 500 });
    // Not the sum of the phases' shares.
    expect(r.phases.reduce((a, p) => a + p.savingsShare, 0)).toBeGreaterThan(r.phases[2]?.cumulativeSavingsShare ?? 1);
  });

  it('stops at the phase that reaches the target', () => {
    expect(buildRoadmap({ monthlyCostUsd: 1000, target: 0.1 }).phases.map((p) => p.code)).toEqual(['quick-wins']);
  });

  it('offers self-hosting only from $5,000 a month or when compare-selfhost says it pays', () => {
    expect(candidatePhases({ monthlyCostUsd: 4999, target: 0.5 }).map((p) => p.code)).not.toContain('self-hosting');
    expect(candidatePhases({ monthlyCostUsd: 5000, target: 0.5 }).map((p) => p.code)).toContain('self-hosting');
    expect(candidatePhases({ monthlyCostUsd: 100, target: 0.5, selfhostPays: true }).map((p) => p.code)).toContain('self-hosting');
  });

  it('uses measured evidence where it has it', () => {
    const phases = candidatePhases({ monthlyCostUsd: 1000, target: 0.5, routingSavingsUsd: 300, cacheReadShare: 0.5, offHoursShare: 0.4 });
    const all = phases.flatMap((p) => p.actions);
    expect(all.find((a) => a.code === 'BASIC_MODEL_ROUTING')).toMatchObject({ basis: 'measured', savings: { estimate: 0.15 } });
    expect(all.find((a) => a.code === 'PROVIDER_PROMPT_CACHING')).toMatchObject({ basis: 'measured', savings: { estimate: 0.1 } });
    expect(all.find((a) => a.code === 'BATCH_PROCESSING')).toMatchObject({ basis: 'measured', savings: { estimate: 0.1 } });
  });

  it("reproduces the guide's phase table with --preset guide: $10,000 at 50% → phase 1 saves $2,000, phase 2 ends at $5,000", () => {
    const r = buildRoadmap({ monthlyCostUsd: 10_000, target: 0.5, preset: 'guide' });
    expect(r.phases.map((p) => [p.code, p.costBeforeUsd, p.savingsUsd, p.costAfterUsd])).toEqual([
      ['quick-wins', 10_000, 2_000, 8_000],
      ['caching', 8_000, 3_000, 5_000],
    ]);
    expect(r).toMatchObject({ reached: true, targetCostUsd: 5_000, finalCostUsd: 5_000 });
  });

  it('estimates batch from measured batch prices when given', () => {
    const all = candidatePhases({ monthlyCostUsd: 1000, target: 0.5, offHoursShare: 0.4, batchSavingsUsd: 80 }).flatMap((p) => p.actions);
    expect(all.find((a) => a.code === 'BATCH_PROCESSING')).toMatchObject({ basis: 'measured', savings: { estimate: 0.08 } });
  });
});
