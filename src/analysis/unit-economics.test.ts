import { describe, expect, it } from 'vitest';
import { unitEconomics } from './unit-economics.js';

describe('unitEconomics per-request target', () => {
  it("sets the guide's target at half of today's cost per request when no baseline is given", () => {
    const r = unitEconomics(5, { priced: 10_000, unpriced: 0 }, 100);
    expect(r).toMatchObject({
      costPerRequestUsd: 0.0005,
      baselineSource: 'today',
      targetCostPerRequestUsd: 0.00025,
      costPerRequestToTarget: 2,
      costPerRequestTargetMet: false,
    });
  });

  it('measures today against half of a given baseline', () => {
    const r = unitEconomics(5, { priced: 10_000, unpriced: 0 }, 100, 0, 0.0012);
    // Target $0.0006; today $0.0005 is 0.8333 of it: met.
    expect(r).toMatchObject({ targetCostPerRequestUsd: 0.0006, costPerRequestToTarget: 0.8333, costPerRequestTargetMet: true });
  });

  it('has no target without priced requests', () => {
    expect(unitEconomics(0, { priced: 0, unpriced: 3 }, 10)).toMatchObject({
      targetCostPerRequestUsd: null,
      costPerRequestToTarget: null,
      costPerRequestTargetMet: null,
    });
  });
});
