import { describe, expect, it } from 'vitest';
import { json, useDemoDb } from '../helpers/cli.js';

const demo = useDemoDb();

type Selfhost = {
  workload: { inputTokens: number; outputTokens: number };
  assumptions: { gpu: string; gpuHourlyNanos: number; gpuHourlyUsd: string; decodeTps: number };
  result: {
    apiMonthlyNanos: number;
    apiMonthlyUsd: string;
    gpus: { needed: number };
    selfhost: { totalNanos: number; totalUsd: string };
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
      // Money as integer nanos plus the exact decimal: $625 = 625 × 1e9 nanos, $2,660 = 2,660 × 1e9.
      apiMonthlyNanos: 625_000_000_000,
      apiMonthlyUsd: '625.000000000',
      selfhost: { totalNanos: 2_660_000_000_000, totalUsd: '2660.000000000' },
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
    expect(r.assumptions).toMatchObject({ gpu: 'h100', gpuHourlyNanos: 6_880_000_000, gpuHourlyUsd: '6.880000000' }); // $6.88 × 1e9
    expect(r.result.selfhost).toMatchObject({ totalNanos: 5_453_600_000_000, totalUsd: '5453.600000000' }); // (6.88 × 720 + 500) × 1e9
    // Read from the demo database by SQL over priced usage with 2026-10-01 ≤ ts < 2026-10-31 (30 days, so ×1):
    // SUM(cost_nanos) = 2,512,148,063,975 → $2,512.15; input = input 637,873,814 + cache reads 69,238,550
    // + cache writes 9,802,225 = 716,914,589; output 48,085,410; 199,378 − 185,535 priced = 13,843 unpriced requests.
    expect(r.result).toMatchObject({ apiMonthlyNanos: 2_512_150_000_000, apiMonthlyUsd: '2512.150000000' }); // $2,512.15 × 1e9
    expect(r.workload).toMatchObject({ inputTokens: 716_914_589, outputTokens: 48_085_410 });
    expect(r).toMatchObject({ unpricedRequests: 13_843 });
    // $5,453.60 − $2,512.15 = $2,941.45 in favour of the API.
    expect(r.result).toMatchObject({
      cheaper: 'api',
      savingsNanos: 2_941_450_000_000,
      savingsUsd: '2941.450000000',
      // A fraction of the dearer option ($2,941.45 / $5,453.60); savingsPct (53.9) is the deprecated percentage.
      savingsShare: 0.5394,
      savingsPct: 53.9,
      breakEvenTokens: null,
    });
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
    const r = json<{
      costNanos: number;
      costUsd: string;
      requests: number;
      unpricedRequests: number;
      costToRevenue: number;
      grossMargin: number;
      health: string;
      range: { since: string; until: string };
    }>(
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
    // SQL over the demo database, 2026-10-01 ≤ ts < 2026-11-01: SUM(cost_nanos) = 2,540,771,725,775 → $2,540.77,
    // 201,201 requests of which 13,963 unpriced. 2,540.77 / 5,000 = 0.508154 → 0.5082; margin 1 − 0.5082 = 0.4918,
    // under the seed's 0.5 floor, so unhealthy.
    expect(r).toMatchObject({
      costNanos: 2_540_770_000_000, // $2,540.77 × 1e9 (the model's cents-rounded figure)
      costUsd: '2540.770000000',
      requests: 201_201,
      unpricedRequests: 13_963,
      costToRevenue: 0.5082,
      grossMargin: 0.4918,
      health: 'unhealthy',
    });
    // Ranges are ISO strings in every command (were epoch milliseconds here).
    expect(r.range).toEqual({ since: '2026-10-01T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' });
  });
});
