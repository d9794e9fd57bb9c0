/**
 * POSTs one JSON body to one webhook, retrying what a retry can fix: a network error, 408, 429 and 5xx. The
 * delay doubles from `backoffMs` unless the server says how long with Retry-After (seconds or a date). Never
 * throws: the result says what happened, in words free of the URL.
 */
import { retriable, retryAfterMs } from '../lib/http.js';
import { redactUrl, scrub } from './targets.js';

export interface SendOptions {
  /** First delay between attempts (LLMCOST_NOTIFY_BACKOFF_MS); each retry doubles it. */
  backoffMs: number;
  /** Attempts in all, the first included. */
  attempts?: number;
  timeoutMs?: number;
  headers?: Record<string, string>;
  now?: () => number;
  /** How to wait between attempts (tests record the delays instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
}

export interface SendResult {
  ok: boolean;
  attempts: number;
  /** The last HTTP status, when a response came. */
  status?: number;
  /** Why it failed, safe to print. */
  error?: string;
}

/** The longest wait llmcost accepts from a Retry-After header; a longer one is cut to this. */
const MAX_WAIT_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function postJson(url: string, body: string, o: SendOptions): Promise<SendResult> {
  const attempts = o.attempts ?? 4;
  const now = o.now ?? Date.now;
  let last: SendResult = { ok: false, attempts: 0 };
  for (let i = 0; i < attempts; i++) {
    let wait = o.backoffMs * 2 ** i;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'llmcost', ...o.headers },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      const text = (await res.text()).slice(0, 300);
      // Teams connectors answer a throttled request with 200 and this text instead of a 429.
      const throttled = res.ok && text.includes('HTTP error 429');
      if (res.ok && !throttled) return { ok: true, attempts: i + 1, status: res.status };
      const detail = text.trim() === '' ? '' : `: ${JSON.stringify(text.trim().replace(/\s+/g, ' ').slice(0, 200))}`;
      last = { ok: false, attempts: i + 1, status: res.status, error: scrub(`HTTP ${res.status}${detail}`, [url]) };
      if (!retriable(res.status) && !throttled) return last;
      wait = retryAfterMs(res.headers.get('retry-after'), now()) ?? wait;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const why =
        e.name === 'TimeoutError' ? `no answer in ${(o.timeoutMs ?? 10_000) / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
      last = { ok: false, attempts: i + 1, error: scrub(`${why}`, [url]) };
    }
    if (i < attempts - 1) await (o.sleep ?? sleep)(Math.min(wait, MAX_WAIT_MS));
  }
  return { ...last, error: `${last.error ?? 'failed'} (after ${last.attempts} attempts)` };
}

/** "https://hooks.slack.com/…: HTTP 404 …": the line a failed send adds to stderr. */
export function failureText(url: string, r: SendResult): string {
  return `${redactUrl(url)}: ${r.error ?? 'failed'}`;
}
