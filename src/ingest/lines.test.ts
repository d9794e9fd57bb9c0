import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type JsonItem, looksLikeJson, readJsonRecords } from './lines.js';

/** Reads `text` (or bytes) as a file delivered in chunks of `chunk` bytes (all at once by default). */
async function read(text: string | Buffer, chunk = Number.POSITIVE_INFINITY): Promise<JsonItem[]> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(chunk, bytes.length)) chunks.push(bytes.subarray(i, i + chunk));
  const input = { name: 'x.json', open: () => Readable.from(chunks) };
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

  it('reports a truncated document once, at its last line, after the records before it', async () => {
    const items = await read('[\n  {"a": 1},\n  {"a": 2},\n  {"a": 3}\n');
    expect(brief(items)).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
      [3, { a: 3 }],
      [4, 'error'],
    ]);
    expect(items[3]).toMatchObject({
      error: 'not valid JSON (the document ends before it is complete); a truncated file or mixed formats?',
    });
  });
});

describe('readJsonRecords streams JSON documents', () => {
  const records = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, note: 'héllo ✓' }));
  const numbered = records.map((r, i) => [i + 1, r]);

  it.each([
    ['a minified array', JSON.stringify(records)],
    ['a pretty array', JSON.stringify(records, null, 2)],
    ['a minified /spend/logs/v2 envelope', JSON.stringify({ data: records, total: 5, page: 1 })],
    ['a pretty envelope whose records come after other keys', JSON.stringify({ total: 5, page: 1, data: records }, null, 2)],
    ['a CloudWatch events envelope', JSON.stringify({ events: records, searchedLogStreams: [{ x: 1 }] })],
    ['an array with a UTF-8 byte order mark', `\uFEFF${JSON.stringify(records, null, 2)}`],
    ['an array with CRLF line ends', JSON.stringify(records, null, 2).replace(/\n/g, '\r\n')],
  ])('%s, in any chunking, record by record', async (_, text) => {
    for (const chunk of [Number.POSITIVE_INFINITY, 7, 3, 1]) expect(brief(await read(text, chunk))).toEqual(numbered);
  });

  it('reads a top-level object that is no envelope (its "data" is no array) as one record', async () => {
    const doc = { id: 'x', data: { a: 1 }, logs: 'none' };
    expect(brief(await read(JSON.stringify(doc, null, 2), 5))).toEqual([[1, doc]]);
  });

  it('reports where a document breaks by line, after the records before it', async () => {
    const text = '[\n  {"a": 1},\n  {"a": 2},\n  {"a": 3}\n  "x"\n]\n';
    for (const chunk of [Number.POSITIVE_INFINITY, 5]) {
      const items = await read(text, chunk);
      expect(brief(items)).toEqual([
        [1, { a: 1 }],
        [2, { a: 2 }],
        [3, { a: 3 }],
        [5, 'error'],
      ]);
      expect(items[3]).toMatchObject({ error: 'not valid JSON (unexpected string "x"); a truncated file or mixed formats?' });
    }
  });

  it('reports bad bytes in a minified document at its one line', async () => {
    const items = await read(`[${'{"a":1},'.repeat(3)}{"a":2}}]`, 4);
    expect(items.at(-1)).toMatchObject({ line: 1, error: 'not valid JSON (unexpected "}"); a truncated file or mixed formats?' });
  });

  it('keeps a record whose bytes are not UTF-8 (U+FFFD in their place)', async () => {
    const bytes = Buffer.concat([Buffer.from('[{"a": "x'), Buffer.from([0xff, 0xfe]), Buffer.from('y"},\n{"a": 2}]')]);
    expect(brief(await read(bytes, 3))).toEqual([
      [1, { a: 'x\uFFFD\uFFFDy' }],
      [2, { a: 2 }],
    ]);
  });
});

describe('readJsonRecords reads JSON Lines', () => {
  it('with a UTF-8 byte order mark', async () => {
    expect(brief(await read('\uFEFF{"a":1}\n{"a":2}\n', 2))).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
  });

  it('whose lines are envelopes line by line (each one record)', async () => {
    expect(brief(await read('{"data":[{"a":1}]}\n{"data":[{"a":2}]}\n'))).toEqual([
      [1, { data: [{ a: 1 }] }],
      [2, { data: [{ a: 2 }] }],
    ]);
  });

  it('with characters split across chunks', async () => {
    expect(brief(await read('{"a":"héllo ✓ 😀"}\n{"a":"ü"}', 1))).toEqual([
      [1, { a: 'héllo ✓ 😀' }],
      [2, { a: 'ü' }],
    ]);
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
