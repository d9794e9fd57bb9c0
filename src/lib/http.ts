/**
 * GET a JSON document, retrying what a retry can fix, as the AWS SDK's standard mode does: a network error, a
 * timeout, 408, 429 and 5xx. The delay doubles from `baseDelayMs` unless the server says how long with Retry-After
 * (seconds or an HTTP date), bounded by `maxWaitMs`. Other statuses fail at once. Knows nothing of API keys: the
 * caller passes its headers and words the errors.
 */

export interface GetOptions {
  headers: Record<string, string>;
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** First delay when the server gives no Retry-After (default 1000 ms); each retry doubles it. */
  baseDelayMs?: number;
  /** The longest wait between attempts; a longer Retry-After is cut to this (default 60 s). */
  maxWaitMs?: number;
  timeoutMs?: number;
  now?: () => number;
  /** How to wait between attempts (tests record the delays instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each wait: why the attempt failed and how long until the next one. */
  onRetry?: (r: { attempt: number; attempts: number; status?: number; reason: string; waitMs: number }) => void;
}

/** A request that failed for good: the last HTTP status (when a response came) and the start of its body. */
export class HttpError extends Error {
  readonly status: number | undefined;
  readonly body: string;
  readonly attempts: number;
  constructor(message: string, status: number | undefined, body: string, attempts: number) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
    this.attempts = attempts;
  }
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const t = value.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A status a retry can fix: 408, 429 and 5xx. */
export const retriable = (status: number): boolean => status === 408 || status === 429 || status >= 500;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function getJson(url: string, o: GetOptions): Promise<unknown> {
  const attempts = o.attempts ?? 5;
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 60_000;
  let last = new HttpError('no attempt', undefined, '', 0);
  for (let i = 0; i < attempts; i++) {
    let wait = (o.baseDelayMs ?? 1000) * 2 ** i;
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json', 'user-agent': 'llmcost', ...o.headers },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.ok) {
        try {
          return JSON.parse(text);
        } catch {
          throw new HttpError(`HTTP ${res.status}, but the body is not JSON`, res.status, text.slice(0, 300), i + 1);
        }
      }
      last = new HttpError(`HTTP ${res.status}`, res.status, text.slice(0, 300), i + 1);
      if (!retriable(res.status)) throw last;
      wait = retryAfterMs(res.headers.get('retry-after'), now()) ?? wait;
    } catch (err) {
      if (err instanceof HttpError) throw err;
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const why = e.name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
      last = new HttpError(why, undefined, '', i + 1);
    }
    if (i < attempts - 1) {
      const waitMs = Math.min(wait, o.maxWaitMs ?? 60_000);
      o.onRetry?.({
        attempt: i + 1,
        attempts,
        ...(last.status === undefined ? {} : { status: last.status }),
        reason: last.message,
        waitMs,
      });
      await (o.sleep ?? sleep)(waitMs);
    }
  }
  throw new HttpError(`${last.message} (after ${attempts} attempts)`, last.status, last.body, attempts);
}
