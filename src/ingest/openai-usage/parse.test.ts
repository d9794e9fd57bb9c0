import { describe, expect, it } from 'vitest';
import { FieldError } from '../fields.js';
import { amountNanos, costLines, lineItemModel, openaiBuckets, usageLine, usageLines } from './parse.js';

const DAY = Date.UTC(2026, 9, 1);
/** A completions result as the API writes it, with overrides. */
const result = (o: Record<string, unknown> = {}) => ({
  object: 'organization.usage.completions.result',
  input_tokens: 1000,
  input_cached_tokens: 400,
  input_cache_write_tokens: 100,
  input_uncached_tokens: 500,
  output_tokens: 500,
  num_model_requests: 5,
  project_id: 'proj_a',
  user_id: 'user-a',
  api_key_id: 'key_a',
  model: 'gpt-4o-2024-08-06',
  batch: false,
  service_tier: 'default',
  ...o,
});

describe('usageLine (completions and embeddings results)', () => {
  it('maps a result to an aggregated daily line: uncached, cached and cache-write input apart', () => {
    expect(usageLine('completions', DAY, result(), 'r')).toEqual({
      ts: DAY,
      dayOnly: true,
      sourceId: 'oai-usage|completions|1790812800|proj_a|user-a|key_a|gpt-4o-2024-08-06|false|default',
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      user: 'user-a',
      team: 'proj_a',
      apiKey: 'key_a',
      endpoint: 'completions',
      tags: ['project:proj_a'],
      serviceTier: 'standard',
      requests: 5,
      inputTokens: 500,
      outputTokens: 500,
      cacheReadTokens: 400,
      cacheWriteTokens: 100,
      cacheWrite1hTokens: 0,
    });
  });

  it.each([
    [{ input_uncached_tokens: undefined }, 500], // older API versions: input_tokens − cached − cache writes
    [{ input_uncached_tokens: null, input_cache_write_tokens: undefined }, 600],
    [{ input_uncached_tokens: undefined, input_cached_tokens: 2000 }, 0],
  ])('derives the uncached input when the API does not give it (%j → %i)', (o, uncached) => {
    expect(usageLine('completions', DAY, result(o), 'r')?.inputTokens).toBe(uncached);
  });

  it.each([
    [{ batch: true }, 'batch'],
    [{ batch: false, service_tier: 'flex' }, 'flex'],
    [{ service_tier: 'priority' }, 'priority'],
    [{ service_tier: 'scale' }, 'standard'],
    [{ batch: null, service_tier: null }, 'standard'],
  ])('reads the tier from batch and service_tier (%j → %s)', (o, tier) => {
    expect(usageLine('completions', DAY, result(o), 'r')?.serviceTier).toBe(tier);
  });

  it('skips a group with no requests and no tokens, and names the field of a bad count', () => {
    expect(usageLine('completions', DAY, result({ num_model_requests: 0, input_tokens: 0, output_tokens: 0 }), 'r')).toBeUndefined();
    expect(() => usageLine('completions', DAY, result({ output_tokens: -3 }), 'data[0].results[1]')).toThrow(
      new FieldError('data[0].results[1].output_tokens', 'expected a non-negative whole number of tokens, got -3'),
    );
  });

  it('reads embeddings results (input only) and ungrouped results (no model) as lines', () => {
    const emb = {
      object: 'organization.usage.embeddings.result',
      input_tokens: 1000,
      num_model_requests: 2,
      model: 'text-embedding-3-small',
    };
    expect(usageLine('embeddings', DAY, emb, 'r')).toMatchObject({
      endpoint: 'embeddings',
      inputTokens: 1000,
      outputTokens: 0,
      requests: 2,
    });
    const sample = result({ model: null, project_id: null, user_id: null, api_key_id: null, batch: null, service_tier: null });
    expect(usageLine('completions', DAY, sample, 'r')).toMatchObject({
      model: 'unknown',
      sourceId: 'oai-usage|completions|1790812800||||||',
      tags: undefined,
    });
  });

  it('sums two results of the same bucket and groups into one line', () => {
    const page = openaiBuckets({ object: 'page', data: [{ start_time: DAY / 1000, results: [result(), result()] }], has_more: false }, 'p');
    expect(usageLines('completions', page, 'p')).toMatchObject([{ requests: 10, inputTokens: 1000, cacheReadTokens: 800 }]);
  });
});

