/**
 * A token count estimated from text, for `prompt --estimate` and `cost --text`: no tokenizer is shipped, so this
 * is an estimate by character class, not the model's count. Latin-script text runs about 4 characters a token;
 * Japanese and Chinese run about 1.3 tokens a character (the seed guide's figure for Japanese), so a flat
 * "4 characters a token" would be 4–5× too low for them.
 */

/** Han, Hiragana, Katakana, Hangul, CJK punctuation and full-width forms. */
const CJK = /[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

export interface TokenEstimate {
  tokens: number;
  cjkChars: number;
  otherChars: number;
}

/** ceil(1.3 × CJK characters + other characters / 4), counted in code points. */
export function estimateTokens(text: string): TokenEstimate {
  let cjkChars = 0;
  let otherChars = 0;
  for (const ch of text) {
    if (CJK.test(ch)) cjkChars++;
    else otherChars++;
  }
  // 1.3 c + o / 4 = (52 c + 10 o) / 40, in integers so the estimate is exact.
  const tokens = Math.ceil((52 * cjkChars + 10 * otherChars) / 40);
  return { tokens, cjkChars, otherChars };
}
