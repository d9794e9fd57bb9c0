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
    expect(r.targetCostUsd).toBeCloseTo(r.monthlyCostUsd / 2, 1);
    expect(r.reached).toBe(true);
    expect(r.finalCostUsd).toBeLessThanOrEqual(r.targetCostUsd);
    // Each phase starts from the cost the previous one left.
    for (let i = 1; i < r.phases.length; i++) expect(r.phases[i]?.costBeforeUsd).toBe(r.phases[i - 1]?.costAfterUsd);
    expect(r.phases[0]?.costBeforeUsd).toBe(r.monthlyCostUsd);
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