describe('openaiBuckets', () => {
  it('reads the buckets and the next page cursor only while has_more is true', () => {
    expect(openaiBuckets({ data: [{ start_time: 1790812800, results: [] }], has_more: true, next_page: 'page_x' }, 'p')).toEqual({
      buckets: [{ start: DAY, results: [] }],
      next: 'page_x',
    });
    expect(openaiBuckets({ data: [], has_more: false, next_page: 'page_x' }, 'p').next).toBeUndefined();
  });
  it('refuses a page without data or a bucket without start_time', () => {
    expect(() => openaiBuckets({ error: 'x' }, '/v1/organization/costs')).toThrow(
      '/v1/organization/costs: expected a page with a data array',
    );
    expect(() => openaiBuckets({ data: [{ start_time: '2026-10-01' }] }, 'p')).toThrow('p: expected Unix seconds, got "2026-10-01"');
  });
});

describe('costs', () => {
  it.each([
    ['gpt-4o-mini-2024-07-18, cached input', 'gpt-4o-mini-2024-07-18', 'standard'],
    ['gpt-4o-2024-08-06, output', 'gpt-4o-2024-08-06', 'standard'],
    ['priority | gpt-5.6-sol, output, long context', 'gpt-5.6-sol', 'priority'],
    ['Batch | gpt-4o-mini-2024-07-18, input', 'gpt-4o-mini-2024-07-18', 'batch'],
    ['gpt-audio-mini-2025-12-15 audio, input', 'gpt-audio-mini-2025-12-15', 'standard'],
    ['text-embedding-3-small', 'text-embedding-3-small', 'standard'],
    ['web search tool calls', 'web search tool calls', 'standard'],
  ])('line item %j → model %s, tier %s', (item, model, tier) => {
    expect(lineItemModel(item)).toEqual({ model, tier });
  });

  it.each([
    [0.06, 60_000_000n],
    [0.30000000000000004, 300_000_000n], // the float 0.1 + 0.2: its decimal text, rounded once to the nano
    ['0.8958740000000000', 895_874_000n],
    ['12.3456789015', 12_345_678_902n],
    [1e-9, 1n],
    [0, 0n],
  ])('amount.value %j → %s nanos', (value, nanos) => {
    expect(amountNanos({ value, currency: 'usd' }, 'r')).toBe(nanos);
  });

  it('refuses an amount that is not a number', () => {
    expect(() => amountNanos({ value: 'n/a' }, 'data[0].results[0]')).toThrow(
      new FieldError('data[0].results[0].amount.value', 'expected a USD amount, got "n/a"'),
    );
    expect(() => amountNanos(undefined, 'r')).toThrow('expected a USD amount, got undefined');
  });

  it('maps cost results to billing lines, with token quantities where the unit is tokens, and skips other currencies', () => {
    const page = openaiBuckets(
      {
        data: [
          {
            start_time: DAY / 1000,
            results: [
              {
                amount: { value: 0.25, currency: 'usd' },
                line_item: 'gpt-4o-2024-08-06, input',
                project_id: 'proj_a',
                quantity: 100,
                quantity_unit: '1000_tokens',
              },
              {
                amount: { value: 0.025, currency: 'usd' },
                line_item: 'gpt-4o-2024-08-06, cached input',
                project_id: 'proj_a',
                quantity: 20000,
                quantity_unit: 'tokens',
              },
              { amount: { value: 1, currency: 'eur' }, line_item: 'gpt-4o-2024-08-06, output', project_id: 'proj_a' },
              { amount: { value: 0.06, currency: 'usd' }, line_item: null, project_id: null },
            ],
          },
        ],
      },
      'p',
    );
    const { records, otherCurrency } = costLines(page, 'p');
    expect(otherCurrency).toBe(1);
    expect(records.map((r) => [r.sourceId, r.model, r.inputTokens, r.cacheReadTokens, r.reportedCostNanos, r.billed, r.requests])).toEqual([
      ['oai-cost|1790812800|gpt-4o-2024-08-06, input|proj_a|', 'gpt-4o-2024-08-06', 100_000, 0, 250_000_000n, true, 0],
      ['oai-cost|1790812800|gpt-4o-2024-08-06, cached input|proj_a|', 'gpt-4o-2024-08-06', 0, 20_000, 25_000_000n, true, 0],
      ['oai-cost|1790812800|||', 'unknown', 0, 0, 60_000_000n, true, 0],
    ]);
    expect(records[0]).toMatchObject({
      provider: 'openai',
      dayOnly: true,
      team: 'proj_a',
      tags: ['line_item:gpt-4o-2024-08-06, input', 'project:proj_a'],
    });
  });
});
