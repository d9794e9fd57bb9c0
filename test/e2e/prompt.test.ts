import { createServer, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, runAsync, sandbox, storedRequests } from '../helpers/cli.js';

// A local Bedrock Runtime: the real SDK client talks HTTP/2 (h2c) to it; it records what the SDK sent.
type Seen = { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };
let server: Http2Server;
let port = 0;
let seen: Seen[] = [];
let behaviour: 'ok' | 'denied' | 'invalid' | 'throttled' = 'ok';

const codec = new EventStreamCodec(
  (b: Uint8Array) => Buffer.from(b).toString('utf8'),
  (s: string) => new Uint8Array(Buffer.from(s, 'utf8')),
);
const frame = (type: string, body: unknown): Uint8Array =>
  codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(body))),
  });

const USAGE = { inputTokens: 12_000, outputTokens: 800, totalTokens: 12_800 };

function respond(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, body: string): void {
  const path = String(headers[':path']);
  seen.push({ path, headers, body: body ? JSON.parse(body) : {} });
  const error = (status: number, type: string, message: string): void => {
    stream.respond({ ':status': status, 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': 'req-err' });
    stream.end(JSON.stringify({ message }));
  };
  if (behaviour === 'denied') {
    error(403, 'AccessDeniedException', 'You don\u2019t have access to the model with the specified model ID.');
    return;
  }
  if (behaviour === 'invalid') {
    error(400, 'ValidationException', 'The maximum tokens you requested exceeds the model limit of 4096.');
    return;
  }
  if (behaviour === 'throttled') {
    error(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    return;
  }
  if (path.endsWith('/converse-stream')) {
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'req-stream-1' });
    stream.write(frame('messageStart', { role: 'assistant' }));
    for (const text of ['Cost ', 'is ', 'exact.']) stream.write(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }));
    stream.write(frame('contentBlockStop', { contentBlockIndex: 0 }));
    stream.write(frame('messageStop', { stopReason: 'end_turn' }));
    stream.end(frame('metadata', { usage: USAGE, metrics: { latencyMs: 321 } }));
    return;
  }
  stream.respond({ ':status': 200, 'content-type': 'application/json', 'x-amzn-requestid': 'req-converse-1' });
  stream.end(
    JSON.stringify({
      output: { message: { role: 'assistant', content: [{ text: 'Hello from Bedrock.' }] } },
      stopReason: 'end_turn',
      usage: { ...USAGE, cacheReadInputTokens: 2_000, cacheWriteInputTokens: 0 },
      metrics: { latencyMs: 123 },
    }),
  );
}

