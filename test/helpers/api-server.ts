import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiRequest {
  method: string;
  path: string;
  /** The query as [name, value] pairs, in order (repeated names kept). */
  query: [string, string][];
  headers: IncomingHttpHeaders;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value, or a fixture file's text. */
  body: unknown;
}

/**
 * An API on 127.0.0.1 (a free port) for the CLI under test: `answer` gets each request (and how many earlier ones
 * had the same path) and returns the reply; every request is recorded.
 */
export async function apiServer(answer: (req: ApiRequest, nth: number) => Reply): Promise<{
  origin: string;
  got: ApiRequest[];
  close: () => Promise<void>;
}> {
  const got: ApiRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const r: ApiRequest = { method: req.method ?? '', path: url.pathname, query: [...url.searchParams.entries()], headers: req.headers };
    const nth = got.filter((g) => g.path === r.path).length;
    got.push(r);
    const reply = answer(r, nth);
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    got,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A fixture file's text (served as it is written). */
export const fixtureText = (path: string): string => readFileSync(path, 'utf8');
