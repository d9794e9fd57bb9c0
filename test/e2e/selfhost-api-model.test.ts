import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

const sb = sandbox();
const RANGE = ['--since', '2026-10-01', '--until', '2026-10-30', '--tz', 'UTC'];
beforeAll(() => {
  const r = sb.run(['ingest', 'csv', fixture('whatif', 'prompt-10k.csv')]);
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => sb.dispose());

type Selfhost = {
  workload: { inputTokens: number; outputTokens: number; basis: string };
  assumptions: { pricing: string; gpuHourlyNanos: number | null; gpuHourlyUsd: string | null; gpuHourlySource: string | null };
  result: { apiMonthlyNanos: number; apiMonthlyUsd: string };
};

describe('compare-selfhost --api-model', () => {
  it('prices a workload given by hand at the input share measured from the data, not a fixed 75%', () => {
    const r = sb.run(['compare-selfhost', '--monthly-tokens', '100000000', '--api-model', 'gpt-4o', ...RANGE, '--json']);
    expect(r.status).toBe(0);
    const j = json<Selfhost>(r);
    // The stored gpt-4o traffic is all input (2M input, 0 output): 100M input × $2.50 per 1M = $250
    // (at 75% input it would be 75M × $2.50 + 25M × $10 = $437.50).
    expect(j.workload).toMatchObject({ inputTokens: 100_000_000, outputTokens: 0 });
    expect(j.result).toMatchObject({ apiMonthlyNanos: 250e9, apiMonthlyUsd: '250.000000000' }); // $250 × 1e9
    expect(j.workload.basis).toContain('100% input (measured: 2,000,000 input and 0 output tokens from 2026-10-01 on)');
  });

  it('takes --input-share over the measured share', () => {
    const j = json<Selfhost>(
      sb.run(['compare-selfhost', '--monthly-tokens', '100000000', '--api-model', 'gpt-4o', '--input-share', '0.5', ...RANGE, '--json']),
    );
    // 50M × $2.50 + 50M × $10 = $625.
    expect(j.result).toMatchObject({ apiMonthlyNanos: 625e9, apiMonthlyUsd: '625.000000000' }); // $625 × 1e9
    // CSV is the same data, one field,value row per figure: numbers, not display strings.
    const csv = sb
      .run([
        'compare-selfhost',
        '--monthly-tokens',
        '100000000',
        '--api-model',
        'gpt-4o',
        '--input-share',
        '0.5',
        ...RANGE,
        '--format',
        'csv',
      ])
      .stdout.split('\n');
    expect(csv[0]).toBe('field,value');
    expect(csv).toContain('result.apiMonthlyNanos,625000000000');
    expect(csv).toContain('result.apiMonthlyUsd,625.000000000');
    // (the GPU price's source is quoted text: "AWS p4de.24xlarge $27.44705/h ÷ 8 GPUs …")
    expect(csv.filter((l) => !l.startsWith('assumptions.gpuHourlySource,')).some((l) => l.includes('$'))).toBe(false);
  });

  it('needs --input-share when there is no usage to measure, and resolves names as prices does (exit 3 when it cannot)', () => {
    const none = sb.run([
      'compare-selfhost',
      '--monthly-tokens',
      '1000',
      '--api-model',
      'gpt-4o',
      '--since',
      '2025-01-01',
      '--until',
      '2025-01-31',
    ]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--api-model with --monthly-tokens needs the share of input tokens');
    const spelled = sb.run([
      'compare-selfhost',
      '--monthly-tokens',
      '1000000',
      '--input-share',
      '0.75',
      '--api-model',
      'claude-3-sonnet',
      '--json',
    ]);
    expect(spelled.status).toBe(0);
    // claude-3-sonnet $3/$15: 0.75M × 3 + 0.25M × 15 = $6.
    expect(json<Selfhost>(spelled).result).toMatchObject({ apiMonthlyNanos: 6e9, apiMonthlyUsd: '6.000000000' });
    const unknown = sb.run(['compare-selfhost', '--monthly-tokens', '1000000', '--input-share', '0.75', '--api-model', 'claude-sonnet']);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toBe(
      'llmcost: No price for "claude-sonnet": records of it are stored as unpriced.\n  Check the spelling with `llmcost prices --provider …`, or add the model in a price file (--prices FILE).\n',
    );
  });

  it('shows no hourly GPU price for bought GPUs, and offers no unsourced spot price', () => {
    const args = [
      'compare-selfhost',
      '--monthly-tokens',
      '1000000000',
      '--blended-price',
      '6.25',
      '--on-prem',
      '--purchase-price',
      '20000',
    ];
    const text = sb.run(args);
    expect(text.status).toBe(0);
    expect(text.stdout).not.toMatch(/\/h \(/);
    expect(text.stdout).toContain('GPUs bought (--on-prem): $20,000.00 each, amortized over 36 months; power 0.4 kW per GPU at $0.12/kWh.');
    expect(json<Selfhost>(sb.run([...args, '--json'])).assumptions).toMatchObject({
      pricing: 'on-prem',
      gpuHourlyNanos: null,
      gpuHourlyUsd: null,
      gpuHourlySource: null,
    });
    const spot = sb.run(['compare-selfhost', '--pricing', 'spot', '--monthly-tokens', '1000', '--blended-price', '1']);
    expect(spot.status).toBe(2);
    expect(spot.stderr).toContain('Allowed choices are on-demand, reserved.');
  });
});

describe('unit-cost per-request target', () => {
  it("shows the guide's target (half of today) and today's ratio to it", () => {
    const r = sb.run(['unit-cost', '--revenue', '100', ...RANGE]);
    expect(r.status).toBe(0);
    // 10,000 requests for $5.00: $0.0005 each; the target is half: $0.00025, today is 2× it.
    expect(r.stdout).toContain('│ Target / request │ $0.00025; today is 2× the target (not met) │ ≤ 50% of today');
    const j = json<Record<string, unknown>>(sb.run(['unit-cost', '--revenue', '100', ...RANGE, '--baseline', '0.001', '--json']));
    expect(j).toMatchObject({
      // $0.0005 = 500,000 nanos and $0.001 = 1,000,000 nanos (× 1e9), with their exact decimals.
      costPerRequestNanos: 500_000,
      costPerRequestUsd: '0.000500000',
      baselineCostPerRequestNanos: 1_000_000,
      baselineCostPerRequestUsd: '0.001000000',
      baselineSource: 'given',
      targetCostPerRequestNanos: 500_000,
      targetCostPerRequestUsd: '0.000500000',
      costPerRequestToTarget: 1,
      costPerRequestTargetMet: true,
    });
    const csv = sb.run(['unit-cost', '--revenue', '100', ...RANGE, '--format', 'csv']).stdout.split('\n');
    expect(csv).toContain('costNanos,5000000000');
    expect(csv).toContain('costUsd,5.000000000');
    expect(csv).toContain('costPerRequestUsd,0.000500000');
    expect(csv.some((l) => l.includes('$'))).toBe(false);
  });
});