beforeAll(async () => {
  server = createServer();
  server.on('stream', (stream, headers) => {
    let body = '';
    stream.on('data', (d) => {
      body += d;
    });
    stream.on('end', () => respond(stream, headers, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
  seen = [];
  behaviour = 'ok';
});
afterEach(() => sb.dispose());

const aws = (): Record<string, string> => ({
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: `http://127.0.0.1:${port}`,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_REGION: 'us-east-1',
});

type Prompt = {
  answer: string;
  usage: Record<string, number>;
  costNanos: number;
  costUsd: string;
  model: string;
  recorded: boolean;
  requestId: string;
};

describe('llmcost prompt', () => {
  it('sends one Converse request through the real SDK and prints the exact cost', async () => {
    const r = await runAsync(
      sb,
      ['prompt', 'SECRET-PROMPT-TEXT: say hello', '--model', 'claude-3-haiku', '--system', 'Be brief.', '--max-tokens', '200', '--json'],
      { env: aws() },
    );
    expect(r.status).toBe(0);
    const j = json<Prompt>(r);
    // 12,000 × $0.25 + 800 × $1.25 per 1M; Claude 3 Haiku on Bedrock has no cache-read price, so the 2,000 cache reads fall back to input: 2,000 × $0.25.
    expect(j).toMatchObject({
      answer: 'Hello from Bedrock.',
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
      costNanos: 4_500_000,
      costUsd: '0.004500000',
      recorded: true,
      requestId: 'req-converse-1',
    });
    expect(j.usage).toEqual({ inputTokens: 12_000, outputTokens: 800, cacheReadTokens: 2_000, cacheWriteTokens: 0 });
    // The recorded request carries Bedrock's metrics.latencyMs (123) and no failure, for `llmcost health`.
    const h = json<{ total: Record<string, unknown> }>(sb.run(['health', '--json']));
    expect(h.total).toMatchObject({ requests: 1, failures: 0, cacheHits: null, latencyRequests: 1, latencyP50Ms: 123 });
    // What the SDK sent: the model in the path, SigV4-signed, our messages and inference config.
    expect(seen[0]?.path).toBe(`/model/${encodeURIComponent('anthropic.claude-3-haiku-20240307-v1:0')}/converse`);
    expect(String(seen[0]?.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
    expect(seen[0]?.body).toMatchObject({
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 200 },
      messages: [{ role: 'user' }],
    });
    // Recorded like any usage, without the prompt text.
    const report = json<{ rows: { group: { source: string }; costNanos: number; requests: number }[] }>(
      sb.run(['report', '--by', 'source', '--json']),
    );
    expect(report.rows).toEqual([expect.objectContaining({ group: { source: 'prompt' }, costNanos: 4_500_000, requests: 1 })]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(sb.db).includes('SECRET-PROMPT-TEXT')).toBe(false);
  });

  it('streams with ConverseStream (event-stream frames) and prints the answer as it comes', async () => {
    const r = await runAsync(sb, ['prompt', 'hello', '--model', 'nova-lite', '--stream', '--no-record'], { env: aws() });
    expect(r.status).toBe(0);
    expect(seen[0]?.path).toBe(`/model/${encodeURIComponent('amazon.nova-lite-v1:0')}/converse-stream`);
    expect(r.stdout).toBe('Cost is exact.\n');
    // 12,000 × $0.06 + 800 × $0.24 per 1M = $0.000912.
    expect(r.stderr).toContain('amazon.nova-lite-v1:0 · 12000 input + 800 output tokens · $0.000912 (0.000912000 USD) · 321 ms');
    expect(storedRequests(sb.db)).toBe(0); // --no-record
  });

  it('reads the prompt from stdin and leaves the database alone with --no-record', async () => {
    const r = await runAsync(sb, ['prompt', '--model', 'claude-3-haiku', '--no-record', '--json'], { env: aws(), input: 'from stdin' });
    expect(json<Prompt>(r).recorded).toBe(false);
    expect(JSON.stringify(seen[0]?.body)).toContain('from stdin');
  });

  it.each([
    ['denied', 4, 'Access denied for anthropic.claude-3-haiku-20240307-v1:0 in us-east-1'],
    ['invalid', 2, 'Bedrock rejected the request: The maximum tokens you requested exceeds the model limit of 4096.'],
    ['throttled', 4, 'Bedrock throttled the request after retries'],
  ] as const)('explains a %s error and exits %i', async (kind, code, message) => {
    behaviour = kind;
    const r = await runAsync(sb, ['prompt', 'hi', '--model', 'claude-3-haiku'], { env: aws() });
    expect(r.status).toBe(code);
    expect(r.stderr).toContain(message);
  });

  it('says when there are no credentials', async () => {
    const env = aws();
    const r = await runAsync(sb, ['prompt', 'hi'], {
      env: {
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ?? '',
        AWS_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('No AWS credentials');
    expect(seen).toEqual([]);
  });

  it('refuses to send when a budget for it is already exceeded, unless --force', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${sb.dir}/llmcost.config.json`, JSON.stringify({ budgets: [{ name: 'tiny', period: 'daily', amountUsd: 0.001 }] }));
    expect((await runAsync(sb, ['prompt', 'one', '--model', 'claude-3-haiku'], { env: aws() })).status).toBe(0); // spends $0.0045
    const r = await runAsync(sb, ['prompt', 'two', '--model', 'claude-3-haiku'], { env: aws() });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Budget "tiny" is already exceeded');
    expect(seen).toHaveLength(1);
    expect((await runAsync(sb, ['prompt', 'two', '--model', 'claude-3-haiku', '--force'], { env: aws() })).status).toBe(0);
  });

  it('estimates without sending', async () => {
    const r = await runAsync(sb, ['prompt', 'x'.repeat(4000), '--model', 'claude-3-haiku', '--max-tokens', '100', '--estimate', '--json'], {
      env: aws(),
    });
    // 1,000 input tokens × $0.25/M = $0.00025; + 100 × $1.25/M = $0.000375.
    expect(json(r)).toMatchObject({ estimatedInputTokens: 1000, minNanos: 250_000, maxNanos: 375_000 });
    expect(seen).toEqual([]);
  });
});
