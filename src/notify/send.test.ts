import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { retryAfterMs } from '../lib/http.js';
import { postJson } from './send.js';

/** A webhook on 127.0.0.1:0 that answers each request with the next reply and records what it got. */
async function webhook(replies: ((res: ServerResponse) => void)[]): Promise<{
  url: string;
  got: { path: string; headers: IncomingMessage['headers']; body: string }[];
  server: Server;
}> {
  const got: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body });
      const reply = replies[Math.min(got.length - 1, replies.length - 1)];
      reply?.(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}/services/T000/B000/SECRET-TOKEN?sig=SECRET-SIG`, got, server };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const status =
  (code: number, body = '', headers: Record<string, string> = {}) =>
  (res: ServerResponse): void => {
    res.writeHead(code, headers);
    res.end(body);
  };

describe('postJson', () => {
  it('posts the body once as JSON when the webhook answers 200', async () => {
    const w = await webhook([status(200, 'ok')]);
    const waits: number[] = [];
    const r = await postJson(w.url, '{"text":"hi"}', { backoffMs: 1000, sleep: async (ms) => void waits.push(ms) });
    expect(r).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(waits).toEqual([]);
    expect(w.got).toHaveLength(1);
    expect(w.got[0]).toMatchObject({ path: '/services/T000/B000/SECRET-TOKEN?sig=SECRET-SIG', body: '{"text":"hi"}' });
    expect(w.got[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('waits as long as Retry-After says after a 429, then succeeds with the same body', async () => {
    const w = await webhook([status(429, 'rate_limited', { 'retry-after': '2' }), status(200, 'ok')]);
    const waits: number[] = [];
    const r = await postJson(w.url, '{"n":1}', { backoffMs: 1000, sleep: async (ms) => void waits.push(ms) });
    expect(r).toEqual({ ok: true, attempts: 2, status: 200 });
    expect(waits).toEqual([2000]);
    expect(w.got.map((g) => g.body)).toEqual(['{"n":1}', '{"n":1}']);
  });

  it('doubles the delay on 5xx and gives up after 4 attempts, saying why without the URL', async () => {
    const w = await webhook([status(503, 'upstream down')]);
    const waits: number[] = [];
    const r = await postJson(w.url, '{}', { backoffMs: 100, sleep: async (ms) => void waits.push(ms) });
    expect(r).toEqual({ ok: false, attempts: 4, status: 503, error: 'HTTP 503: "upstream down" (after 4 attempts)' });
    expect(waits).toEqual([100, 200, 400]);
    expect(w.got).toHaveLength(4);
  });

  it('does not retry a 4xx other than 408 and 429 (a wrong or revoked URL)', async () => {
    const w = await webhook([status(404, 'no_service')]);
    const r = await postJson(w.url, '{}', { backoffMs: 100, sleep: async () => {} });
    expect(r).toEqual({ ok: false, attempts: 1, status: 404, error: 'HTTP 404: "no_service"' });
    expect(w.got).toHaveLength(1);
  });

  it('retries a Teams connector that answers 200 with "HTTP error 429" in the body', async () => {
    const w = await webhook([status(200, 'Microsoft Teams endpoint returned HTTP error 429 with ContextId …'), status(200, '1')]);
    const waits: number[] = [];
    const r = await postJson(w.url, '{}', { backoffMs: 50, sleep: async (ms) => void waits.push(ms) });
    expect(r).toEqual({ ok: true, attempts: 2, status: 200 });
    expect(waits).toEqual([50]);
  });

  it('caps a long Retry-After at 30 s', async () => {
    const w = await webhook([status(429, '', { 'retry-after': '3600' }), status(200)]);
    const waits: number[] = [];
    await postJson(w.url, '{}', { backoffMs: 10, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([30_000]);
  });

  it('reports a refused connection after its retries, and never the URL in the message', async () => {
    const w = await webhook([status(200)]);
    await new Promise((r) => w.server.close(r));
    const r = await postJson(w.url, '{}', { backoffMs: 1, attempts: 2, sleep: async () => {} });
    expect(r).toEqual({ ok: false, attempts: 2, error: 'ECONNREFUSED (after 2 attempts)' });
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 9, 15, 18);
  it.each([
    ['0', 0],
    ['7', 7000],
    [' 12 ', 12_000],
    ['Thu, 15 Oct 2026 18:00:05 GMT', 5000],
    ['Thu, 15 Oct 2026 17:59:00 GMT', 0],
    ['soon', undefined],
  ])('%j → %j ms', (value, ms) => {
    expect(retryAfterMs(value, now)).toBe(ms);
  });
  it('is undefined without the header', () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
