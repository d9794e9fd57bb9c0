import { describe, expect, it } from 'vitest';
import { json, useDemoDb } from '../helpers/cli.js';

const demo = useDemoDb();

type Selfhost = {
  workload: { inputTokens: number; outputTokens: number };
  assumptions: { gpu: string; gpuHourlyUsd: number; decodeTps: number };
  result: {
    apiMonthlyUsd: number;
    gpus: { needed: number };
    selfhost: { totalUsd: number };
    cheaper: string;
    breakEvenTokens: number | null;
    paybackMonths: number | null;
  };
};

describe('compare-selfhost', () => {
  it("reproduces the seed guide's worked example from the command line", () => {
    const r = json<Selfhost>(
      demo.sb.run([
        'compare-selfhost',
        '--monthly-tokens',
        '100000000',
        '--blended-price',
        '6.25',
        '--gpu',
        'a100-80gb',
        '--gpu-hourly',
        '3',
        '--db',
        demo.db,
        '--json',
      ]),
    );
    expect(r.result).toMatchObject({
      apiMonthlyUsd: 625,
      selfhost: { totalUsd: 2660 },
      cheaper: 'api',
      breakEvenTokens: 425_600_000,
      gpus: { needed: 1 },
    });
  });

  it('sizes the workload from the database and prices it with the models actually used', () => {
    const r = json<Selfhost>(
      demo.sb.run([
        'compare-selfhost',
        '--since',
        '2026-10-01',
        '--until',
        '2026-10-30',
        '--tz',
        'UTC',
        '--gpu',
        'h100',
        '--db',
        demo.db,
        '--json',
      ]),
    );
    expect(r.assumptions).toMatchObject({ gpu: 'h100', gpuHourlyUsd: 6.88 });
    expect(r.result.selfhost.totalUsd).toBe(5453.6); // 6.88 × 720 + 500
    expect(r.result.apiMonthlyUsd).toBeGreaterThan(2000);
    expect(r.workload.inputTokens).toBeGreaterThan(r.workload.outputTokens);
  });

  it('computes on-prem payback, and needs a purchase price for it', () => {
    const args = [
      'compare-selfhost',
      '--monthly-tokens',
      '1000000000',
      '--blended-price',
      '6.25',
      '--gpu',
      'a100-80gb',
      '--on-prem',
      '--db',
      demo.db,
    ];
    expect(demo.sb.run(args)).toMatchObject({ status: 2, stderr: expect.stringContaining('--on-prem needs --purchase-price') });
    const r = json<Selfhost>(demo.sb.run([...args, '--purchase-price', '20000', '--json']));
    // $6,250 API − ($500 overhead + 0.4 kW × 720 h × $0.12) = $5,715.44 a month → 20,000 / 5,715.44 = 3.5 months.
    expect(r.result).toMatchObject({ cheaper: 'self-host', paybackMonths: 3.5 });
  });

  it('rejects a GPU or size the catalog does not have', () => {
    expect(demo.sb.run(['compare-selfhost', '--gpu', 'tpu', '--db', demo.db]).stderr).toContain('--gpu tpu: not in the catalog');
    expect(
      demo.sb.run([
        'compare-selfhost',
        '--gpu',
        't4',
        '--model-size',
        '70b',
        '--monthly-tokens',
        '1e6',
        '--blended-price',
        '1',
        '--db',
        demo.db,
      ]).stderr,
    ).toContain('has no 70b throughput');
  });
});

describe('unit-cost', () => {
  it('puts cost against revenue with the seed targets', () => {
    const r = json<{ costUsd: number; requests: number; costToRevenue: number; grossMargin: number; health: string }>(
      demo.sb.run([
        'unit-cost',
        '--revenue',
        '5000',
        '--since',
        '2026-10-01',
        '--until',
        '2026-10-31',
        '--tz',
        'UTC',
        '--db',
        demo.db,
        '--json',
      ]),
    );
    expect(r.health).toBe(r.grossMargin >= 0.7 ? 'healthy' : r.grossMargin >= 0.5 ? 'acceptable' : 'unhealthy');
    expect(r.costToRevenue).toBeCloseTo(r.costUsd / 5000, 4);
    expect(r.requests).toBeGreaterThan(100_000);
  });
});
