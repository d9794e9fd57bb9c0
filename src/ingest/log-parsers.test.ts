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
