import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

const sb = sandbox();
const RANGE = ['--since', '2026-10-01', '--until', '2026-10-30', '--tz', 'UTC'];

beforeAll(() => {
  for (const f of ['premium-only.csv', 'prompt-10k.csv', 'endpoints.csv']) {
    const r = sb.run(['ingest', 'csv', fixture('whatif', f), '--json']);
    if (r.status !== 0) throw new Error(r.stderr);
  }
});
afterAll(() => sb.dispose());

type Money = Record<string, number | string>;
type Whatif = {
  range: { days: number };
  baseline: { costNanos: number; monthlyNanos: number };
  scenarios: (Money & {
    code: string;
    savedShare: number;
    skippedRequests: number;
    terms: (Money & { label: string; tokens?: number; p50?: number; p95?: number; cap?: number })[];
  })[];
};

const whatif = (args: string[]): Whatif => {
  const r = sb.run(['whatif', ...RANGE, ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return json<Whatif>(r);
};

describe('llmcost whatif', () => {
  it("reproduces the guide's cascade example: 79.9% saved", () => {
    const w = whatif(['--model', 'claude-3-opus', '--cascade', 'amazon.nova-micro-v1:0:0.6,claude-3-5-sonnet:0.25,claude-3-opus:0.15']);
    const [s] = w.scenarios;
    // 2,000 Opus requests, 1.2M input + 0.4M output at $15/$75 = $48 over 30 days (a month as is). After:
    // 0.6 × $0.098 (Nova Micro $0.035/$0.14) + 0.25 × $9.60 (Sonnet $3/$15) + 0.15 × $48 = $9.6588.
    expect(w.range.days).toBe(30);
    expect(s).toMatchObject({
      code: 'CASCADE',
      monthlyBeforeNanos: 48_000_000_000,
      monthlyAfterNanos: 9_658_800_000,
      monthlyAfterUsd: '9.658800000',
      savedShare: 0.7987,
    });
    expect(s?.terms.map((t) => [t.label, t.fullNanos, t.afterNanos])).toEqual([
      ['amazon.nova-micro-v1:0', 98_000_000, 58_800_000],
      ['claude-3-5-sonnet', 9_600_000_000, 2_400_000_000],
      ['claude-3-opus', 48_000_000_000, 7_200_000_000],
    ]);
  });

  it('prints the cascade with its arithmetic', () => {
    const r = sb.run([
      'whatif',
      ...RANGE,
      '--model',
      'claude-3-opus',
      '--cascade',
      'amazon.nova-micro-v1:0:0.6,claude-3-5-sonnet:0.25,claude-3-opus:0.15',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'Cascade amazon.nova-micro-v1:0 60%, claude-3-5-sonnet 25%, claude-3-opus 15%: $48.00/month → $9.66/month (saves $38.34, 79.9%)',
    );
    expect(r.stdout).toContain('0.25 × $9.60 (all traffic on claude-3-5-sonnet) = $2.40');
    expect(r.stdout).toContain('a month is that × 30 / 30: $48.00 → $9.66.');
  });

  it("reproduces the guide's prompt example: 200 → 50 tokens on 10k requests a month, $5.00 → $1.25", () => {
    for (const args of [
      ['--prompt-tokens', '200→50'],
      ['--prompt-tokens', '200->50'],
      ['--trim-input', '0.75'],
    ]) {
      const [s] = whatif(['--model', 'gpt-4o', ...args]).scenarios;
      expect(s).toMatchObject({ monthlyBeforeUsd: '5.000000000', monthlyAfterUsd: '1.250000000', savedShare: 0.75 });
      expect(s?.terms[0]?.tokens).toBe(1_500_000);
    }
    const text = sb.run(['whatif', ...RANGE, '--model', 'gpt-4o', '--prompt-tokens', '200→50']).stdout;
    expect(text).toContain('Prompt 200 → 50 tokens per request: $5.00/month → $1.25/month (saves $3.75, 75%)');
    expect(text).toContain('gpt-4o-2024-08-06: 1,500,000 input tokens fewer, priced on the model = −$3.75');
  });

  it('routes half of a model to another, resolving names as prices does', () => {
    const [s] = whatif(['--route', 'claude-3-opus=claude-3-5-haiku', '--share', '0.5']).scenarios;
    // Opus $48 → half stays ($24) + half of the same tokens on Haiku 3.5 ($0.80/$4: $0.96 + $1.60 = $2.56).
    expect(s?.terms).toEqual([
      expect.objectContaining({
        label: 'claude-3-opus-20240229',
        beforeNanos: 48_000_000_000,
        fullNanos: 2_560_000_000,
        afterNanos: 25_280_000_000,
      }),
    ]);
    expect(s?.savedNanos).toBe(22_720_000_000);
    const text = sb.run(['whatif', ...RANGE, '--route', 'claude-3-opus=claude-3-5-haiku', '--share', '0.333']).stdout;
    expect(text).toContain('Route 33.3% of claude-3-opus to claude-3-5-haiku: ');
  });

  it('caps output per endpoint from the observed p50/p95, and prices caching and batch', () => {
    const w = whatif([
      '--model',
      'claude-3-5-haiku',
      'gpt-4o-mini',
      '--max-output',
      '500',
      '--cache-hit-rate',
      '0.3',
      '--prompt-cache',
      '0.5',
      '--batch-share',
      '50%',
    ]);
    const by = Object.fromEntries(w.scenarios.map((s) => [s.code, s]));
    // /chat (Claude 3.5 Haiku, $0.80/$4): 10 answers of 100…900 and 2,000 tokens: p50 500, p95 2,000; 2,500
    // tokens over the cap × $4 per 1M = $0.01.
    expect(by.MAX_OUTPUT?.savedNanos).toBe(10_000_000);
    expect(by.MAX_OUTPUT?.terms.map((t) => [t.label, t.p50, t.p95, t.tokens])).toEqual([
      ['/chat', 500, 2000, 2500],
      ['/classify', 5, 5, 0],
    ]);
    // Each endpoint at its own p90 output length: /chat 900 (2,000 − 900 = 1,100 tokens × $4 per 1M), /classify 5.
    const own = whatif(['--model', 'claude-3-5-haiku', 'gpt-4o-mini', '--max-output', 'p90']).scenarios[0];
    expect(own?.terms.map((t) => [t.label, t.cap, t.tokens])).toEqual([
      ['/chat', 900, 1100],
      ['/classify', 5, 0],
    ]);
    expect(own?.savedNanos).toBe(4_400_000);
    // Baseline: /chat 10,000 × $0.80 + 6,500 × $4 = $0.034; /classify (gpt-4o-mini) 5,000 × $0.15 + 50 × $0.60 = $0.00078.
    expect(w.baseline.costNanos).toBe(34_780_000);
    expect(by.CACHE_HIT?.savedNanos).toBe(10_434_000);
    // Half the uncached input read from cache: 5,000 tokens × ($0.80 − $0.08) + 2,500 × ($0.15 − $0.075).
    expect(by.PROMPT_CACHE?.savedNanos).toBe(3_787_500);
    // Half of the traffic at the providers' batch half price: a quarter saved.
    expect(by.BATCH?.savedNanos).toBe(8_695_000);
  });

  it('exits 2 for no scenario or a bad one, and 3 for a model it cannot price or that has no traffic', () => {
    const none = sb.run(['whatif', ...RANGE]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('llmcost: No scenario given.');
    // A flag error needs no data: it is said before the database is opened, with nothing else on stderr.
    expect(none.stderr.startsWith('llmcost: No scenario given.')).toBe(true);
    const lone = sb.run(['whatif', '--share', '0.5']);
    expect(lone.status).toBe(2);
    expect(lone.stderr.startsWith('llmcost: --share goes with --route.')).toBe(true);
    const sum = sb.run(['whatif', ...RANGE, '--cascade', 'gpt-4o-mini:0.6,gpt-4o:0.3']);
    expect(sum.status).toBe(2);
    expect(sum.stderr).toContain('llmcost: --cascade "gpt-4o-mini:0.6,gpt-4o:0.3": the shares add up to 0.9, not 1.');
    expect(sb.run(['whatif', ...RANGE, '--prompt-tokens', '50→200']).status).toBe(2);
    expect(sb.run(['whatif', ...RANGE, '--max-output', 'p0']).status).toBe(2);
    const unknown = sb.run(['whatif', ...RANGE, '--route', 'gpt-4o=acme-llama-ft']);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain('No price for "acme-llama-ft"');
    const absent = sb.run(['whatif', ...RANGE, '--route', 'gemini-1.5-pro=gpt-4o-mini']);
    expect(absent.status).toBe(3);
    expect(absent.stderr).toContain('--route: no priced usage of "gemini-1.5-pro" in the range.');
    expect(sb.run(['whatif', '--since', '2025-01-01', '--until', '2025-01-31', '--cache-hit-rate', '0.1']).status).toBe(3);
  });
});

describe('roadmap and whatif agree', () => {
  it("measures the roadmap's routing saving with whatif --route's arithmetic", () => {
    const solo = sandbox();
    try {
      expect(solo.run(['ingest', 'csv', fixture('whatif', 'premium-only.csv')]).status).toBe(0);
      const road = json<{ measured: { routingSavingsNanos: number; routingSavingsUsd: string } }>(
        solo.run(['roadmap', ...RANGE, '--json']),
      );
      const w = json<Whatif>(solo.run(['whatif', ...RANGE, '--route', 'claude-3-opus=claude-3-5-haiku-20241022', '--json']));
      // All Opus traffic has 200-token answers: the roadmap routes it all to Claude 3.5 Haiku. $48 − $2.56 (1.2M × $0.80 + 0.4M × $4 per 1M) = $45.44.
      expect(w.scenarios[0]?.monthlySavedUsd).toBe('45.440000000');
      expect(road.measured).toMatchObject({ routingSavingsNanos: 45_440_000_000, routingSavingsUsd: '45.440000000' }); // $45.44 × 1e9
    } finally {
      solo.dispose();
    }
  });
});
