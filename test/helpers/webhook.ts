import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook on 127.0.0.1 (a free port) for the CLI under test to post to: it records each request and answers
 * with the next of `replies` (the last one repeats). Its URL carries a secret path and query, which no output
 * may show.
 */
export async function webhookServer(replies: ((res: ServerResponse) => void)[] = [answer(200, 'ok')]): Promise<{
  url: string;
  origin: string;
  got: Received[];
  close: () => Promise<void>;
}> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body });
      replies[Math.min(got.length - 1, replies.length - 1)]?.(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/services/T0001/B0001/SECRET-TOKEN?sig=SECRET-SIG`,
    origin,
    got,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export const answer =
  (status: number, body = '', headers: Record<string, string> = {}) =>
  (res: ServerResponse): void => {
    res.writeHead(status, headers);
    res.end(body);
  };
