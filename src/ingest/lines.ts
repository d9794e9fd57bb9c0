/** Line and JSON-record reading shared by the log adapters. Streams: a file is never held whole. */
import { isUtf8 } from 'node:buffer';
import { ENVELOPES, JsonDocument, JsonDocumentError } from './json-document.js';
import type { InputFile } from './types.js';

export interface Line {
  line: number;
  text: string;
}

const NL = 0x0a;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The chunks of a byte stream without a leading UTF-8 byte order mark (Excel and PowerShell write one). */
async function* withoutBom(stream: AsyncIterable<unknown>): AsyncIterable<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of stream) {
    if (head === undefined) {
      yield chunk as Buffer;
      continue;
    }
    head = Buffer.concat([head, chunk as Buffer]);
    if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) continue;
    yield head.subarray(0, 3).equals(BOM) ? head.subarray(3) : head;
    head = undefined;
  }
  if (head !== undefined && head.length > 0 && !BOM.equals(head)) yield head;
}

/**
 * Splits bytes into lines numbered from 1, decoding each as UTF-8 (a line's bytes are decoded together, so a
 * character split across chunks stays whole). A line ending in \r\n loses the \r.
 */
class LineSplitter {
  private pieces: Buffer[] = [];
  /** Bytes of the line not yet complete. */
  partialBytes = 0;
  private n = 0;

  push(buf: Buffer): Line[] {
    const out: Line[] = [];
    const first = buf.indexOf(NL);
    if (first === -1) {
      this.pieces.push(buf);
      this.partialBytes += buf.length;
      return out;
    }
    this.pieces.push(buf.subarray(0, first));
    this.emit(out, Buffer.concat(this.pieces).toString('utf8'));
    const last = buf.lastIndexOf(NL);
    if (last > first) {
      // Complete lines between two newlines: decoded at once, then cut (cheap slices of one string).
      const text = buf.toString('utf8', first + 1, last);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        this.emit(out, text.slice(start, nl));
        start = nl + 1;
      }
      this.emit(out, text.slice(start));
    }
    const rest = buf.subarray(last + 1);
    this.pieces = rest.length > 0 ? [rest] : [];
    this.partialBytes = rest.length;
    return out;
  }

  end(): Line[] {
    const out: Line[] = [];
    if (this.partialBytes > 0) this.emit(out, Buffer.concat(this.pieces).toString('utf8'));
    this.pieces = [];
    this.partialBytes = 0;
    return out;
  }

  private emit(out: Line[], text: string): void {
    this.n++;
    out.push({ line: this.n, text: text.endsWith('\r') ? text.slice(0, -1) : text });
  }
}

/** Lines of a file (BOM dropped), in batches per chunk: the line layer the JSON readers build on. */
export async function* readLines(input: InputFile): AsyncIterable<Line[]> {
  const splitter = new LineSplitter();
  for await (const chunk of withoutBom(input.open())) {
    const batch = splitter.push(chunk);
    if (batch.length > 0) yield batch;
  }
  const last = splitter.end();
  if (last.length > 0) yield last;
}

/** `item` is set for records of a JSON document: their position in its array (there is no line). */
export type JsonItem = { line: number; item?: number; value: unknown } | { line: number; item?: number; error: string };

/** Complete lines held while the format is undecided, past which it is decided with what was seen. */
const MAX_HELD_BYTES = 64 * 1024 * 1024;
/** A first line this long that is still incomplete, with records already read from it, is a one-line document. */
const ONE_LINE_DOCUMENT_BYTES = 1024 * 1024;

/**
 * Feeds a JsonDocument and keeps count of lines, so that where the document breaks is a line number. Bytes
 * that are not UTF-8 are fed as text with U+FFFD in their place (the parser would refuse them; the row is kept,
 * and the input layer warns about the line).
 */
class DocumentFeed {
  readonly doc = new JsonDocument();
  private lines = 0;
  private tail: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the line where the document broke, with why, or undefined. */
  write(chunk: Buffer): { line: number; error: string } | undefined {
    const buf = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const cut = completeLength(buf);
    this.tail = Buffer.from(buf.subarray(cut));
    return this.feed(buf.subarray(0, cut));
  }

