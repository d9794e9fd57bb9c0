import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

/** No credentials anywhere: a call the guard lets through fails at the SDK with exit 4, before any network. */
const noCredentials = {
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9',
  LLMCOST_NOW: '2026-11-23T12:00:00Z',
};

type Estimate = { model: string; region: string; estimatedInputTokens: number; estimateMethod: string; minNanos: number };

describe('llmcost prompt: model names, region and guards', () => {
  it('accepts every spelling prices accepts, mapped to its Bedrock id (claude-3-sonnet exited 3 before)', () => {
    const r = sb.run(['prompt', 'x'.repeat(4000), '--model', 'claude-3-sonnet', '--max-tokens', '100', '--estimate', '--json']);
    expect(r.status).toBe(0);
    // Claude 3 Sonnet on Bedrock $3/$15: 1,000 × 3 = 3,000,000 nanos at least.
    expect(json<Estimate>(r)).toMatchObject({
      model: 'anthropic.claude-3-sonnet-20240229-v1:0',
      estimatedInputTokens: 1000,
      minNanos: 3_000_000,
    });
    expect(sb.run(['prices', 'claude-3-sonnet']).status).toBe(0);
    const unknown = sb.run(['prompt', 'hi', '--model', 'claude-sonnet', '--estimate']);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain('llmcost: No price for "claude-sonnet"');
    const notBedrock = sb.run(['prompt', 'hi', '--model', 'gpt-4o', '--estimate']);
    expect(notBedrock.status).toBe(2);
    expect(notBedrock.stderr).toContain('"gpt-4o" (openai/gpt-4o) is not a Bedrock model in the catalog');
  });

  it('honors AWS_REGION_NAME after AWS_REGION and AWS_DEFAULT_REGION', () => {
    const region = (env: Record<string, string>): string =>
      json<Estimate>(sb.run(['prompt', 'hi', '--model', 'claude-3-haiku', '--estimate', '--json'], { env })).region;
    expect(region({ AWS_REGION_NAME: 'eu-west-2' })).toBe('eu-west-2');
    expect(region({ AWS_REGION_NAME: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-central-1' })).toBe('eu-central-1');
    expect(region({ AWS_REGION_NAME: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-central-1', AWS_REGION: 'us-west-2' })).toBe('us-west-2');
    expect(region({})).toBe('us-east-1');
  });

  it('estimates Japanese text at about 1.3 tokens a character', () => {
    const j = json<Estimate>(sb.run(['prompt', '今日は良い天気ですね。', '--model', 'claude-3-haiku', '--estimate', '--json']));
    // 11 characters × 1.3 = 14.3 → 15 tokens (characters / 4 said 3).
    expect(j).toMatchObject({ estimatedInputTokens: 15, estimateMethod: 'character-class' });
  });

  it('stops at a warning threshold with --guard warning, and only at an exceeded budget by default', () => {
    writeFileSync(
      join(sb.dir, 'llmcost.config.json'),
      JSON.stringify({ budgets: [{ name: 'daily-1', period: 'daily', amountUsd: 1, warnAt: [0.5, 1] }] }),
    );
    expect(sb.run(['ingest', 'csv', fixture('whatif', 'today-spend.csv')]).status).toBe(0);
    const warned = sb.run(['prompt', 'hi', '--model', 'claude-3-haiku', '--guard', 'warning'], { env: noCredentials });
    expect(warned.status).toBe(1);
    expect(warned.stderr).toBe(
      'llmcost: Budget "daily-1" has reached its 50% warning threshold ($0.60 of $1.00 this day): not sending (--guard warning).\n  Pass --force to send anyway, or --guard exceeded to stop only at an exceeded budget.\n',
    );
    // The default guard lets it through: the call then fails for want of credentials (exit 4), not at the guard.
    const through = sb.run(['prompt', 'hi', '--model', 'claude-3-haiku'], { env: noCredentials });
    expect(through.status).toBe(4);
    expect(through.stderr).toContain('No AWS credentials');
    expect(sb.run(['prompt', 'hi', '--model', 'claude-3-haiku', '--guard', 'warning', '--force'], { env: noCredentials }).status).toBe(4);
    expect(sb.run(['prompt', 'hi', '--guard', 'tripwire']).status).toBe(2);
  });
});
