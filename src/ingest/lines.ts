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
 * envelope such as {"data": [...]}), deciding by whether the first non-empty line is a whole object.
 * Document items are numbered by their position in the array (reported as the line).
 */
export async function* readJsonRecords(input: InputFile): AsyncIterable<JsonItem[]> {
  let mode: 'lines' | 'document' | undefined;
  let doc: string[] = [];
  let docBytes = 0;
  for await (const batch of readLines(input)) {
    const out: JsonItem[] = [];
    for (const l of batch) {
      if (mode === undefined) {
        if (l.text.trim() === '') continue;
        mode = isWholeObject(l.text) ? 'lines' : 'document';
      }
      if (mode === 'document') {
        docBytes += l.text.length + 1;
        if (docBytes > MAX_DOCUMENT_BYTES) {
          out.push({ line: l.line, error: 'a single JSON document over 512 MB: export it as JSON Lines (one object per line) instead' });
          yield out;
          return;
        }
        doc.push(l.text);
        continue;
      }
      if (l.text.trim() === '') continue;
      try {
        out.push({ line: l.line, value: JSON.parse(l.text) });
      } catch (err) {
        out.push({ line: l.line, error: `not valid JSON (${(err as Error).message})` });
      }
    }
    if (out.length > 0) yield out;
  }
  if (mode !== 'document') return;
  const text = doc.join('\n');
  doc = [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message)?.[1];
    const line = pos === undefined ? 1 : text.slice(0, Number(pos)).split('\n').length;
    yield [{ line, error: `not valid JSON (${(err as Error).message}); a truncated file or mixed formats?` }];
    return;
  }
  yield unwrapDocument(value);
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