  end(): { line: number; error: string } | undefined {
    if (this.tail.length > 0) {
      const broke = this.feed(this.tail);
      if (broke) return broke;
    }
    try {
      this.doc.end();
      return undefined;
    } catch (err) {
      if (!(err instanceof JsonDocumentError)) throw err;
      return { line: this.lastContentLine, error: err.message };
    }
  }

  private feed(body: Buffer): { line: number; error: string } | undefined {
    const bytes = isUtf8(body) ? body : Buffer.from(body.toString('utf8'));
    const start = this.fedBytes;
    this.fedBytes += bytes.length;
    try {
      this.doc.write(bytes === body ? body : bytes.toString('utf8'));
    } catch (err) {
      if (!(err instanceof JsonDocumentError)) throw err;
      const at = Math.min(Math.max(err.offset - start, 0), bytes.length);
      return { line: this.lines + 1 + countNewlines(bytes, at), error: err.message };
    }
    let last = bytes.length - 1;
    while (last >= 0 && WHITESPACE.has(bytes[last] ?? 0)) last--;
    if (last >= 0) this.lastContentLine = this.lines + 1 + countNewlines(bytes, last);
    this.lines += countNewlines(bytes, bytes.length);
    return undefined;
  }

  private fedBytes = 0;
  /** Where a document that ends too soon is reported: its last line with content. */
  private lastContentLine = 1;
}

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(NL); i !== -1 && i < end; i = buf.indexOf(NL, i + 1)) n++;
  return n;
}

