import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, useDemoDb } from '../helpers/cli.js';

const demo = useDemoDb();

type Roadmap = {
  monthlyCostUsd: number;
  measured: { routingSavingsUsd: number; cacheReadShare: number; offHoursShare: number };
  phases: {
    code: string;
    costBeforeUsd: number;
    savingsUsd: number;
    costAfterUsd: number;
    cumulativeSavingsShare: number;
    actions: { code: string; basis: string }[];
  }[];
  reached: boolean;
  targetCostUsd: number;
  finalCostUsd: number;
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
    expect(r).toMatchObject({ monthlyCostUsd: 2512.15, targetCostUsd: 1256.07, finalCostUsd: 878.72, reached: true });
    // Each phase starts from the cost the previous one left: 2,512.15 → 1,268.38 → 878.72; shares of the month:
    // 1 − 1,268.38 / 2,512.15 = 0.4951 and 1 − 878.72 / 2,512.15 = 0.6502.
    expect(r.phases.map((p) => [p.code, p.costBeforeUsd, p.costAfterUsd, p.cumulativeSavingsShare])).toEqual([
      ['quick-wins', 2512.15, 1268.38, 0.4951],
      ['caching', 1268.38, 878.72, 0.6502],
    ]);
    // The demo's research team runs Claude 3 Opus with short outputs: routing is measured, not assumed.
    expect(r.phases[0]?.actions.find((a) => a.code === 'BASIC_MODEL_ROUTING')?.basis).toBe('measured');
    expect(r.measured.routingSavingsUsd).toBeGreaterThan(0);
    // Under $5,000 a month: no self-hosting phase.
    expect(r.phases.map((p) => p.code)).not.toContain('self-hosting');
  });

  it('takes the cost by hand and plans a self-hosting phase above $5,000', () => {
    const r = json<Roadmap>(
      demo.sb.run(['roadmap', '--monthly-cost', '20000', '--target', '0.8', '--db', join(demo.sb.dir, 'empty.db'), '--json']),
    );
    expect(r.monthlyCostUsd).toBe(20000);
    expect(r.phases.map((p) => p.code)).toEqual(['quick-wins', 'caching', 'advanced', 'self-hosting']);
  });
});
