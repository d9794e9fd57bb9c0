import { describe, expect, it } from 'vitest';
import { parseBedrockLog, principalOf } from './bedrock/parse.js';
import { parseClaudeCodeLine } from './claude-code/parse.js';
import { detectSource } from './index.js';
import { litellmShape, parseLiteLLM } from './litellm/parse.js';

describe('LiteLLM', () => {
  const row = (over: Record<string, unknown> = {}) => ({
    request_id: 'r1',
    spend: 0.00022500000000000002,
    prompt_tokens: 1000,
    completion_tokens: 20,
    startTime: '2025-01-24 09:20:46.847371',
    model: 'gpt-4o',
    custom_llm_provider: 'openai',
    metadata: JSON.stringify({ usage_object: { cache_read_input_tokens: 300, cache_creation_input_tokens: 100 }, user_api_key_alias: 'k' }),
    request_tags: '["a","b"]',
    ...over,
  });

  it('reads the payload form: JSON-string metadata, naive UTC times, float spend', () => {
    expect(parseLiteLLM(row())).toMatchObject({
      sourceId: 'r1',
      ts: Date.UTC(2025, 0, 24, 9, 20, 46, 847),
      inputTokens: 600, // 1,000 prompt tokens include 300 cache reads and 100 cache writes
      cacheReadTokens: 300,
      cacheWriteTokens: 100,
      reportedCostNanos: 225_000n, // 0.00022500000000000002 USD, rounded once to whole nanos
      apiKey: 'k',
      tags: ['a', 'b'],
    });
  });

  it("reads the provider's service_tier and Anthropic's inference_geo when the record carries them", () => {
    const p = { id: 'x', response_cost: 0, startTime: 1739235379.68, prompt_tokens: 9, completion_tokens: 1, model: 'gpt-5' };
    expect(parseLiteLLM({ ...p, response: { service_tier: 'flex', usage: {} } }).serviceTier).toBe('flex');
    expect(parseLiteLLM({ ...p, response: { service_tier: 'default' } }).serviceTier).toBeUndefined();
    expect(parseLiteLLM({ ...p, model_parameters: { service_tier: 'priority' } }).serviceTier).toBe('priority');
    const geo = parseLiteLLM({ ...p, model: 'claude-opus-4-6', metadata: { usage_object: { inference_geo: 'us' } } });
    expect(geo.inferenceGeo).toBe('us');
  });

  it('reads StandardLoggingPayload epoch times and cost', () => {
    const p = {
      id: 'x',
      call_type: 'acompletion',
      response_cost: 3.75e-5,
      startTime: 1739235379.683053,
      prompt_tokens: 9,
      completion_tokens: 12,
      model: 'm',
    };
    expect(litellmShape(p)).toBe('standard-logging-payload');
    expect(parseLiteLLM(p)).toMatchObject({ ts: 1739235379683, reportedCostNanos: 37_500n, inputTokens: 9 });
  });

  it('gives the spend log and the payload of one cache hit the same id, whatever their time.time() suffixes', () => {
    // spend_tracking_utils.py and litellm_logging.py each append `_cache_hit{time.time()}` to the response id.
    const spendLog = parseLiteLLM(
      row({
        request_id: 'chatcmpl-9_cache_hit1791364530.8127944',
        cache_hit: 'True',
        spend: 0,
        startTime: '2026-10-07T09:15:30.809000+00:00',
      }),
    );
    const payload = parseLiteLLM({
      id: 'chatcmpl-9_cache_hit1791364530.8119586',
      call_type: 'acompletion',
      response_cost: 0,
      cache_hit: true,
      saved_cache_cost: 0.00404,
      startTime: 1791364530.809412,
      model: 'gpt-4o',
    });
    expect(spendLog).toMatchObject({ sourceId: 'chatcmpl-9_cache_hit@1791364530809', status: 'cache-hit' });
    expect(payload).toMatchObject({ sourceId: 'chatcmpl-9_cache_hit@1791364530809', status: 'cache-hit' });
    // Another hit on the same cached response, a second later, is another request.
    expect(parseLiteLLM(row({ request_id: 'chatcmpl-9_cache_hit1791364531.9', startTime: 1791364531.81 })).sourceId).toBe(
      'chatcmpl-9_cache_hit@1791364531810',
    );
    // A payload from before the suffix (cache_hit only) joins the same identity.
    expect(parseLiteLLM(row({ request_id: 'chatcmpl-9', cache_hit: 'True', startTime: 1791364530.809412 })).sourceId).toBe(
      'chatcmpl-9_cache_hit@1791364530809',
    );
  });

  it.each([
    ['response.usage cached_tokens (older payload, no usage_object)', { prompt_tokens_details: { cached_tokens: 8000 } }, 8000, 0],
    ['response.usage cache_read / cache_creation', { cache_read_input_tokens: 12_000, cache_creation_input_tokens: 0 }, 12_000, 0],
  ])('reads the cache split from %s', (_, usage, read, write) => {
    const p = {
      id: 'x',
      call_type: 'acompletion',
      response_cost: 0.016,
      startTime: 1791450000.125,
      prompt_tokens: 12_050,
      completion_tokens: 100,
      model: 'gpt-4o',
      metadata: { user_api_key_alias: 'k' },
      response: { id: 'x', usage: { prompt_tokens: 12_050, completion_tokens: 100, ...usage } },
    };
    expect(parseLiteLLM(p)).toMatchObject({ cacheReadTokens: read, cacheWriteTokens: write, inputTokens: 12_050 - read - write });
  });

  it('reads the cache split of a spend log written before usage_object from additional_usage_values', () => {
    const r = parseLiteLLM(
      row({ metadata: JSON.stringify({ additional_usage_values: { cache_read_input_tokens: 300, cache_creation_input_tokens: 0 } }) }),
    );
    expect(r).toMatchObject({ cacheReadTokens: 300, inputTokens: 700 });
  });

  it('names the usage block a bad cache count came from', () => {
    const p = { id: 'x', response_cost: 0, startTime: 1, model: 'm', response: { usage: { cache_read_input_tokens: -1 } } };
    expect(() => parseLiteLLM(p)).toThrow(expect.objectContaining({ field: 'response.usage.cache_read_input_tokens' }));
  });

  it.each([
    // prompt, reads, writes → uncached input, and the alternative reading when prompt_tokens allow both
    [1000, 400, 0, 600, undefined],
    [5000, 3000, 1000, 1000, 2000],
    [4500, 3000, 1000, 500, 1500],
    [3050, 3000, 1000, 50, undefined], // fewer than reads + writes: only the reads are inside
    [100, 3000, 1000, 100, undefined], // fewer than the reads: the provider reported the cache apart
  ])('splits prompt_tokens %i with %i reads and %i writes into %i uncached (alternative %s)', (prompt, read, write, input, other) => {
    const metadata = JSON.stringify({ usage_object: { cache_read_input_tokens: read, cache_creation_input_tokens: write } });
    const r = parseLiteLLM(row({ prompt_tokens: prompt, metadata }));
    expect(r.inputTokens).toBe(input);
    expect(r.ambiguousInput).toEqual(
      other === undefined
        ? undefined
        : { reason: 'litellm-prompt-split', label: 'reads+writes', others: [{ label: 'reads-only', inputTokens: other }] },
    );
  });

  it('hashes anything that looks like a raw key', () => {
    expect(parseLiteLLM(row({ api_key: 'sk-1234', metadata: '{}' })).apiKey).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it.each([
    [{ prompt_tokens: -1 }, 'prompt_tokens'],
    [{ startTime: 'soon' }, 'startTime'],
    [{ spend: 'lots' }, 'spend'],
    [{ request_id: '' }, 'request_id'],
  ])('rejects %j naming %s', (over, field) => {
    expect(() => parseLiteLLM(row(over))).toThrow(expect.objectContaining({ field }));
  });
});

describe('Bedrock invocation logs', () => {
  const rec = {
    schemaType: 'ModelInvocationLog',
    timestamp: '2025-08-22T09:49:16Z',
    requestId: 'q',
    region: 'us-east-1',
    modelId: 'arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0',
    identity: { arn: 'arn:aws:sts::123:assumed-role/R/s' },
    input: { inputTokenCount: 3, cacheReadInputTokenCount: 5, cacheWriteInputTokenCount: 24479 },
    output: { outputTokenCount: 52 },
  };
  it('keeps cache counts apart from inputTokenCount and names the principal', () => {
    expect(parseBedrockLog(rec)).toMatchObject({
      inputTokens: 3,
      cacheReadTokens: 5,
      cacheWriteTokens: 24479,
      outputTokens: 52,
      user: 'assumed-role/R/s',
    });
  });
  it('unwraps CloudWatch @message', () => {
    expect(parseBedrockLog({ '@message': JSON.stringify(rec) }).sourceId).toBe('q');
  });
  it('reads principals', () => {
    expect(principalOf('arn:aws:iam::123456789012:user/alice')).toBe('user/alice');
  });
});

describe('Claude Code', () => {
  it('skips synthetic messages and non-usage lines', () => {
    expect(parseClaudeCodeLine({ type: 'user', message: { content: 'x' } })).toBeUndefined();
    expect(parseClaudeCodeLine({ type: 'assistant', message: { model: '<synthetic>', usage: { input_tokens: 0 } } })).toBeUndefined();
  });
  it('keys a message by id and request id, with the 1-hour cache part', () => {
    const r = parseClaudeCodeLine({
      type: 'assistant',
      requestId: 'req',
      timestamp: '2026-02-12T16:02:27.718Z',
      message: {
        id: 'msg',
        model: 'claude-opus-4-6',
        usage: {
          input_tokens: 3,
          output_tokens: 9,
          cache_creation_input_tokens: 15005,
          cache_read_input_tokens: 11442,
          cache_creation: { ephemeral_1h_input_tokens: 5 },
        },
      },
    });
    expect(r).toMatchObject({ key: 'msg:req', record: { cacheWriteTokens: 15005, cacheWrite1hTokens: 5, cacheReadTokens: 11442 } });
  });
});

describe('detectSource', () => {
  it.each([
    ['{"schemaType":"ModelInvocationLog","requestId":"x"}', 'bedrock-log'],
    ['{"@message":"{\\"schemaType\\":\\"ModelInvocationLog\\"}"}', 'bedrock-log'],
    ['{"request_id": "r", "spend": 0.1}', 'litellm'],
    ['[{"id":"x","response_cost":0.1}]', 'litellm'],
    ['{"type":"assistant","sessionId":"s","message":{}}', 'claude-code'],
    ['request_id,call_type,spend,startTime\n', 'litellm'],
    ['date,user,model,input_tokens\n', 'csv'],
    ['hello world', undefined],
    // JSON Lines whose first line is the tail of a cut record.
    ['"outputTokenCount": 7}}\n{"schemaType":"ModelInvocationLog","requestId":"x"}\n', 'bedrock-log'],
    ['{"request_id": "r", "spe\n{"request_id": "r2", "spend": 0.1}\n', 'litellm'],
    // Prose with commas, and binary files, are not CSV.
    ['# Usage logs, exported nightly\n\nSee the wiki, or ask #platform.\n', undefined],
    ['\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR,,,', undefined],
  ])('%s → %s', (head, source) => expect(detectSource(head)).toBe(source));
});
