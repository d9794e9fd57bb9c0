import { describe, expect, it } from 'vitest';
import { allowTags, redactSecrets, secretHash, storedRecord, tagKey } from './redact.js';

describe('redactSecrets', () => {
  it.each([
    ['sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 1],
    ['sk-ant-api03-Zyxwvutsrqponmlkjihg-0987654321', 1],
    ['sk-1234', 1],
    ['Bearer sk-litellmVirtualKey123456', 1],
    ['AKIAIOSFODNN7EXAMPLE', 1],
    ['xoxb-1234567890-abcdefghij', 1],
    [`ghp_${'a1'.repeat(18)}`, 1],
    ['end_user:sk-abcdefghij1234567890abcd', 1],
    ['sk-learn', 0],
    ['task-force-alpha', 0],
    ['alice@example.com', 0],
  ])('%s: %i secret(s)', (text, count) => {
    const r = redactSecrets(text);
    expect(r.count).toBe(count);
    if (count > 0) expect(r.text).toMatch(/key:sha256:[0-9a-f]{12}/);
    else expect(r.text).toBe(text);
  });

  it('hashes a Bearer token as the token alone, so both spellings group together', () => {
    expect(redactSecrets('Bearer sk-litellmVirtualKey123456').text).toBe(secretHash('sk-litellmVirtualKey123456'));
    expect(redactSecrets('sk-litellmVirtualKey123456').text).toBe(secretHash('sk-litellmVirtualKey123456'));
    expect(redactSecrets('end_user:sk-abcdefghij1234567890abcd').text).toBe(`end_user:${secretHash('sk-abcdefghij1234567890abcd')}`);
  });
});

describe('tags', () => {
  it.each([
    ['team:search', 'team'],
    ['tag:cost-center=42', 'cost-center'],
    ['prod', undefined],
    [':x', undefined],
  ])('the key of %s is %s', (tag, key) => {
    expect(tagKey(tag)).toBe(key);
  });

  it('keeps allowed keys and free-text tags named whole', () => {
    expect(allowTags(['team:a', 'email:jane@example.com', 'prod', 'Jane Doe', 'tag:team=b'], new Set(['team', 'prod']))).toEqual([
      'team:a',
      'prod',
      'tag:team=b',
    ]);
  });

  it('storedRecord counts every value it hashed and leaves the input record alone', () => {
    const r = { ts: 0, model: 'gpt-4o', user: 'sk-user-0123456789abcdef', tags: ['k:sk-tag-0123456789abcdef', 'x:y'], requests: 1 };
    const input = { ...r, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0 };
    const out = storedRecord(input, new Set(['k']));
    expect(out.redacted).toBe(2);
    expect(out.record.tags).toEqual([`k:${secretHash('sk-tag-0123456789abcdef')}`]);
    expect(input.user).toBe('sk-user-0123456789abcdef');
  });
});
