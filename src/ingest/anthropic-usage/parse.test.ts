import { describe, expect, it } from 'vitest';
import { FieldError } from '../fields.js';
import { anthropicBuckets, centsToNanos, costLines, tierOf, usageLine } from './parse.js';

const DAY = Date.UTC(2026, 9, 1);
/** A usage report result as the API writes it (the documentation example's fields), with overrides. */
const result = (o: Record<string, unknown> = {}) => ({
  account_id: null,
  api_key_id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
  cache_creation: { ephemeral_1h_input_tokens: 1000, ephemeral_5m_input_tokens: 500 },
  cache_read_input_tokens: 200,
  context_window: '0-200k',
  inference_geo: 'global',
  model: 'claude-sonnet-4-5-20250929',
  output_tokens: 500,
  server_tool_use: { web_search_requests: 10 },
  service_account_id: null,
  service_tier: 'standard',
  uncached_input_tokens: 1500,
  workspace_id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
  ...o,
});

describe('usageLine (usage report results)', () => {
  it('maps a result to a daily line: uncached input, cache reads, 5-minute and 1-hour cache writes; no request count', () => {
    expect(usageLine(DAY, result(), 'r')).toEqual({
      ts: DAY,
      dayOnly: true,
      sourceId:
        'ant-usage|2026-10-01T00:00:00.000Z|claude-sonnet-4-5-20250929|apikey_01Rj2N8SVvo6BePZj99NhmiT|wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ|standard|0-200k|global',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5-20250929',
      team: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
      apiKey: 'apikey_01Rj2N8SVvo6BePZj99NhmiT',
      endpoint: 'messages',
      tags: ['workspace:wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ', 'context_window:0-200k'],
      serviceTier: 'standard',
      inferenceGeo: 'global',
      requests: 0,
      inputTokens: 1500,
      outputTokens: 500,
      cacheReadTokens: 200,
      cacheWriteTokens: 1500,
      cacheWrite1hTokens: 1000,
    });
  });

  it('reads the default workspace and Console usage (null ids), a missing cache_creation, and an unavailable geo', () => {
    const line = usageLine(
      DAY,
      result({ workspace_id: null, api_key_id: null, cache_creation: null, inference_geo: 'not_available' }),
      'r',
    );
    expect(line).toMatchObject({ team: undefined, apiKey: undefined, cacheWriteTokens: 0, cacheWrite1hTokens: 0, inferenceGeo: undefined });
  });

  it('skips an empty group and names the field of a bad count', () => {
    const zero = {
      uncached_input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
    };
    expect(usageLine(DAY, result(zero), 'r')).toBeUndefined();
    expect(() => usageLine(DAY, result({ cache_creation: { ephemeral_5m_input_tokens: 1.5 } }), 'data[0].results[0]')).toThrow(
      new FieldError(
        'data[0].results[0].cache_creation.ephemeral_5m_input_tokens',
        'expected a non-negative whole number of tokens, got 1.5',
      ),
    );
  });

  it.each([
    ['standard', 'standard'],
    ['batch', 'batch'],
    ['priority', 'priority'],
    ['priority_on_demand', 'priority'],
    ['flex', 'flex'],
    ['flex_discount', 'flex'],
    [null, 'standard'],
  ])('service tier %j → %s', (tier, out) => {
    expect(tierOf(tier)).toBe(out);
  });
});

describe('anthropicBuckets', () => {
  it('reads RFC 3339 bucket starts and the cursor while has_more is true', () => {
    const page = {
      data: [{ starting_at: '2026-10-01T00:00:00Z', ending_at: '2026-10-02T00:00:00Z', results: [] }],
      has_more: true,
      next_page: 'page_MjAy',
    };
    expect(anthropicBuckets(page, 'p')).toEqual({ buckets: [{ start: DAY, results: [] }], next: 'page_MjAy' });
    expect(() => anthropicBuckets({ data: [{ starting_at: 1790812800 }] }, 'p')).toThrow('p: expected an RFC 3339 time, got 1790812800');
  });
});

describe('cost report', () => {
  it.each([
    ['123.78912', 1_237_891_200n], // the documentation example: 123.78912 cents = $1.2378912
    ['123.45', 1_234_500_000n],
    ['0.0000001', 1n],
    ['0.00000015', 2n], // finer than a nano: rounded half up, once
    ['1', 10_000_000n],
  ])('amount %s cents → %s nanos', (amount, nanos) => {
    expect(centsToNanos(amount, 'r')).toBe(nanos);
  });

  it('refuses an amount that is not a decimal', () => {
    expect(() => centsToNanos('$1.00', 'data[0].results[0]')).toThrow(
      new FieldError('data[0].results[0].amount', 'expected a decimal amount in cents, got "$1.00"'),
    );
  });

  it('maps cost results to billing lines by workspace and description; the model when it is a token cost', () => {
    const page = anthropicBuckets(
      {
        data: [
          {
            starting_at: '2026-10-01T00:00:00Z',
            ending_at: '2026-10-02T00:00:00Z',
            results: [
              {
                amount: '123.78912',
                context_window: '0-200k',
                cost_type: 'tokens',
                currency: 'USD',
                description: 'Claude Opus 5 Usage - Input Tokens',
                inference_geo: 'global',
                model: 'claude-opus-5',
                service_tier: 'standard',
                token_type: 'uncached_input_tokens',
                workspace_id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
              },
              {
                amount: '2.5',
                cost_type: 'code_execution',
                currency: 'USD',
                description: 'Code Execution Usage',
                model: null,
                workspace_id: null,
              },
              { amount: '7', currency: 'EUR', description: 'x' },
            ],
          },
        ],
        has_more: false,
        next_page: null,
      },
      'p',
    );
    const { records, otherCurrency } = costLines(page, 'p');
    expect(otherCurrency).toBe(1);
    expect(records).toMatchObject([
      {
        ts: DAY,
        dayOnly: true,
        provider: 'anthropic',
        model: 'claude-opus-5',
        team: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
        endpoint: 'Claude Opus 5 Usage - Input Tokens',
        tags: [
          'workspace:wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
          'cost_type:tokens',
          'token_type:uncached_input_tokens',
          'context_window:0-200k',
        ],
        requests: 0,
        reportedCostNanos: 1_237_891_200n,
        billed: true,
      },
      { model: 'Code Execution Usage', team: undefined, tags: ['cost_type:code_execution'], reportedCostNanos: 25_000_000n, billed: true },
    ]);
  });
});
