/**
 * Issue 12, malformed values: one row per case, each with a generator for its input, the command, the exit code,
 * a fragment of the message, and a check that the database is unchanged (rows and file bytes). Each case's file
 * holds one good line before the bad one: with --skip-invalid the good line is stored and the bad one listed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox, storedRequests } from '../helpers/cli.js';

const DAY = 86_400_000;
const CSV_HEADER = 'timestamp,model,input_tokens,output_tokens,user,cost,requests,api_key,tags';
const csvRow = (
  over: Partial<Record<'ts' | 'model' | 'in' | 'out' | 'user' | 'cost' | 'requests' | 'key' | 'tags', string>> = {},
): string =>
  [
    over.ts ?? '2026-10-01T09:00:00Z',
    over.model ?? 'gpt-4o',
    over.in ?? '1000',
    over.out ?? '100',
    over.user ?? 'alice',
    over.cost ?? '',
    over.requests ?? '',
    over.key ?? '',
    over.tags ?? '',
  ].join(',');
const csv = (bad: string): string => `${CSV_HEADER}\n${csvRow()}\n${bad}\n`;

const litellmLine = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    request_id: `req-${Math.random().toString(36).slice(2)}`,
    call_type: 'acompletion',
    spend: 0.00125,
    prompt_tokens: 300,
    completion_tokens: 50,
    startTime: '2026-10-01T09:00:00Z',
    model: 'gpt-4o',
    custom_llm_provider: 'openai',
    user: 'alice',
    metadata: { user_api_key_alias: 'search-backend' },
    status: 'success',
    ...over,
  });
const litellm = (over: Record<string, unknown>): string => `${litellmLine({ request_id: 'good-1' })}\n${litellmLine(over)}\n`;

const bedrockLine = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
    timestamp: '2026-10-01T09:00:00Z',
    accountId: '111122223333',
    identity: { arn: 'arn:aws:sts::111122223333:assumed-role/app/etl' },
    region: 'us-east-1',
    requestId: `r-${Math.random().toString(36).slice(2)}`,
    operation: 'Converse',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    input: { inputTokenCount: 1000 },
    output: { outputTokenCount: 100 },
    ...over,
  });
const bedrock = (over: Record<string, unknown>): string => `${bedrockLine({ requestId: 'good-1' })}\n${bedrockLine(over)}\n`;

const claudeLine = (id: string, usage: Record<string, unknown>, timestamp = '2026-10-01T09:00:00.000Z'): string =>
  JSON.stringify({
    parentUuid: null,
    sessionId: 's-1',
    cwd: '/home/dev/shop',
    type: 'assistant',
    message: {
      model: 'claude-sonnet-4-5-20250929',
      id,
      role: 'assistant',
      content: [],
      usage: { input_tokens: 5, output_tokens: 10, ...usage },
    },
    requestId: `req-${id}`,
    uuid: id,
    timestamp,
  });

/** The instant two years from the real clock: beyond the plausible range (now + 1 year) whenever the test runs. */
const twoYearsAhead = new Date(Date.now() + 2 * 366 * DAY).toISOString().slice(0, 10);

interface Case {
  name: string;
  file: string;
  generate: () => string;
  args: string[];
  status: number;
  message: string | RegExp;
  /** false: the whole file is refused (not a line that --skip-invalid can drop). */
  skippable?: boolean;
}

