import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type JsonItem, looksLikeJson, readJsonRecords } from './lines.js';

async function read(text: string): Promise<JsonItem[]> {
  const input = { name: 'x.json', open: () => Readable.from([Buffer.from(text)]) };
  const out: JsonItem[] = [];
  for await (const batch of readJsonRecords(input)) out.push(...batch);
  return out;
}
const brief = (items: JsonItem[]) => items.map((i) => ('error' in i ? [i.line, 'error'] : [i.item ?? i.line, i.value]));

describe('readJsonRecords', () => {
  it.each([
    [
      'a cut first line, then records',
      '{"a":1,"b\n{"a":2}\n{"a":3}\n',
      [
        [1, 'error'],
        [2, { a: 2 }],
        [3, { a: 3 }],
      ],
    ],
    [
      'a cut first line and one record',
      '{"a":1,"b\n{"a":2}\n',
      [
        [1, 'error'],
        [2, { a: 2 }],
      ],
    ],
    [
      'the tail of a record, then records',
      '"b": 2}}\n\n{"a":2}\n{"a":3}\n',
      [
        [1, 'error'],
        [3, { a: 2 }],
        [4, { a: 3 }],
      ],
    ],
    [
      'a bad line in the middle',
      '{"a":1}\nnot json\n{"a":3}\n',
      [
        [1, { a: 1 }],
        [2, 'error'],
        [3, { a: 3 }],
      ],
    ],
  ])('reads JSON Lines with %s line by line', async (_, text, expected) => {
    expect(brief(await read(text))).toEqual(expected);
  });

  it.each([
    [
      'a pretty array whose last item is one line',
      '[\n  {"a": 1},\n  {"a": 2}\n]\n',
      [
        [1, { a: 1 }],
        [2, { a: 2 }],
      ],
    ],
    ['an envelope', '{"data": [\n{"a": 1}\n]}', [[1, { a: 1 }]]],
    ['a pretty object', '{\n  "a": {"x": 1},\n  "b": 2\n}\n', [[1, { a: { x: 1 }, b: 2 }]]],
  ])('reads %s as one document', async (_, text, expected) => {
    expect(brief(await read(text))).toEqual(expected);
  });

  it('reports a truncated document once, at the line where it breaks', async () => {
    const items = await read('[\n  {"a": 1},\n  {"a": 2},\n  {"a": 3}\n');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ line: 4, error: expect.stringMatching(/^not valid JSON .*truncated file or mixed formats/) });
  });
});

describe('looksLikeJson', () => {
  it.each([
    ['{"a":1}\n', true],
    ['[\n', true],
    ['"b": 2}}\n{"a":2}\n', true],
    ['model,input_tokens\ngpt-4o,1\n', false],
    ['# Notes, about {things}\n', false],
    // A complete first line is needed: the head may end inside a line.
    ['"b": 2}}\n{"a":2', false],
  ])('%j → %s', (head, expected) => {
    expect(looksLikeJson(head)).toBe(expected);
  });
});
