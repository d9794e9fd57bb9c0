/** Reading typed fields out of untyped log records, with messages that name the field. */
import { parseDecimalScaled } from '../lib/money.js';
import { isObj, type Obj } from '../lib/objects.js';
import { epochToMs, parseTimestamp } from '../lib/time.js';

export { isObj, type Obj };

export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Follows a dotted path ("metadata.usage_object.cache_read_input_tokens"). */
export function get(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const key of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** A JSON value that some exports write as a JSON-encoded string (LiteLLM payload form). */
export function jsonish(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t);
  } catch {
    return v;
  }
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Longest prefix of a value quoted in a message: a 50 MB field is not echoed to the terminal. */
const QUOTE_CHARS = 60;

/** A value for a message: JSON-quoted (control characters escaped), at most QUOTE_CHARS characters, then "…". */
export function quote(v: unknown): string {
  if (typeof v === 'string') return v.length > QUOTE_CHARS ? `${JSON.stringify(v.slice(0, QUOTE_CHARS))}…` : JSON.stringify(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > QUOTE_CHARS ? `${s.slice(0, QUOTE_CHARS)}…` : s;
}

/** A token count: absent/null/"" is 0; anything else must be a non-negative whole number. */
export function tokens(v: unknown, field: string): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'string' ? Number(v.trim()) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new FieldError(field, `expected a non-negative whole number of tokens, got ${quote(v)}`);
  }
  return n;
}

/** A timestamp: ISO string (naive = UTC), epoch s/ms/µs/ns (by magnitude) as number or string. */
export function time(v: unknown, field: string): number {
  let ms: number | undefined;
  if (typeof v === 'number') ms = epochToMs(v);
  else if (typeof v === 'string') ms = parseTimestamp(v);
  if (ms === undefined) throw new FieldError(field, `expected an ISO 8601 time or epoch seconds, got ${quote(v)}`);
  return ms;
}

/** A USD amount reported as a float (LiteLLM spend): rounded half up to whole nanos. */
export function usd(v: unknown, field: string): bigint | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n =
    typeof v === 'number'
      ? parseDecimalScaled(String(v), 9, true)
      : typeof v === 'string'
        ? parseDecimalScaled(v.trim(), 9, true)
        : undefined;
  if (n === undefined || n < 0n) throw new FieldError(field, `expected a non-negative USD amount, got ${quote(v)}`);
  return n;
}
