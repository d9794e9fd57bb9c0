import { describe, expect, it } from 'vitest';
import { estimateTokens } from './estimate-tokens.js';

describe('estimateTokens', () => {
  it.each([
    ['', 0, 0, 0],
    ['abcd', 1, 0, 4],
    ['Hello, world', 3, 0, 12],
    // 11 Japanese characters (with 。) × 1.3 = 14.3 → 15 tokens, not 11 / 4 ≈ 3.
    ['今日は良い天気ですね。', 15, 11, 0],
    ['コスト削減', 7, 5, 0],
    // Mixed: 2 Han (2.6) + 4 Latin (1) = 3.6 → 4.
    ['東京 abc', 4, 2, 4],
  ])('%j → %i tokens', (text, tokens, cjk, other) => {
    expect(estimateTokens(text)).toEqual({ tokens, cjkChars: cjk, otherChars: other });
  });
});
