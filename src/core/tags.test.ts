import { describe, expect, it } from 'vitest';
import { tagPair } from './tags.js';

describe('tagPair', () => {
  it.each([
    ['project:checkout', 'project', 'checkout'],
    ['env=prod', 'env', 'prod'],
    ['tag:team=search', 'team', 'search'],
    ['jobID:214590dsff09fds', 'jobID', '214590dsff09fds'],
    ['User-Agent: curl/8.4.0', 'User-Agent', 'curl/8.4.0'],
    ['key:sha256:0123456789ab', 'key', 'sha256:0123456789ab'],
    ['a=b:c', 'a', 'b:c'],
    ['prod', undefined, 'prod'],
    ['sidechain', undefined, 'sidechain'],
    [':x', undefined, ':x'],
    ['=x', undefined, '=x'],
    ['tag:novalue', 'tag', 'novalue'],
    [' spaced : out ', 'spaced', 'out'],
  ])('%s → key %s, value %s', (tag, key, value) => {
    expect(tagPair(tag)).toEqual({ key, value });
  });
});