/** Length of `buf` without an incomplete UTF-8 character at its end (completed by the next chunk). */
export function completeLength(buf: Buffer): number {
  let i = buf.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return buf.length;
  const lead = buf[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return buf.length - i < need ? i : buf.length;
}

/**
 * Reads JSON Lines (one object per line) or one JSON document (an object, an array of objects, or an
 * envelope such as {"data": [...]}), streaming either. A first line that is a whole object (and no envelope)
 * means JSON Lines. Otherwise the text is read as a document while its first lines are also kept, until the
 * format is clear: two whole-object lines in a row cannot occur in a JSON document, so they mean JSON Lines
 * whose first line is bad (a cut write, a rotated tail); two records read from the document, the line they
 * end on not a whole object, mean a document (from then on nothing but the parser's state is held). If the
 * document breaks before that, text that is mostly whole-object lines is JSON Lines too. Each bad line is then
 * its own issue, so --skip-invalid drops only it. Document items are numbered by their position in the array.
 */
export async function* readJsonRecords(input: InputFile): AsyncIterable<JsonItem[]> {
  let mode = 'start' as 'start' | 'undecided' | 'lines' | 'document';
  const splitter = new LineSplitter();
  let feed: DocumentFeed | undefined = new DocumentFeed();
  let broke: { line: number; error: string } | undefined;
  let held: Line[] = [];
  let heldBytes = 0;
  let previousWhole = false;
  let item = 0;

  const broken = (b: { line: number; error: string }): JsonItem => ({
    line: b.line,
    error: `not valid JSON (${b.error}); a truncated file or mixed formats?`,
  });
  const takeRecords = (out: JsonItem[]): void => {
    if (!feed) return;
    for (const value of feed.doc.records) out.push({ line: 0, item: ++item, value });
    feed.doc.records = [];
  };
  const toLines = (out: JsonItem[]): void => {
    mode = 'lines';
    feed = undefined;
    for (const h of held) pushLine(out, h);
    held = [];
  };
  const toDocument = (out: JsonItem[]): void => {
    mode = 'document';
    held = [];
    takeRecords(out);
  };
  /** Undecided, and the document broke (or there is no more to hold): JSON Lines if most lines are whole objects. */
  const fallBack = (out: JsonItem[]): boolean => {
    const nonEmpty = held.filter((l) => l.text.trim() !== '');
    const whole = nonEmpty.filter((l) => isWholeObject(l.text)).length;
    if (whole > 0 && whole * 2 >= nonEmpty.length) {
      toLines(out);
      return true;
    }
    // Not JSON Lines: the records read before the break stand, as in a document read past its first lines.
    takeRecords(out);
    out.push(broken(broke ?? { line: 1, error: 'unexpected end' }));
    return false;
  };
  const onLine = (out: JsonItem[], l: Line): void => {
    if (mode === 'lines') {
      pushLine(out, l);
      return;
    }
    const blank = l.text.trim() === '';
    if (mode === 'start') {
      if (blank) return;
      const whole = wholeObject(l.text);
      if (whole !== undefined && !isEnvelope(whole)) {
        toLines(out);
        pushLine(out, l);
        return;
      }
      mode = 'undecided';
    }
    const whole = !blank && isWholeObject(l.text);
    if (whole && previousWhole) {
      toLines(out);
      pushLine(out, l);
      return;
    }
    if (!blank) previousWhole = whole;
    held.push(l);
    heldBytes += l.text.length + 1;
  };

  for await (const chunk of withoutBom(input.open())) {
    const out: JsonItem[] = [];
    if (mode !== 'lines' && !broke) broke = feed?.write(chunk);
    if (mode === 'document') {
      takeRecords(out);
      if (broke) out.push(broken(broke));
      if (out.length > 0) yield out;
      if (broke) return;
      continue;
    }
    for (const l of splitter.push(chunk)) onLine(out, l);
    if (mode === 'start' || mode === 'undecided') {
      const records = feed?.doc.records.length ?? 0;
      // A long first line still incomplete that already gave records is a one-line (minified) document.
      const oneLine = splitter.partialBytes > ONE_LINE_DOCUMENT_BYTES;
      if (!broke && records >= 2 && (oneLine || (mode === 'undecided' && !previousWhole))) {
        toDocument(out);
        splitter.end();
      } else if (heldBytes > MAX_HELD_BYTES) {
        if (!broke) {
          toDocument(out);
          splitter.end();
        } else if (!fallBack(out)) {
          yield out;
          return;
        }
      }
    }
    if (out.length > 0) yield out;
  }

  const out: JsonItem[] = [];
  if (mode === 'document') {
    broke ??= feed?.end();
    takeRecords(out);
    if (broke) out.push(broken(broke));
    if (out.length > 0) yield out;
    return;
  }
  for (const l of splitter.end()) onLine(out, l);
  if (mode === 'lines' || mode === 'start') {
    if (out.length > 0) yield out;
    return;
  }
  broke ??= feed?.end();
  if (!broke) toDocument(out);
  else fallBack(out);
  if (out.length > 0) yield out;
}

/** One JSON Lines line: its value, or why it is not JSON; blank lines are no records. */
function pushLine(out: JsonItem[], l: Line): void {
  if (l.text.trim() === '') return;
  try {
    out.push({ line: l.line, value: JSON.parse(l.text) });
  } catch (err) {
    out.push({ line: l.line, error: `not valid JSON (${(err as Error).message})` });
  }
}

/**
 * Whether text that starts `head` is JSON: it opens with { or [, or one of its first complete lines is a
 * whole JSON object (JSON Lines whose first line is cut, e.g. the tail of a record written across files).
 */
export function looksLikeJson(head: string): boolean {
  const text = head.trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return true;
  const lines = text.split('\n');
  lines.pop(); // the last line of a head may be cut by the head's end
  return lines.slice(0, 5).some(isWholeObject);
}

function isWholeObject(text: string): boolean {
  return wholeObject(text) !== undefined;
}

function wholeObject(text: string): Record<string, unknown> | undefined {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  try {
    return JSON.parse(t) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** An object wrapping records under an envelope key ({"data": [...]}): a one-line document, not a JSON Line. */
function isEnvelope(o: Record<string, unknown>): boolean {
  for (const key of ENVELOPES) if (Array.isArray(o[key])) return true;
  return false;
}