const CASES: Case[] = [
  // 1. Timestamps out of the plausible range [2015-01-01, now + 1 year], or not times at all.
  {
    name: 'csv: year 1900',
    file: 'y1900.csv',
    generate: () => csv(csvRow({ ts: '1900-01-01T00:00:00Z' })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'y1900.csv:3: field "timestamp": 1900-01-01T00:00:00.000Z is outside the plausible range 2015-01-01 to ',
  },
  {
    name: 'csv: year 9999',
    file: 'y9999.csv',
    generate: () => csv(csvRow({ ts: '9999-12-31' })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'y9999.csv:3: field "timestamp": 9999-12-31T00:00:00.000Z is outside the plausible range',
  },
  {
    name: 'csv: year 0026 stays 0026 (not 1926)',
    file: 'y0026.csv',
    generate: () => csv(csvRow({ ts: '0026-03-01T10:00:00Z' })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'y0026.csv:3: field "timestamp": 0026-03-01T10:00:00.000Z is outside',
  },
  {
    name: 'csv: year 0099 stays 0099 (not 1999)',
    file: 'y0099.csv',
    generate: () => csv(csvRow({ ts: '0099-12-31' })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'y0099.csv:3: field "timestamp": 0099-12-31T00:00:00.000Z is outside',
  },
  {
    name: 'csv: two years ahead',
    file: 'ahead.csv',
    generate: () => csv(csvRow({ ts: twoYearsAhead })),
    args: ['ingest', 'csv'],
    status: 2,
    message: `ahead.csv:3: field "timestamp": ${twoYearsAhead}T00:00:00.000Z is outside the plausible range`,
  },
  {
    name: 'csv: epoch 0 (1970)',
    file: 'epoch0.csv',
    generate: () => csv(csvRow({ ts: '0' })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'epoch0.csv:3: field "timestamp": 1970-01-01T00:00:00.000Z is outside',
  },
  {
    name: 'csv: offset +25:00',
    file: 'offset.csv',
    generate: () => csv(csvRow({ ts: '2026-10-01T10:00:00+25:00' })),
    args: ['ingest', 'csv'],
    status: 2,
    message:
      'offset.csv:3: column "timestamp": expected an ISO 8601 date or date-time, or epoch seconds/ms/µs/ns, got "2026-10-01T10:00:00+25:00"',
  },
  {
    name: 'csv: epoch 1e20 (no unit reaches it)',
    file: 'e20.csv',
    generate: () => csv(csvRow({ ts: '100000000000000000000' })),
    args: ['ingest', 'csv'],
    status: 2,
    message:
      'e20.csv:3: column "timestamp": expected an ISO 8601 date or date-time, or epoch seconds/ms/µs/ns, got "100000000000000000000"',
  },
  {
    name: 'litellm: startTime 1e20 as a number',
    file: 'e20.jsonl',
    generate: () => litellm({ startTime: 1e20 }),
    args: ['ingest', 'litellm'],
    status: 2,
    message: 'e20.jsonl:2: field "startTime": expected an ISO 8601 time or epoch seconds, got 100000000000000000000',
  },
  {
    name: 'litellm: startTime in ns of year 2200',
    file: 'ns2200.jsonl',
    generate: () => litellm({ startTime: 7.26e18 }),
    args: ['ingest', 'litellm'],
    status: 2,
    message: /ns2200\.jsonl:2: field "timestamp": 2200-\d\d-\d\dT[\d:.]+Z is outside the plausible range/,
  },
  {
    name: 'bedrock-log: timestamp 1900',
    file: 'b1900.jsonl',
    generate: () => bedrock({ timestamp: '1900-06-01T00:00:00Z' }),
    args: ['ingest', 'bedrock-log'],
    status: 2,
    message: 'b1900.jsonl:2: field "timestamp": 1900-06-01T00:00:00.000Z is outside',
  },
  // 2. Costs, tokens and requests that would overflow sums (or are unit mistakes).
  {
    name: 'csv: cost $5e9',
    file: 'cost.csv',
    generate: () => csv(csvRow({ cost: '5000000000' })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'cost.csv:3: field "cost": $5,000,000,000.00 is more than the $1,000,000.00 one row may cost',
  },
  {
    name: 'litellm: spend 1e10',
    file: 'spend.jsonl',
    generate: () => litellm({ spend: 1e10 }),
    args: ['ingest', 'litellm'],
    status: 2,
    message: 'spend.jsonl:2: field "cost": $10,000,000,000.00 is more than the $1,000,000.00 one row may cost',
  },
  {
    name: 'csv: 2^53 - 1 input tokens',
    file: 'tokens.csv',
    generate: () => csv(csvRow({ in: String(Number.MAX_SAFE_INTEGER) })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'tokens.csv:3: field "input_tokens": 9,007,199,254,740,991 is more than the 1,000,000,000,000 tokens one row may hold',
  },
  {
    name: 'csv: Opus tokens within the token limit that price above $1,000,000',
    file: 'opus.csv',
    generate: () => csv(csvRow({ model: 'claude-opus-4-1', in: '999999999999', out: '999999999999' })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'opus.csv:3: field "tokens": the tokens price at $90,000,000.00, more than the $1,000,000.00 one row may cost',
  },
  {
    name: 'csv: 10^10 requests on one row',
    file: 'requests.csv',
    generate: () => csv(csvRow({ requests: '10000000000' })),
    args: ['ingest', 'csv'],
    status: 2,
    message: 'requests.csv:3: field "requests": 10,000,000,000 is more than the 1,000,000,000 one row may hold',
  },
  {
    name: 'claude-code: 10^13 output tokens',
    file: 'out.jsonl',
    generate: () => `${claudeLine('m1', {})}\n${claudeLine('m2', { output_tokens: 1e13 })}\n`,
    args: ['ingest', 'claude-code'],
    status: 2,
    message: 'out.jsonl:2: field "output_tokens": 10,000,000,000,000 is more than the 1,000,000,000,000 tokens one row may hold',
  },
  // 3. Field sizes: capped, and never echoed whole.
  {
    name: 'csv: a 2 MB user name',
    file: 'user.csv',
    generate: () => csv(csvRow({ user: 'u'.repeat(2_000_000) })),
    args: ['ingest', 'csv'],
    status: 2,
    message: `user.csv:3: field "user": 2,000,000 characters, more than the 1,000 a value may have: "${'u'.repeat(60)}"…`,
  },
  {
    name: 'litellm: a 5,000-character request tag',
    file: 'tag.jsonl',
    generate: () => litellm({ request_tags: [`feature:${'x'.repeat(5000)}`] }),
    args: ['ingest', 'litellm'],
    status: 2,
    message: 'tag.jsonl:2: field "tags": 5,008 characters, more than the 1,000 a value may have: "feature:xxxx',
  },
  {
    name: 'bedrock-log: a 5,000-character model id',
    file: 'model.jsonl',
    generate: () => bedrock({ modelId: `anthropic.${'m'.repeat(4990)}` }),
    args: ['ingest', 'bedrock-log'],
    status: 2,
    message: 'model.jsonl:2: field "model": 5,000 characters, more than the 1,000',
  },
  {
    name: 'csv: a 100 KB cost value is quoted as 60 characters',
    file: 'longcost.csv',
    generate: () => csv(csvRow({ cost: '9'.repeat(100_000) })),
    args: ['ingest', 'csv'],
    status: 2,
    message: /longcost\.csv:3: field "cost": \$[\d,]{59}… is more than the \$1,000,000\.00 one row may cost/,
  },
  {
    name: 'csv: 17 MB without a newline',
    file: 'noline.csv',
    generate: () => `${CSV_HEADER}\n${csvRow()}\n2026-10-01,gpt-4o,1,1,${'x'.repeat(17 * 1024 * 1024)}`,
    args: ['ingest', 'csv'],
    status: 2,
    message: 'noline.csv:3: not valid CSV (Max Record Size: record exceed the maximum number of tolerated bytes of 16777216',
    skippable: false,
  },
  {
    name: 'csv: a 2 MB header without a newline',
    file: 'header.csv',
    generate: () => 'h'.repeat(2_000_000),
    args: ['ingest', 'csv'],
    status: 2,
    message: `header.csv:1: the header lacks a timestamp column`,
    skippable: false,
  },
];

const sb = sandbox();
const fileHash = (): string => createHash('sha256').update(readFileSync(sb.db)).digest('hex');
let baseline: { requests: number; hash: string };

beforeAll(() => {
  // A database that already holds data: "unchanged" then means its rows and its bytes.
  const r = sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
  baseline = { requests: storedRequests(sb.db), hash: fileHash() };
});
afterAll(() => sb.dispose());

describe('malformed values (issue 12 corpus)', () => {
  it.each(CASES)('$name', (c) => {
    const path = join(sb.dir, c.file);
    writeFileSync(path, c.generate());
    const r = sb.run([...c.args, path]);
    expect(r.status).toBe(c.status);
    if (typeof c.message === 'string') expect(r.stderr).toContain(c.message.replace(`${c.file}:`, `${path}:`));
    else expect(r.stderr).toMatch(c.message);
    // No value is echoed whole: messages stay short whatever the input.
    expect(r.stderr.length).toBeLessThan(2_000);
    expect(storedRequests(sb.db)).toBe(baseline.requests);
    expect(fileHash()).toBe(baseline.hash);
  });

  it.each(CASES.filter((c) => c.skippable !== false))('$name: --skip-invalid stores the good line and lists the bad one', (c) => {
    const s = sandbox();
    try {
      const path = join(s.dir, c.file);
      writeFileSync(path, c.generate());
      const r = s.run([...c.args, path, '--skip-invalid', '--json']);
      expect(r.status).toBe(0);
      const out = json<{ totals: { inserted: number; rejected: number }; issues: { line: number }[] }>(r);
      expect([out.totals.inserted, out.totals.rejected, out.issues.map((i) => i.line)]).toEqual([
        1,
        1,
        [2 + (c.args[1] === 'csv' ? 1 : 0)],
      ]);
    } finally {
      s.dispose();
    }
  });
});
