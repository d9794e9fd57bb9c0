import { describe, expect, it } from 'vitest';
import { parseBedrockLog } from './bedrock/parse.js';
import { mapColumns } from './csv/columns.js';
import { failedStatus, parseCsvRow } from './csv/parse.js';
import { parseLiteLLM } from './litellm/parse.js';

const spendLog = (over: Record<string, unknown> = {}) => ({
  request_id: 'chatcmpl-1',
  call_type: 'acompletion',
  spend: 0.0045,
  prompt_tokens: 1000,
  completion_tokens: 200,
  startTime: '2026-10-08T09:00:00.100000Z',
  endTime: '2026-10-08T09:00:01.300000Z',
  model: 'gpt-4o',
  custom_llm_provider: 'openai',
  cache_hit: 'False',
  status: 'success',
  ...over,
});

describe('health fields from the sources', () => {
  it.each([
    ['a success', {}, { failed: false, cacheHit: false, latencyMs: 1200 }],
    ['a failure', { status: 'failure', spend: 0 }, { failed: true, cacheHit: false, latencyMs: 1200 }],
    ['a cache hit', { request_id: 'chatcmpl-1_cache_hit1791450912.44', cache_hit: 'True', spend: 0 }, { failed: false, cacheHit: true }],
    ['a spend log from before the status column', { status: undefined }, { failed: undefined }],
    ['no cache_hit field', { cache_hit: undefined }, { cacheHit: undefined }],
    ['no endTime', { endTime: undefined }, { latencyMs: undefined }],
    ['an endTime before the start', { endTime: '2026-10-08T08:59:59Z' }, { latencyMs: undefined }],
    ['epoch seconds (StandardLoggingPayload)', { startTime: 1791450000.25, endTime: 1791450000.5 }, { latencyMs: 250 }],
  ])('LiteLLM: %s', (_name, over, expected) => {
    expect(parseLiteLLM(spendLog(over))).toMatchObject(expected);
  });

  it('Bedrock: an errorCode is a failure; Converse metrics.latencyMs is the latency (a stream: its metadata event)', () => {
    const log = (output: unknown, extra: Record<string, unknown> = {}) =>
      parseBedrockLog({
        schemaType: 'ModelInvocationLog',
        timestamp: '2026-04-19T13:28:51Z',
        requestId: 'r1',
        modelId: 'amazon.nova-lite-v1:0',
        input: { inputTokenCount: 255 },
        output: { outputTokenCount: 113, outputBodyJson: output },
        ...extra,
      });
    expect(log({ stopReason: 'end_turn', metrics: { latencyMs: 3114 } })).toMatchObject({ failed: false, latencyMs: 3114 });
    expect(log([{ contentBlockDelta: {} }, { metadata: { metrics: { latencyMs: 7460 } } }]).latencyMs).toBe(7460);
    expect(log({ content: [] }).latencyMs).toBeUndefined();
    expect(log(undefined, { errorCode: 'ThrottlingException' })).toMatchObject({ failed: true, status: 'error:ThrottlingException' });
  });

  it('CSV: a status column says failures, cache_hit and latency_ms columns are read; without them nothing is assumed', () => {
    const header = ['timestamp', 'model', 'input_tokens', 'output_tokens', 'status', 'cache_hit', 'latency_ms'];
    const map = mapColumns(header, {}, 'f.csv');
    const parse = (status: string, hit: string, ms: string) =>
      parseCsvRow(['2026-10-08T09:00:00Z', 'gpt-4o', '10', '5', status, hit, ms], header, map);
    expect(parse('500', 'false', '1,250')).toMatchObject({ record: { failed: true, cacheHit: false, latencyMs: 1250 } });
    expect(parse('success', 'true', '')).toMatchObject({ record: { failed: false, cacheHit: true } });
    expect(parse('ok', '', '')).toMatchObject({ record: { failed: false } });
    expect(parse('ok', '', 'slow')).toEqual({
      issue: { field: 'latency_ms', message: 'expected a latency in milliseconds (a number ≥ 0), got "slow"' },
    });
    const plain = ['timestamp', 'model', 'input_tokens', 'output_tokens'];
    const r = parseCsvRow(['2026-10-08T09:00:00Z', 'gpt-4o', '10', '5'], plain, mapColumns(plain, {}, 'f.csv'));
    expect('record' in r && [r.record.failed, r.record.cacheHit, r.record.latencyMs]).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    ['failure', true],
    ['Failed', true],
    ['error: timeout', true],
    ['429', true],
    ['200', false],
    ['success', false],
    ['ok', false],
    ['guardrail-blocked', false],
  ])('CSV status %j failed: %j', (status, failed) => {
    expect(failedStatus(status)).toBe(failed);
  });
});
