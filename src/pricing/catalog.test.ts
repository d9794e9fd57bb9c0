import { describe, expect, it } from 'vitest';
import { embeddedCatalog } from './catalog.js';
import { CORRECTIONS } from './corrections.js';
import { type PriceInput, Pricer } from './pricer.js';

// Issue 13: the catalog's sourced corrections on top of genai-prices, priced to the nano-dollar.
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
const ref = (input: PriceInput): string => {
  const r = pricer.price(input);
  return r.priced ? r.ref : r.reason;
};
const M = 1_000_000;

describe('long context above 200k input tokens', () => {
  it('prices Sonnet 4.5 on a us. Bedrock profile at the long-context rate ($6.60 / $24.75)', () => {
    const u = usage({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', input: 250_000, output: 1_000 });
    expect(nanos(u)).toBe(1_674_750_000n); // 250k × 6.60 + 1k × 24.75
    expect(ref(u)).toBe('aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0>200000');
    expect(nanos({ ...u, input: 150_000 })).toBe(511_500_000n); // 150k × 3.30 + 1k × 16.50
  });

  it.each([
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 1_500_000_000n],
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 1_650_000_000n],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 1_650_000_000n],
    ['jp.anthropic.claude-sonnet-4-5-20250929-v1:0', 1_650_000_000n],
    ['global.anthropic.claude-sonnet-4-20250514-v1:0', 1_500_000_000n],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', 1_500_000_000n],
    ['anthropic.claude-sonnet-4-20250514-v1:0', 1_500_000_000n],
  ])('prices 250k input tokens of %s at the >200k rate', (model, expected) => {
    expect(nanos(usage({ model, input: 250_000 }))).toBe(expected);
  });

  it('prices Sonnet 4 on the Anthropic API and Vertex at $6 above 200k from the day 1M context opened', () => {
    const u = usage({ model: 'claude-sonnet-4-20250514', provider: 'anthropic', input: 250_000, ts: Date.UTC(2025, 8, 1) });
    expect(nanos(u)).toBe(1_500_000_000n);
    expect(ref(u)).toBe('anthropic/claude-sonnet-4-0@2025-08-12>200000');
    expect(nanos({ ...u, ts: Date.UTC(2025, 6, 1) })).toBe(750_000_000n); // before 2025-08-12: the 200k window, base rate
    expect(nanos(usage({ model: 'claude-sonnet-4@20250514', provider: 'vertex_ai', input: 250_000 }))).toBe(1_500_000_000n);
  });

  it('keeps an aggregated line (several requests) at the base rate', () => {
    const u = usage({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', input: 5 * M, requests: 40 });
    expect(nanos(u)).toBe(16_500_000_000n);
  });
});

describe('1-hour cache writes', () => {
  it.each([
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', undefined, 600_000_000n],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', undefined, 660_000_000n],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', undefined, 220_000_000n],
    ['global.anthropic.claude-opus-4-5-20251101-v1:0', undefined, 1_000_000_000n],
    ['us.anthropic.claude-opus-4-6-v1', undefined, 1_100_000_000n],
    ['global.anthropic.claude-sonnet-4-6', undefined, 600_000_000n],
    ['claude-sonnet-4-5@20250929', 'vertex_ai', 600_000_000n],
    ['claude-sonnet-4-6', 'vertex_ai', 600_000_000n],
    ['claude-opus-4-1@20250805', 'vertex_ai', 3_000_000_000n],
    ['claude-haiku-4-5@20251001', 'vertex_ai', 200_000_000n],
  ])('prices 100k 1-hour writes of %s at 2× input', (model, provider, expected) => {
    const u = usage({ model, provider, cacheWrite: 100_000, cacheWrite1h: 100_000 });
    expect(nanos(u)).toBe(expected);
    expect(ref(u)).not.toContain('~1h=5m');
  });

  it('says so in the row reference when a model has no 1-hour price (Sonnet 4 on Bedrock)', () => {
    const u = usage({ model: 'us.anthropic.claude-sonnet-4-20250514-v1:0', cacheWrite: 100_000, cacheWrite1h: 100_000 });
    expect(nanos(u)).toBe(375_000_000n); // the 5-minute $3.75
    expect(ref(u)).toBe('aws/regional.anthropic.claude-sonnet-4-20250514-v1:0@2025-08-12~1h=5m');
    const entry = pricer.resolve('aws', 'us.anthropic.claude-sonnet-4-20250514-v1:0');
    expect(entry?.model.provenance?.at(-1)?.note).toContain('no 1-hour cache-write price');
  });
});

