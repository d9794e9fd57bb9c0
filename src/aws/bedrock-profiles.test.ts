import { describe, expect, it } from 'vitest';
import { profileModel } from './bedrock-profiles.js';

const fm = (region: string, model: string) => `arn:aws:bedrock:${region}::foundation-model/${model}`;

describe('profileModel', () => {
  it('prices a profile within one geography as its model, across geographies as global', () => {
    expect(profileModel([fm('us-east-1', 'amazon.nova-lite-v1:0')])).toBe('amazon.nova-lite-v1:0');
    expect(profileModel([fm('eu-west-1', 'm.x-v1:0'), fm('eu-central-1', 'm.x-v1:0')])).toBe('m.x-v1:0');
    expect(profileModel([fm('us-east-1', 'm.x-v1:0'), fm('eu-west-1', 'm.x-v1:0'), fm('ap-south-1', 'm.x-v1:0')])).toBe('global.m.x-v1:0');
    expect(profileModel([fm('us-east-1', 'a.one-v1:0'), fm('us-east-1', 'b.two-v1:0')])).toBeUndefined();
    expect(profileModel([])).toBeUndefined();
  });
});
