import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, HttpError, retryAfterMs } from './http.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server on 127.0.0.1:0 that answers each request with the next reply (the last repeats). */
async function serve(replies: ((res: ServerResponse) => void)[]): Promise<{ url: string; hits: () => number }> {
  let n = 0;
  const server = createServer((_req, res) => {
    const reply = replies[Math.min(n, replies.length - 1)];
    n++;
    reply?.(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/x?a=1`, hits: () => n };
}

const reply =
  (status: number, body: string, headers: Record<string, string> = {}) =>
  (res: ServerResponse): void => {
    res.writeHead(status, headers);
    res.end(body);
  };

describe('getJson', () => {
  it('waits as long as Retry-After says after a 429, then returns the JSON', async () => {
    const s = await serve([reply(429, '{}', { 'retry-after': '3' }), reply(200, '{"ok":true}')]);
    const waits: number[] = [];
    const retries: unknown[] = [];
    const body = await getJson(s.url, { headers: {}, sleep: async (ms) => void waits.push(ms), onRetry: (r) => retries.push(r) });
    expect(body).toEqual({ ok: true });
    expect(waits).toEqual([3000]);
    expect(retries).toEqual([{ attempt: 1, attempts: 5, status: 429, reason: 'HTTP 429', waitMs: 3000 }]);
  });

  it('backs off exponentially on 5xx without Retry-After, bounded by maxWaitMs, and gives up after the attempts', async () => {
    const s = await serve([reply(502, 'bad gateway')]);
    const waits: number[] = [];
    const err = await getJson(s.url, {
      headers: {},
      attempts: 4,
      baseDelayMs: 100,
      maxWaitMs: 300,
      sleep: async (ms) => void waits.push(ms),
    }).catch((e: unknown) => e);
    expect(waits).toEqual([100, 200, 300]);
    expect(s.hits()).toBe(4);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ message: 'HTTP 502 (after 4 attempts)', status: 502, body: 'bad gateway', attempts: 4 });
  });

  it('cuts a long Retry-After to maxWaitMs', async () => {
    const s = await serve([reply(503, '', { 'retry-after': '3600' }), reply(200, '[]')]);
    const waits: number[] = [];
    expect(await getJson(s.url, { headers: {}, maxWaitMs: 60_000, sleep: async (ms) => void waits.push(ms) })).toEqual([]);
    expect(waits).toEqual([60_000]);
  });

  it('fails at once on a status a retry cannot fix (401, 404) and on a body that is not JSON', async () => {
    const s = await serve([reply(401, '{"error":{"message":"bad key"}}')]);
    const waits: number[] = [];
    await expect(getJson(s.url, { headers: {}, sleep: async (ms) => void waits.push(ms) })).rejects.toMatchObject({
      status: 401,
      attempts: 1,
    });
    expect(waits).toEqual([]);
    const html = await serve([reply(200, '<html>login</html>')]);
    await expect(getJson(html.url, { headers: {} })).rejects.toMatchObject({ message: 'HTTP 200, but the body is not JSON' });
  });

  it('retries a connection that is refused, and says why', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const waits: number[] = [];
    const err = await getJson(`http://127.0.0.1:${port}/v1/x`, {
      headers: {},
      attempts: 2,
      sleep: async (ms) => void waits.push(ms),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: 'ECONNREFUSED (after 2 attempts)', status: undefined });
    expect(waits).toEqual([1000]);
  });

  it('sends the caller headers with accept and user-agent', async () => {
    let seen: Record<string, unknown> = {};
    const server = createServer((req, res) => {
      seen = req.headers;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    await getJson(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { 'x-api-key': 'k' } });
    expect(seen).toMatchObject({ 'x-api-key': 'k', accept: 'application/json', 'user-agent': 'llmcost' });
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 9, 4, 12);
  it.each([
    ['2', 2000],
    [' 0 ', 0],
    ['Sun, 04 Oct 2026 12:00:30 GMT', 30_000],
    ['Sun, 04 Oct 2026 11:00:00 GMT', 0],
    ['soon', undefined],
  ])('%j → %j ms', (value, ms) => {
    expect(retryAfterMs(value, now)).toBe(ms);
  });
  it('is undefined without the header', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
