import { describe, expect, it } from 'vitest';
import { fromGenaiPrices } from './import-genai.js';

const source = { kind: 'genai-prices', version: '0.1.8', checked: '2026-11-01' };
const provider = (over: Record<string, unknown> = {}) => ({ id: 'mistral', name: 'Mistral', models: [], ...over });
const model = (id: string, prices: unknown, over: Record<string, unknown> = {}) => ({ id, match: { equals: id }, prices, ...over });
const convert = (data: unknown) => fromGenaiPrices(data, source, { corrections: false });

describe('fromGenaiPrices', () => {
  it('refuses data that is not a provider array', () => {
    expect(() => convert({})).toThrow('expected a JSON array of providers');
    expect(() => convert([{ id: 'x' }])).toThrow('expected every provider to have an id and a models array');
    expect(() => convert([null])).toThrow('expected every provider');
  });

  it('keeps only the providers users pay directly, in llmcost order', () => {
    const c = convert([
      provider({ id: 'openrouter' }),
      provider({ id: 'openai', name: 'OpenAI' }),
      provider({ id: 'anthropic', name: 'Anthropic' }),
    ]);
    expect(c.providers.map((p) => [p.id, p.batchMultiplier])).toEqual([
      ['anthropic', 0.5],
      ['openai', 0.5],
    ]);
    expect(c.source).toEqual({ kind: 'genai-prices', version: '0.1.8' });
  });

  it('maps token prices, tiers, dated and time-of-day variants; drops models with no token price', () => {
    const c = convert([
      provider({
        pricing_urls: ['https://mistral.ai/pricing'],
        model_match: { starts_with: 'mistral' },
        provider_match: { equals: 'mistral' },
        fallback_model_providers: ['azure'],
        models: [
          model(
            'flat',
            { input_mtok: 2, output_mtok: 6, cache_read_mtok: 0.2, audio_input_mtok: 9 },
            { name: 'Flat', context_window: 128000 },
          ),
          model('tiered', { input_mtok: { base: 1, tiers: [{ start: 200000, price: 2 }, { start: 'x' }] }, output_mtok: -1 }),
          model('dated', [
            { prices: { input_mtok: 1, output_mtok: 2 } },
            { constraint: { start_date: '2026-01-01' }, prices: { input_mtok: 0.5, output_mtok: 1 } },
            { constraint: { start_time: '16:30', end_time: '00:30' }, prices: { input_mtok: 0.25, output_mtok: 0.5 } },
            { constraint: { start_time: '16:30' }, prices: { input_mtok: 0.3 } },
            'junk',
            { prices: 'junk' },
          ]),
          model('images-only', { input_image: 0.01 }),
          model('bad-numbers', { input_mtok: Number.NaN, output_mtok: '1' }),
        ],
      }),
    ]);
    const [p] = c.providers;
    expect(p).toMatchObject({
      id: 'mistral',
      modelMatch: { starts_with: 'mistral' },
      providerMatch: { equals: 'mistral' },
      fallback: ['azure'],
    });
    expect(p?.batchMultiplier).toBeUndefined();
    expect(p?.models.map((m) => m.id)).toEqual(['flat', 'tiered', 'dated']);
    expect(p?.models[0]).toEqual({
      id: 'flat',
      name: 'Flat',
      contextWindow: 128000,
      match: { equals: 'flat' },
      prices: [{ input: 2, output: 6, cacheRead: 0.2 }],
      provenance: [{ source: 'genai-prices@0.1.8 (https://mistral.ai/pricing)', checked: '2026-11-01' }],
    });
    expect(p?.models[1]?.prices).toEqual([{ input: { base: 1, tiers: [{ start: 200000, price: 2 }] } }]);
    expect(p?.models[2]?.prices).toEqual([
      { input: 1, output: 2 },
      { input: 0.5, output: 1, from: '2026-01-01' },
      { input: 0.25, output: 0.5, timeOfDay: { start: '16:30', end: '00:30' } },
      { input: 0.3 },
    ]);
  });

  it('names the source without a pricing page when the provider has none', () => {
    const c = convert([provider({ id: 'groq', name: 'Groq', models: [model('m', { input_mtok: 1 })] })]);
    expect(c.providers[0]?.models[0]?.provenance).toEqual([{ source: 'genai-prices@0.1.8', checked: '2026-11-01' }]);
    expect(c.providers[0]).not.toHaveProperty('fallback');
  });
});
