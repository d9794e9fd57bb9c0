import { describe, expect, it } from 'vitest';
import { modelFromService, parseUsageType } from './usage-type.js';

describe('parseUsageType', () => {
  it.each([
    [
      'USE1-Claude3Haiku-input-tokens',
      { region: 'us-east-1', model: 'claude-3-haiku', kind: 'input', tokensPerUnit: 1000, batch: false, global: false },
    ],
    ['USE1-Llama3-1-405B-output-tokens-batch', { model: 'llama-3-1-405-b', kind: 'output', batch: true }],
    [
      'USW2-Claude4.5Haiku-cache-read-input-token-count-cross-region-global',
      { region: 'us-west-2', model: 'claude-haiku-4-5', kind: 'cache-read', global: true },
    ],
    ['USE1-Claude4.6Opus-input-tokens-cross-region-global', { model: 'claude-opus-4-6', kind: 'input', global: true }],
    ['USE1-NovaPro-input-tokens-latency-optimized', { model: 'nova-pro', kind: 'input' }],
    ['USE1-openai.gpt-oss-120b-mantle-input-tokens-standard', { model: 'gpt-oss-120b', kind: 'input', tokensPerUnit: 1000 }],
    ['USE1-MP:USE1_InputTokenCount-Units', { region: 'us-east-1', kind: 'input', tokensPerUnit: 1_000_000 }],
    ['USE1-MP:USE1_CacheReadInputTokenCount_Global-Units', { kind: 'cache-read', global: true, tokensPerUnit: 1_000_000 }],
    ['USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units', { kind: 'cache-write' }],
    ['USE1-MP:USE1_input_tokens_global_standard-Units', { kind: 'input', global: true }],
  ])('%s', (usageType, expected) => {
    expect(parseUsageType(usageType)).toMatchObject(expected);
  });

  it('leaves what it cannot read undefined', () => {
    expect(parseUsageType('USE1-Bedrock-ModelUnits-Hours')).toEqual({
      regionCode: 'USE1',
      region: 'us-east-1',
      batch: false,
      global: false,
    });
  });
});

describe('modelFromService', () => {
  it.each([
    ['Claude Opus 4.5 (Amazon Bedrock Edition)', 'claude-opus-4-5'],
    ['Claude 3.5 Sonnet (Amazon Bedrock Edition)', 'claude-3-5-sonnet'],
    ['Claude Instant (100K) (Amazon Bedrock Edition)', 'claude-instant'],
    ['Amazon Bedrock', undefined],
  ])('%s → %s', (service, model) => expect(modelFromService(service)).toBe(model));
});
