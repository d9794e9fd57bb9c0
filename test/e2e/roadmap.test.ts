import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, useDemoDb } from '../helpers/cli.js';

const demo = useDemoDb();

// Money as the JSON contract has it: integer nanos plus the exact decimal string.
type Roadmap = {
  monthlyCostNanos: number;
  monthlyCostUsd: string;
  measured: { routingSavingsNanos: number; routingSavingsUsd: string; cacheReadShare: number; offHoursShare: number };
  phases: {
    code: string;
    costBeforeNanos: number;
    savingsNanos: number;
    costAfterNanos: number;
    costAfterUsd: string;
    cumulativeSavingsShare: number;
    actions: { code: string; basis: string }[];
  }[];
  reached: boolean;
  targetCostNanos: number;
  targetCostUsd: string;
  finalCostNanos: number;
  finalCostUsd: string;
};

describe('roadmap', () => {
  it('plans from the measured month, compounding phase by phase until the target', () => {
    const r = json<Roadmap>(
      demo.sb.run(
        ['roadmap', '--since', '2026-10-01', '--until', '2026-10-30', '--tz', 'UTC', '--target', '50%', '--db', demo.db, '--json'],
        {
          env: { LLMCOST_NOW: '2026-10-31T00:00:00Z' },
        },
      ),
    );
    // The measured month: SUM(cost_nanos) of priced usage with 2026-10-01 ≤ ts < 2026-10-31, read from the demo
    // database by SQL, is 2,512,148,063,975 nanos → $2,512.15; the 50% target is 2,512.148063975 / 2 = $1,256.07.
    // Each figure × 1e9 in nanos, and as an exact decimal: $2,512.15, $1,256.07, $913.14.
    expect(r).toMatchObject({
      monthlyCostNanos: 2_512_150_000_000,
      monthlyCostUsd: '2512.150000000',
      targetCostNanos: 1_256_070_000_000,
      targetCostUsd: '1256.070000000',
      finalCostNanos: 913_140_000_000,
      finalCostUsd: '913.140000000',
      reached: true,
    });
    // Routing is whatif --route's arithmetic on the short-output premium rows: $1,891.85 a month, half of it assumed
    // to move: 0.5 × 1,891.85 / 2,512.15 = 37.65 %. Quick wins: 1 − 0.935 × 0.9 × 0.6235 → $1,318.06.
    expect(r.measured.routingSavingsNanos / 1e9).toBeCloseTo(1891.85, 2);
    expect(Number.isInteger(r.measured.routingSavingsNanos)).toBe(true);
    const n = r.measured.routingSavingsNanos;
    expect(r.measured.routingSavingsUsd).toBe(`${Math.floor(n / 1e9)}.${String(n % 1e9).padStart(9, '0')}`);
    // Each phase starts from the cost the previous one left: 2,512.15 → 1,318.06 → 913.14; shares of the month:
    // 1 − 1,318.06 / 2,512.15 = 0.4753 and 1 − 913.14 / 2,512.15 = 0.6365.
    expect(r.phases.map((p) => [p.code, p.costBeforeNanos, p.costAfterNanos, p.cumulativeSavingsShare])).toEqual([
      ['quick-wins', 2_512_150_000_000, 1_318_060_000_000, 0.4753],
      ['caching', 1_318_060_000_000, 913_140_000_000, 0.6365],
    ]);
    // The demo's research team runs Claude 3 Opus with short outputs: routing is measured, not assumed.
    expect(r.phases[0]?.actions.find((a) => a.code === 'BASIC_MODEL_ROUTING')?.basis).toBe('measured');
    expect(r.measured.routingSavingsNanos).toBeGreaterThan(0);
    // Under $5,000 a month: no self-hosting phase.
    expect(r.phases.map((p) => p.code)).not.toContain('self-hosting');
  });

  it("reproduces the guide's phase table with --preset guide", () => {
    const r = demo.sb.run(['roadmap', '--preset', 'guide', '--monthly-cost', '10000', '--target', '50%', '--json']);
    expect(r.status).toBe(0);
    const j = json<Roadmap & { preset: string }>(r);
    // The guide: $10,000 a month, target 50 %: phase 1 saves $2,000, phase 2 brings it to $5,000.
    expect(j.phases.map((p) => [p.code, p.costBeforeNanos, p.savingsNanos, p.costAfterNanos])).toEqual([
      ['quick-wins', 10_000e9, 2_000e9, 8_000e9],
      ['caching', 8_000e9, 3_000e9, 5_000e9],
    ]);
    expect(j).toMatchObject({ preset: 'guide', reached: true, finalCostNanos: 5_000e9, finalCostUsd: '5000.000000000' });
    expect(j.phases[1]?.costAfterUsd).toBe('5000.000000000');
    const text = demo.sb.run(['roadmap', '--preset', 'guide', '--monthly-cost', '10000']).stdout;
    expect(text).toContain('-$2,000.00/mo → $8,000.00');
    expect(text).toContain('-$3,000.00/mo → $5,000.00');
  });

  it('plans a cost given by hand on its own, without dollars measured from the database present', () => {
    const r = json<Roadmap & { monthlyCostSource: string }>(
      demo.sb.run(['roadmap', '--monthly-cost', '1000', '--db', demo.db, '--json'], { env: { LLMCOST_NOW: '2026-10-31T00:00:00Z' } }),
    );
    expect(r).toMatchObject({ monthlyCostNanos: 1_000e9, monthlyCostUsd: '1000.000000000', monthlyCostSource: 'given', measured: {} });
    expect(r.phases.flatMap((p) => p.actions).every((a) => a.basis === 'assumed')).toBe(true);
  });

  it('takes the cost by hand and plans a self-hosting phase above $5,000', () => {
    const r = json<Roadmap>(
      demo.sb.run(['roadmap', '--monthly-cost', '20000', '--target', '0.8', '--db', join(demo.sb.dir, 'empty.db'), '--json']),
    );
    expect(r).toMatchObject({ monthlyCostNanos: 20_000e9, monthlyCostUsd: '20000.000000000' });
    expect(r.phases.map((p) => p.code)).toEqual(['quick-wins', 'caching', 'advanced', 'self-hosting']);
  });
});