describe('most specific match', () => {
  it('prices amazon.titan-embed-text-v2:0 as V2 at $0.02 per 1M, V1 stays $0.10', () => {
    expect(nanos(usage({ model: 'amazon.titan-embed-text-v2:0', input: M }))).toBe(20_000_000n);
    expect(ref(usage({ model: 'amazon.titan-embed-text-v2:0', input: M }))).toBe('aws/amazon.titan-embed-text-v2:0');
    expect(nanos(usage({ model: 'amazon.titan-embed-text-v1', input: M }))).toBe(100_000_000n);
  });
});

describe('o3 cached input', () => {
  it('is $2.50 per 1M before the 2025-06-10 cut and $0.50 after', () => {
    const u = usage({ model: 'o3', provider: 'openai', cacheRead: M });
    expect(nanos({ ...u, ts: Date.UTC(2025, 5, 1) })).toBe(2_500_000_000n);
    expect(nanos({ ...u, ts: Date.UTC(2025, 6, 1) })).toBe(500_000_000n);
  });
});

describe('regional Bedrock prices', () => {
  it('applies the record region: Llama 3 70B in London vs us-east-1', () => {
    const u = usage({ model: 'meta.llama3-70b-instruct-v1:0', input: M, output: M });
    expect(nanos(u)).toBe(6_150_000_000n); // 2.65 + 3.50
    expect(nanos({ ...u, region: 'us-east-1' })).toBe(6_150_000_000n);
    expect(nanos({ ...u, region: 'eu-west-2' })).toBe(8_000_000_000n); // 3.45 + 4.55
    expect(ref({ ...u, region: 'eu-west-2' })).toBe('aws/meta.llama3-70b-instruct-v1:0#eu-west-2');
  });

  it('prices GovCloud Sonnet 4.5 at $3.60 / $18, from the record region or the us-gov. profile', () => {
    const io = { input: 100_000, output: 100_000 };
    const u = usage({ model: 'anthropic.claude-sonnet-4-5-20250929-v1:0', ...io, region: 'us-gov-west-1' });
    expect(nanos(u)).toBe(2_160_000_000n); // 100k × 3.60 + 100k × 18
    expect(ref(u)).toBe('aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0#us-gov-west-1');
    expect(nanos({ ...u, region: 'us-east-1' })).toBe(1_980_000_000n); // 100k × 3.30 + 100k × 16.50
    expect(nanos(usage({ model: 'us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0', ...io }))).toBe(2_160_000_000n);
  });
});

describe('newly covered Bedrock models', () => {
  it.each([
    ['cohere.command-r-v1:0', 2_000_000_000n],
    ['cohere.command-r-plus-v1:0', 18_000_000_000n],
    ['ai21.jamba-1-5-large-v1:0', 10_000_000_000n],
    ['ai21.jamba-1-5-mini-v1:0', 600_000_000n],
    ['ai21.jamba-instruct-v1:0', 1_200_000_000n],
    ['mistral.mistral-large-2407-v1:0', 12_000_000_000n],
    ['anthropic.claude-v2:1', 32_000_000_000n],
    ['anthropic.claude-v2', 32_000_000_000n],
    ['anthropic.claude-instant-v1', 3_200_000_000n],
    ['amazon.nova-2-lite-v1:0', 3_080_000_000n],
    ['apac.amazon.nova-2-lite-v1:0', 3_080_000_000n],
    ['global.amazon.nova-2-lite-v1:0', 2_800_000_000n],
  ])('%s: 1M input + 1M output', (model, expected) => {
    expect(nanos(usage({ model, input: M, output: M }))).toBe(expected);
  });

  it.each([
    ['cohere.embed-english-v3', 100_000_000n],
    ['cohere.embed-multilingual-v3', 100_000_000n],
    ['cohere.embed-v4:0', 120_000_000n],
  ])('%s: 1M input tokens', (model, expected) => {
    expect(nanos(usage({ model, input: M }))).toBe(expected);
  });
});

describe('provenance', () => {
  it('gives every catalog entry a source and a checked date', () => {
    for (const p of embeddedCatalog().providers) {
      for (const m of p.models) {
        expect(m.provenance?.length, `${p.id}/${m.id}`).toBeGreaterThan(0);
        for (const v of m.provenance ?? []) expect(v.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('applies every correction to an entry that exists', () => {
    const ids = new Set(embeddedCatalog().providers.flatMap((p) => p.models.map((m) => `${p.id}/${m.id}`)));
    for (const c of CORRECTIONS) expect(ids.has(`${c.provider}/${c.model}`), `${c.provider}/${c.model}`).toBe(true);
  });
});
