import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { embeddedCatalog } from './catalog.js';
import { parseModel } from './normalize.js';
import { type PriceInput, Pricer } from './pricer.js';

const pricer = new Pricer(embeddedCatalog());
const usage = (over: Partial<PriceInput> & { model: string }): PriceInput => ({
  ts: Date.UTC(2026, 9, 1),
  input: 0,
  output: 0,
  cacheRead: 0,
  cacheWrite: 0,
  cacheWrite1h: 0,
  requests: 1,
  ...over,
});
const nanos = (input: PriceInput): bigint | string => {
  const r = pricer.price(input);
  return r.priced ? r.nanos : r.reason;
};
const M = 1_000_000;

describe('model names', () => {
  it.each([
    'bedrock/anthropic.claude-3-haiku-20240307-v1:0',
    'us.anthropic.claude-3-haiku-20240307-v1:0',
    'anthropic.claude-3-haiku-20240307-v1:0',
    'claude-3-haiku-20240307',
    'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0',
    'bedrock/us-east-1/anthropic.claude-3-haiku-20240307-v1:0',
  ])('%s is claude-3-haiku-20240307 at $0.25/$1.25', (model) => {
    expect(parseModel(model).model).toBe('claude-3-haiku-20240307');
    expect(nanos(usage({ model, input: M, output: M }))).toBe(1_500_000_000n);
  });

  it('reads routes and regions from Bedrock ids', () => {
    expect(parseModel('global.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatchObject({ route: 'global', bedrock: true });
    expect(parseModel('eu.anthropic.claude-sonnet-4-5-20250929-v1:0')).toMatchObject({ route: 'geo' });
    expect(parseModel('bedrock/eu-west-1/meta.llama3-70b-instruct-v1:0')).toMatchObject({
      route: 'in_region',
      region: 'eu-west-1',
      model: 'llama3-70b-instruct',
    });
    expect(parseModel('openai/gpt-4o')).toMatchObject({ model: 'gpt-4o', prefixProvider: 'openai', bedrock: false });
  });
});

describe('Bedrock routes', () => {
  it('prices Claude Sonnet 4.5 global at list and geo / in-region at 1.1×', () => {
    const io = { input: 100_000, output: 100_000 }; // under the 200k long-context threshold
    expect(nanos(usage({ model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', ...io }))).toBe(1_800_000_000n);
    expect(nanos(usage({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', ...io }))).toBe(1_980_000_000n);
    expect(nanos(usage({ model: 'anthropic.claude-sonnet-4-5-20250929-v1:0', ...io }))).toBe(1_980_000_000n);
  });

  it('uses the regional price where the region differs', () => {
    const base = usage({ model: 'meta.llama3-70b-instruct-v1:0', input: M, output: M });
    expect(nanos(base)).toBe(6_150_000_000n); // 2.65 + 3.50
    expect(nanos({ ...base, region: 'eu-west-1' })).toBe(6_640_000_000n); // 2.86 + 3.78
    expect(pricer.price({ ...base, region: 'eu-west-1' })).toMatchObject({ ref: 'aws/meta.llama3-70b-instruct-v1:0#eu-west-1' });
  });
});

describe('dates, cache, tiers, batch', () => {
  it('prices o3 at the price in force on the record date', () => {
    expect(nanos(usage({ model: 'o3', provider: 'openai', input: M, output: M, ts: Date.UTC(2025, 4, 1) }))).toBe(50_000_000_000n);
    expect(nanos(usage({ model: 'o3', provider: 'openai', input: M, output: M, ts: Date.UTC(2025, 6, 1) }))).toBe(10_000_000_000n);
  });

  it('prices cache reads and writes at their own rates (Claude Code sample)', () => {
    // 3 × $3 + 15,005 × $3.75 + 11,442 × $0.30 per 1M tokens
    expect(nanos(usage({ model: 'claude-sonnet-4-5-20250929', input: 3, cacheWrite: 15_005, cacheRead: 11_442 }))).toBe(59_710_350n);
  });

  it('prices 1-hour cache writes at the 1-hour rate', () => {
    expect(nanos(usage({ model: 'claude-sonnet-4-5-20250929', cacheWrite: 100_000, cacheWrite1h: 100_000 }))).toBe(600_000_000n); // $6/M
    expect(nanos(usage({ model: 'claude-sonnet-4-5-20250929', cacheWrite: 100_000, cacheWrite1h: 40_000 }))).toBe(465_000_000n); // 60k × 3.75 + 40k × 6
  });

  it('applies the >200k tier to a single long request, not to a daily aggregate', () => {
    expect(nanos(usage({ model: 'claude-sonnet-4-5-20250929', input: 250_000 }))).toBe(1_500_000_000n); // $6/M
    expect(nanos(usage({ model: 'claude-sonnet-4-5-20250929', input: 5 * M, requests: 40 }))).toBe(15_000_000_000n); // $3/M
  });

  it('prices a line that counts no requests (0: a bill line, Anthropic usage report) as an aggregate, at the base tier', () => {
    expect(nanos(usage({ model: 'claude-sonnet-4-5-20250929', input: 400_000, output: 80_000, requests: 0 }))).toBe(2_400_000_000n); // $3/M + $15/M
  });

  it('halves batch prices', () => {
    expect(nanos(usage({ model: 'gpt-4o', input: M, output: M, serviceTier: 'batch' }))).toBe(6_250_000_000n);
    expect(pricer.price(usage({ model: 'gpt-4o', input: M, serviceTier: 'batch' }))).toMatchObject({ ref: 'openai/gpt-4o+batch' });
  });

  it('never prices an unknown model at $0', () => {
    expect(pricer.price(usage({ model: 'acme-llama-ft', provider: 'self-hosted', input: M }))).toEqual({
      priced: false,
      reason: 'unknown-model',
    });
    expect(pricer.price(usage({ model: 'totally-unknown-model-x', input: M }))).toEqual({ priced: false, reason: 'unknown-model' });
  });

  it('lets a user price file add and override models', () => {
    const user = new Pricer(embeddedCatalog(), {
      file: 'prices.json',
      providers: [
        {
          id: 'self-hosted',
          name: 'self-hosted',
          models: [{ id: 'acme-llama-ft', match: { equals: 'acme-llama-ft' }, prices: [{ input: 0, output: 0 }] }],
        },
        { id: '*', name: '*', models: [{ id: 'gpt-4o', match: { equals: 'gpt-4o' }, prices: [{ input: 2, output: 8 }] }] },
      ],
    });
    expect(user.price(usage({ model: 'acme-llama-ft', provider: 'self-hosted', input: M }))).toMatchObject({
      priced: true,
      nanos: 0n,
      ref: 'user:self-hosted/acme-llama-ft',
    });
    expect(user.price(usage({ model: 'gpt-4o', input: M, output: M }))).toMatchObject({ nanos: 10_000_000_000n });
  });
});

describe('agrees with genai-prices (test oracle)', () => {
  const cases: [string, string, number, number, number][] = [
    ['openai', 'gpt-4o-mini', 12_345, 678, 0],
    ['openai', 'gpt-4-turbo', 5_000, 1_000, 0],
    ['anthropic', 'claude-3-opus-20240229', 1_000, 2_000, 0],
    ['anthropic', 'claude-3-5-sonnet-20241022', 10_000, 500, 4_000],
    ['google', 'gemini-1.5-flash', 100_000, 1_000, 0],
    ['google', 'gemini-1.5-pro', 150_000, 1_000, 0],
    ['aws', 'amazon.nova-pro-v1:0', 7_777, 3_333, 0],
    ['aws', 'us.meta.llama3-3-70b-instruct-v1:0', 1_000, 1_000, 0],
  ];
  it.each(cases)('%s %s', (provider, model, input, output, cacheRead) => {
    const ts = new Date(Date.UTC(2026, 9, 1));
    const oracle = calcPrice({ input_tokens: input + cacheRead, output_tokens: output, cache_read_tokens: cacheRead }, model, {
      providerId: provider,
      timestamp: ts,
    });
    expect(oracle).not.toBeNull();
    const ours = pricer.price(usage({ provider, model, input, output, cacheRead, ts: ts.getTime() }));
    expect(ours.priced).toBe(true);
    if (ours.priced && oracle) expect(Number(ours.nanos) / 1e9).toBeCloseTo(oracle.total_price, 9);
  });
});
