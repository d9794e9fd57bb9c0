import { afterAll, describe, expect, it } from 'vitest';
import { json, sandbox } from '../helpers/cli.js';

const sb = sandbox();
afterAll(() => sb.dispose());

type Cost = {
  at: string;
  requests: number;
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number };
  inputEstimate: { tokens: number; cjkChars: number; otherChars: number } | null;
  models: { query: string; catalogModel: string; priceRef: string; perRequestNanos: number; totalNanos: number; totalUsd: string }[];
};

describe('llmcost cost', () => {
  it('prices K requests exactly and compares the same usage on other models', () => {
    const r = sb.run([
      'cost',
      'gpt-4o',
      '--input',
      '1000',
      '--output',
      '500',
      '--requests',
      '10000',
      '--compare',
      'claude-3-sonnet',
      'gpt-4o-mini',
      '--at',
      '2026-10-01',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const c = json<Cost>(r);
    expect(c.at).toBe('2026-10-01');
    // gpt-4o $2.50/$10 per 1M: 1,000 × 2.5 + 500 × 10 = 7,500 nano-USD ×1,000 = $0.0075 a request, $75 for 10,000.
    // claude-3-sonnet $3/$15: $0.0105, $105. gpt-4o-mini $0.15/$0.60: $0.00045, $4.50.
    expect(c.models.map((m) => [m.query, m.catalogModel, m.perRequestNanos, m.totalNanos, m.totalUsd])).toEqual([
      ['gpt-4o', 'gpt-4o', 7_500_000, 75_000_000_000, '75.000000000'],
      ['claude-3-sonnet', 'claude-3-sonnet', 10_500_000, 105_000_000_000, '105.000000000'],
      ['gpt-4o-mini', 'gpt-4o-mini', 450_000, 4_500_000_000, '4.500000000'],
    ]);
  });

  it('names the catalog entry and applies tier, region and long-context prices as the ingest does', () => {
    const batch = json<Cost>(sb.run(['cost', 'claude-3-opus', '--input', '1000', '--output', '1000', '--tier', 'batch', '--json']));
    // Opus $15/$75, half in batch: (15,000 + 75,000) / 2 = 45,000 … nanos ×1,000.
    expect(batch.models[0]).toMatchObject({ priceRef: 'anthropic/claude-3-opus-latest+batch', totalNanos: 45_000_000 });
    const long = json<Cost>(
      sb.run(['cost', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', '--input', '250000', '--output', '1000', '--json']),
    );
    // Above 200k input the whole request takes the long-context rate $6.60/$24.75: $1.65 + $0.02475.
    expect(long.models[0]).toMatchObject({
      priceRef: 'aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0>200000',
      totalNanos: 1_674_750_000,
    });
  });

  it('estimates input tokens from text by character class', () => {
    const c = json<Cost>(sb.run(['cost', 'gpt-4o', '--text', '今日は良い天気ですね。', '--json']));
    // 11 CJK characters × 1.3 = 14.3 → 15 tokens (a flat 4 characters a token would say 3) × $2.50 per 1M.
    expect(c.inputEstimate).toEqual({ tokens: 15, cjkChars: 11, otherChars: 0, method: 'character-class' });
    expect(c.models[0]?.totalNanos).toBe(37_500);
  });

  it('shows the table with the price date', () => {
    const r = sb.run(['cost', 'gpt-4o', '--input', '1000', '--at', '2026-10-01']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 request of 1,000 input + 0 output tokens, at prices in force on 2026-10-01');
    expect(r.stdout).toContain('openai/gpt-4o');
    expect(r.stdout).toContain('$0.002500');
  });

  it('exits 3 for a model the catalog cannot price, never $0', () => {
    const r = sb.run(['cost', 'acme-llama-ft', '--input', '1000', '--json']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'llmcost: No price for "acme-llama-ft": records of it are stored as unpriced.\n  Check the spelling with `llmcost prices --provider …`, or add the model in a price file (--prices FILE).\n',
    );
    const cmp = sb.run(['cost', 'gpt-4o', '--input', '1', '--compare', 'nope-model']);
    expect(cmp.status).toBe(3);
  });

  it('exits 2 without tokens or with both --text and --input', () => {
    expect(sb.run(['cost', 'gpt-4o']).status).toBe(2);
    expect(sb.run(['cost', 'gpt-4o', '--text', 'hi', '--input', '3']).status).toBe(2);
    expect(sb.run(['cost', 'gpt-4o', '--input', '-1']).status).toBe(2);
  });
});
