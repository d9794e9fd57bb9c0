import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

function config(data: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-config-'));
  writeFileSync(join(dir, 'llmcost.config.json'), JSON.stringify(data));
  return dir;
}

describe('inferenceProfiles', () => {
  it('maps profile ids and ARNs to models', () => {
    const arn = 'arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    const c = loadConfig(
      undefined,
      config({ inferenceProfiles: { abcdefabcdef: 'amazon.nova-lite-v1:0', [arn]: 'anthropic.claude-3-haiku-20240307-v1:0' } }),
    );
    expect(c.inferenceProfiles).toEqual({ abcdefabcdef: 'amazon.nova-lite-v1:0', [arn]: 'anthropic.claude-3-haiku-20240307-v1:0' });
    expect(loadConfig(undefined, config({})).inferenceProfiles).toEqual({});
  });

  it('names the bad key', () => {
    expect(() => loadConfig(undefined, config({ inferenceProfiles: ['x'] }))).toThrow(/: inferenceProfiles: expected an object/);
    expect(() => loadConfig(undefined, config({ inferenceProfiles: { 'Not-An-Id': 'm' } }))).toThrow(
      /inferenceProfiles\.Not-An-Id: expected an application inference profile id/,
    );
    expect(() => loadConfig(undefined, config({ inferenceProfiles: { abcdefabcdef: '' } }))).toThrow(
      /inferenceProfiles\.abcdefabcdef: expected the model id the profile routes to/,
    );
  });
});
