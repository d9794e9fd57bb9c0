import { describe, expect, it } from 'vitest';
import { gini, pareto, peakHour } from './pareto.js';

const row = (key: string, usd: number, requests = 1) => ({
  key,
  costNanos: BigInt(usd) * 1_000_000_000n,
  requests,
  unpricedRequests: 0,
  tokens: 0,
});

describe('pareto', () => {
  it('ranks, accumulates and marks where 80 % is reached', () => {
    const r = pareto([row('b', 20), row('a', 70), row('c', 6), row('d', 4)]);
    expect(r.rows.map((x) => [x.key, x.share, x.cumulativeShare, x.crosses80])).toEqual([
      ['a', 0.7, 0.7, false],
      ['b', 0.2, 0.9, true],
      ['c', 0.06, 0.96, false],
      ['d', 0.04, 1, false],
    ]);
    expect(r).toMatchObject({ entities: 4, count80: 2, top20: { count: 1, share: 0.7 }, totalNanos: 100_000_000_000n });
  });

  it('names the biggest movers against the previous period', () => {
    const r = pareto([row('a', 70), row('b', 20)], [row('a', 35), row('b', 30), row('z', 5)]);
    expect(r.movers.up.map((m) => [m.key, m.deltaNanos, m.deltaPct])).toEqual([['a', 35_000_000_000n, 1]]);
    expect(r.movers.down.map((m) => [m.key, m.deltaNanos])).toEqual([
      ['b', -10_000_000_000n],
      ['z', -5_000_000_000n],
    ]);
  });
});

describe('gini', () => {
  it('is 0 for equal spend and (n − 1)/n when one entity spends all', () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    expect(gini([0, 0, 0, 10])).toBe(0); // zeros are not spenders: one spender alone is "equal"
    expect(gini([1, 1, 1, 97])).toBeCloseTo(0.72, 10); // hand-computed: (2·(1+2+3+388))/(4·100) − 5/4
  });
});

describe('peakHour', () => {
  it('folds local hour numbers into hours of day', () => {
    expect(
      peakHour([
        { hour: 24 * 100 + 9, costNanos: 5n },
        { hour: 24 * 101 + 9, costNanos: 5n },
        { hour: 24 * 101 + 14, costNanos: 8n },
      ]),
    ).toEqual({ hour: 9, costNanos: 10n, share: 0.555555 });
  });
});
