import { describe, expect, it } from 'vitest';
import { esc, inlineScript, scriptJson } from './escape.js';

describe('HTML escaping', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><svg onload=alert(3)>', '&quot;&gt;&lt;svg onload=alert(3)&gt;'],
    ["a & b's", 'a &amp; b&#39;s'],
    ['gpt-4o', 'gpt-4o'],
  ])('esc(%j) is %j', (input, expected) => {
    expect(esc(input)).toBe(expected);
  });

  it('keeps JSON in a script block from ending it, and reads back the same value', () => {
    const value = { user: '</script><img src=x onerror=alert(2)>', sep: '\u2028\u2029' };
    const text = scriptJson(JSON.stringify(value));
    expect(text).not.toMatch(/<\/script/i);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('breaks </script inside an inline library', () => {
    expect(inlineScript('var s = "</SCRIPT>";')).toBe('var s = "<\\/SCRIPT>";');
  });
});
