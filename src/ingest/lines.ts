/** Line and JSON-record reading shared by the log adapters. Streams: a file is never held whole. */
import { StringDecoder } from 'node:string_decoder';
import type { InputFile } from './types.js';

export interface Line {
  line: number;
  text: string;
}

/** Yields the file's lines in batches (one batch per chunk read), numbered from 1. */
export async function* readLines(input: InputFile): AsyncIterable<Line[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let n = 0;
  for await (const chunk of input.open()) {
    const text = rest + decoder.write(chunk as Buffer);
    const batch: Line[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      n++;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      batch.push({ line: n, text: text.slice(start, end) });
      start = nl + 1;
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  rest += decoder.end();
  if (rest.length > 0) yield [{ line: n + 1, text: rest.endsWith('\r') ? rest.slice(0, -1) : rest }];
}

/** `item` is set for records of a JSON document: their position in its array (there is no line). */
export type JsonItem = { line: number; item?: number; value: unknown } | { line: number; item?: number; error: string };

/** Keys under which JSON documents wrap their records: LiteLLM /spend/logs/v2 `data`, CloudWatch `events`. */
const ENVELOPES = ['data', 'events', 'logs', 'records', 'Records'];

/** Largest single JSON document read whole (JSON Lines files have no limit). */
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/**
 * Reads JSON Lines (one object per line) or one JSON document (an object, an array of objects, or an
 * envelope such as {"data": [...]}). A first line that is a whole object means JSON Lines. Otherwise the
 * lines are held until the format is clear: two whole-object lines in a row cannot occur in a JSON
 * document, so they mean JSON Lines whose first line is bad (a cut write, a rotated tail); at the end,
 * text that does not parse as one document but is mostly whole-object lines is JSON Lines too. Each bad
 * line is then its own issue, so --skip-invalid drops only it. Document items are numbered by their
 * position in the array (reported as the line).
 */
export async function* readJsonRecords(input: InputFile): AsyncIterable<JsonItem[]> {
  let mode: 'lines' | 'undecided' | undefined;
  let held: Line[] = [];
  let heldBytes = 0;
  let previousWhole = false;
  for await (const batch of readLines(input)) {
    const out: JsonItem[] = [];
    for (const l of batch) {
      if (mode === undefined) {
        if (l.text.trim() === '') continue;
        mode = isWholeObject(l.text) ? 'lines' : 'undecided';
      }
      if (mode === 'undecided') {
        const whole = l.text.trim() !== '' && isWholeObject(l.text);
        if (whole && previousWhole) {
          mode = 'lines';
          for (const h of held) pushLine(out, h);
          held = [];
          pushLine(out, l);
          continue;
        }
        if (l.text.trim() !== '') previousWhole = whole;
        heldBytes += l.text.length + 1;
        if (heldBytes > MAX_DOCUMENT_BYTES) {
          out.push({ line: l.line, error: 'a single JSON document over 512 MB: export it as JSON Lines (one object per line) instead' });
          yield out;
          return;
        }
        held.push(l);
        continue;
      }
      pushLine(out, l);
    }
    if (out.length > 0) yield out;
  }
  if (mode !== 'undecided') return;
  const text = held.map((l) => l.text).join('\n');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const nonEmpty = held.filter((l) => l.text.trim() !== '');
    const whole = nonEmpty.filter((l) => isWholeObject(l.text)).length;
    if (whole > 0 && whole * 2 >= nonEmpty.length) {
      const out: JsonItem[] = [];
      for (const l of held) pushLine(out, l);
      yield out;
      return;
    }
    const pos = /position (\d+)/.exec((err as Error).message)?.[1];
    const line = pos === undefined ? 1 : text.slice(0, Number(pos)).split('\n').length;
    yield [{ line, error: `not valid JSON (${(err as Error).message}); a truncated file or mixed formats?` }];
    return;
  }
  held = [];
  yield unwrapDocument(value);
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
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

export function unwrapDocument(value: unknown): JsonItem[] {
  let items: unknown[] = [value];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'object' && value !== null) {
    for (const key of ENVELOPES) {
      const inner = (value as Record<string, unknown>)[key];
      if (Array.isArray(inner)) {
        items = inner;
        break;
      }
    }
  }
  return items.map((v, i) => ({ line: 0, item: i + 1, value: v }));
}
