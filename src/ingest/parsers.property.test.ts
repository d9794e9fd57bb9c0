import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../lib/errors.js';
import { readCsvRows } from './csv/rows.js';
import { type JsonItem, readJsonRecords, readLines } from './lines.js';

/** The bytes as a file named `name` delivered in chunks cut at `cuts` (offsets, any order, may repeat). */
const file = (name: string, bytes: Uint8Array, cuts: number[] = []) => {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    if (to > from) chunks.push(Buffer.from(bytes.subarray(from, to)));
    from = to;
  }
  return { name, open: () => Readable.from(chunks) };
};
async function collect<T>(batches: AsyncIterable<T[]>): Promise<{ items: T[] } | { error: unknown }> {
  const items: T[] = [];
  try {
    for await (const batch of batches) items.push(...batch);
    return { items };
  } catch (error) {
    return { error };
  }
}

// Bytes that look like input: mostly CSV/JSON punctuation and a few letters, with arbitrary bytes mixed in.
const token = fc.oneof(
  fc.constantFrom(',', '"', '\n', '\r', '\r\n', '{', '}', '[', ']', ':', ' ', 'a', '1', '\\', '\uFEFF', 'é', '{"a":1}\n'),
  fc.string({ maxLength: 4 }),
);
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.array(token, { maxLength: 60 }).map((t) => new Uint8Array(Buffer.from(t.join('')))),
);
const cuts = fc.array(fc.nat(), { maxLength: 6 });

describe('CSV rows (properties)', () => {
  it('arbitrary bytes give rows numbered by line, or a UserError naming file and line', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        const r = await collect(readCsvRows(file('x.csv', b)));
        if ('error' in r) {
          expect(r.error).toBeInstanceOf(UserError);
          expect((r.error as Error).message).toMatch(/^x\.csv:\d+: not valid CSV \(/);
          return;
        }
        let last = 0;
        for (const [line, cells] of r.items) {
          expect(line).toBeGreaterThanOrEqual(Math.max(1, last));
          expect(cells.every((c) => typeof c === 'string')).toBe(true);
          last = line;
        }
      }),
    );
  });

  it('the error branch above is reachable: an unclosed quote names its line', async () => {
    const r = await collect(readCsvRows(file('x.csv', Buffer.from('a,b\n1,"2\n'))));
    expect('error' in r && (r.error as Error).message).toMatch(/^x\.csv:2: not valid CSV \(/);
  });

  it('how the file is cut into chunks changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, cuts, async (b, c) => {
        const whole = await collect(readCsvRows(file('x.csv', b)));
        const cut = await collect(readCsvRows(file('x.csv', b, c)));
        if ('error' in whole) expect('error' in cut && (cut.error as Error).message).toBe((whole.error as Error).message);
        else expect(cut).toEqual(whole);
      }),
    );
  });
});

describe('JSON Lines and documents (properties)', () => {
  it('arbitrary bytes give numbered records or per-line errors, never a throw other than a UserError', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => {
        const r = await collect<JsonItem>(readJsonRecords(file('x.jsonl', b)));
        if ('error' in r) {
          expect(r.error).toBeInstanceOf(UserError);
          expect((r.error as Error).message).toMatch(/^x\.jsonl(:\d+)?: /);
          return;
        }
        for (const item of r.items) {
          // A record of a JSON document has its position in the document instead of a line (line 0).
          if (item.item !== undefined) expect(item.item).toBeGreaterThanOrEqual(1);
          else expect(item.line).toBeGreaterThanOrEqual(1);
          if ('error' in item) expect(typeof item.error).toBe('string');
        }
      }),
    );
  });

  it('how the file is cut into chunks changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, cuts, async (b, c) => {
        const whole = await collect<JsonItem>(readJsonRecords(file('x.jsonl', b)));
        const cut = await collect<JsonItem>(readJsonRecords(file('x.jsonl', b, c)));
        if ('error' in whole) expect('error' in cut && (cut.error as Error).message).toBe((whole.error as Error).message);
        else expect(cut).toEqual(whole);
      }),
    );
  });

  it('lines rejoin to the decoded file, numbered 1…n, whatever the chunks', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, cuts, async (b, c) => {
        const r = await collect(readLines(file('x.log', b, c)));
        if ('error' in r) throw r.error;
        expect(r.items.map((l) => l.line)).toEqual(r.items.map((_, i) => i + 1));
        // Decoding line by line equals decoding the whole (a newline byte never sits inside a UTF-8 sequence).
        let text = Buffer.from(b).toString('utf8');
        if (text.startsWith('\uFEFF')) text = text.slice(1);
        const expected = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
        expect(r.items.map((l) => l.text)).toEqual(expected.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
      }),
    );
  });
});
