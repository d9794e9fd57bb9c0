import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox, storedRequests } from '../helpers/cli.js';

const require = createRequire(import.meta.url);

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

type Summary = {
  totals: Record<string, number>;
  files: { file: string; read: number; inserted: number; duplicate: number; skipped?: string }[];
};
type Report = {
  rows: {
    period?: string;
    group: Record<string, string>;
    costNanos: number;
    requests: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
  }[];
  totals: {
    costNanos: number;
    requests: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    unpricedRequests: number;
  };
};
const report = (args: string[]): Report => json<Report>(sb.run(['report', ...args, '--json']));

describe('litellm', () => {
  const forms = [
    fixture('litellm', 'spend-logs.jsonl'),
    fixture('litellm', 'spend-logs-payload.json'),
    fixture('litellm', 'spend-logs-v2.json'),
    fixture('litellm', 'spend-logs.csv'),
    fixture('litellm', 'standard-logging'),
  ];

  it('reads every form LiteLLM writes, keeps the gateway cost, and stores no prompt text', () => {
    const r = sb.run(['ingest', 'litellm', ...forms, '--json']);
    expect(r.status).toBe(0);
    const s = json<Summary>(r);
    expect(s.totals).toEqual({ read: 15, inserted: 14, duplicate: 1, rejected: 0, unpriced: 0 });
    expect(s.files.map((f) => [f.file.split('/').pop(), f.read, f.inserted])).toEqual([
      ['spend-logs.jsonl', 6, 5],
      ['spend-logs-payload.json', 1, 1],
      ['spend-logs-v2.json', 2, 2],
      ['spend-logs.csv', 2, 2],
      ['batch-1791198000500-3fa9c2d1.ndjson', 2, 2],
      ['chatcmpl-s4', 1, 1],
      ['time-09-00-00-250000_chatcmpl-s1.json', 1, 1],
    ]);
    const t = report(['--source', 'litellm']).totals;
    // prompt_tokens include cache: 3 × 400 cached (OpenAI) and 3 × (3,000 read + 1,000 write) (Bedrock) are split out.
    expect(t).toMatchObject({
      requests: 14,
      costNanos: 3_080_835_000,
      cacheReadTokens: 10_200,
      cacheWriteTokens: 3_000,
      outputTokens: 5_750,
    });
    const byUser = report(['--by', 'user,team']).rows.map((x) => [x.group.user, x.group.team, x.costNanos]);
    expect(byUser).toEqual([
      ['carol', 'research', 3_045_000_000],
      ['bob', 'support', 12_120_000],
      ['alice', 'search', 12_000_000],
      ['dave', 'platform', 11_715_000],
    ]);
    const bedrock = report(['--by', 'provider,model', '--provider', 'bedrock']).rows;
    expect(bedrock).toEqual([
      expect.objectContaining({ group: { provider: 'aws', model: 'claude-3-5-haiku-20241022' }, requests: 3, costNanos: 12_120_000 }),
    ]);
    expect(readFileSync(sb.db).includes('SECRET-PROMPT-TEXT')).toBe(false);
  });

  it('re-ingests nothing, skips unchanged files, and picks up new files in a grown directory', () => {
    const dir = join(sb.dir, 'logs');
    cpSync(fixture('litellm', 'standard-logging'), dir, { recursive: true });
    expect(json<Summary>(sb.run(['ingest', 'litellm', dir, '--json'])).totals.inserted).toBe(4);
    const again = json<Summary>(sb.run(['ingest', 'litellm', dir, '--json']));
    expect(again.totals).toMatchObject({ read: 0, inserted: 0 });
    expect(again.files.every((f) => f.skipped === 'unchanged')).toBe(true);
    mkdirSync(join(dir, '2026-10-06'));
    const line = readFileSync(fixture('litellm', 'spend-logs.jsonl'), 'utf8').split('\n')[0] ?? '';
    writeFileSync(join(dir, '2026-10-06', 'new.json'), line.replace('chatcmpl-a1', 'chatcmpl-new'));
    const grown = json<Summary>(sb.run(['ingest', 'litellm', dir, '--json']));
    expect(grown.totals).toMatchObject({ read: 1, inserted: 1 });
    expect(json<Summary>(sb.run(['ingest', 'litellm', dir, '--force', '--json'])).totals).toMatchObject({
      read: 5,
      inserted: 0,
      duplicate: 5,
    });
  });

  it('reads gzip and stdin', () => {
    const gz = join(sb.dir, 'spend.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture('litellm', 'spend-logs.jsonl'))));
    expect(json<Summary>(sb.run(['ingest', 'litellm', gz, '--json'])).totals).toMatchObject({ read: 6, inserted: 5, duplicate: 1 });
    const piped = sb.run(['ingest', 'litellm', '-', '--json'], { input: readFileSync(fixture('litellm', 'spend-logs-v2.json'), 'utf8') });
    expect(json<Summary>(piped).totals).toMatchObject({ read: 2, inserted: 2 });
  });

  it('reports each bad line with its reason and stores nothing from the file', () => {
    const bad = fixture('litellm', 'bad-lines.jsonl');
    const r = sb.run(['ingest', 'litellm', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: field "prompt_tokens": expected a non-negative whole number of tokens, got -5`);
    expect(r.stderr).toMatch(new RegExp(`${bad}:3: not valid JSON`));
    expect(r.stderr).toContain(`${bad}:4: field "startTime": expected an ISO 8601 time or epoch seconds, got "yesterday"`);
    expect(r.stderr).toContain('3 of 4 lines could not be read');
    expect(storedRequests(sb.db)).toBe(0);
    const skip = json<Summary>(sb.run(['ingest', 'litellm', bad, '--skip-invalid', '--json']));
    expect(skip.totals).toMatchObject({ read: 4, inserted: 1, rejected: 3 });
  });

  it('rejects a truncated gzip file and leaves the database unchanged', () => {
    const gz = gzipSync(readFileSync(fixture('litellm', 'spend-logs.jsonl')));
    const cut = join(sb.dir, 'cut.jsonl.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = sb.run(['ingest', 'litellm', cut]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cut.jsonl.gz: the gzip data is truncated or corrupt');
    expect(storedRequests(sb.db)).toBe(0);
  });

  it('says when a file is empty or of another source', () => {
    writeFileSync(join(sb.dir, 'empty.jsonl'), '');
    expect(sb.run(['ingest', 'litellm', 'empty.jsonl'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('empty.jsonl: the file is empty'),
    });
    const claude = sb.run(['ingest', 'litellm', fixture('claude-code', 'projects')]);
    expect(claude.status).toBe(2);
    expect(claude.stderr).toContain('not a LiteLLM spend log');
  });
});

describe('litellm, as it really logs', () => {
  type Line = {
    day: string;
    model: string;
    loggedNanos: number | null;
    computedNanos: number;
    billedNanos: number | null;
    gapNanos: number | null;
    explanations: string[];
    explainedBy: { code: string; requests?: number; text: string }[];
  };
  const reconcileLines = (args: string[]): Line[] => json<{ lines: Line[] }>(sb.run(['reconcile', '--by-model', ...args, '--json'])).lines;
  const rows = (sql: string): Record<string, unknown>[] => {
    const Database = require('better-sqlite3');
    const db = new Database(sb.db, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };

  it('counts a cache hit once from its spend log and its payload, as a $0 request left out of reconcile', () => {
    expect(sb.run(['ingest', 'csv', '--preset', 'cur', fixture('cur', 'haiku-2026-10-07.csv')]).status).toBe(0);
    const r = sb.run(['ingest', 'litellm', fixture('litellm', 'cache-hit'), '--json']);
    expect(r.status).toBe(0);
    // The original call, and one cache hit logged twice: `{id}_cache_hit{time.time()}` with two different times.
    expect(json<Summary>(r).totals).toEqual({ read: 3, inserted: 2, duplicate: 1, rejected: 0, unpriced: 0 });
    expect(report(['--source', 'litellm']).totals).toMatchObject({ requests: 2, costNanos: 4_040_000, unpricedRequests: 0 });
    expect(
      rows("SELECT status, computed_cost_nanos AS computed, price_ref AS ref FROM usage WHERE source = 'litellm' ORDER BY ts"),
    ).toEqual([
      { status: 'success', computed: 4_040_000, ref: expect.stringMatching(/^aws\//) },
      { status: 'cache-hit', computed: 0, ref: 'cache-hit' },
    ]);
    // The bill has the one Bedrock call; the cache hit counts in neither logged nor computed.
    expect(reconcileLines(['--since', '2026-10-07', '--until', '2026-10-07'])).toEqual([
      expect.objectContaining({
        model: 'claude-3-5-haiku',
        loggedNanos: 4_040_000,
        computedNanos: 4_040_000,
        billedNanos: 4_040_000,
        gapNanos: 0,
      }),
    ]);
  });

  it('reads the cache split of older StandardLoggingPayloads (no usage_object) from the logged response', () => {
    expect(sb.run(['ingest', 'litellm', fixture('litellm', 'standard-logging-eras')]).status).toBe(0);
    // Each era logs the same two calls: the older payloads have the split only in response.usage.
    const byModel = report(['--by', 'model']).rows.map((x) => [x.group.model, x.requests, x.inputTokens, x.cacheReadTokens]);
    expect(byModel).toEqual([
      ['gpt-4o', 2, 4_000, 16_000],
      ['claude-sonnet-4-5-20250929', 2, 100, 24_000],
    ]);
    // 2,000 fresh + 8,000 cached at $2.50 / $1.25 + 100 output at $10 per MTok = $0.016 each, as LiteLLM logged
    // (8,000 cached tokens priced as fresh input would be $0.026, +62%).
    expect(
      rows(`SELECT model, SUM(reported_cost_nanos) AS logged, SUM(computed_cost_nanos) AS computed FROM usage
        WHERE ts >= ${Date.UTC(2026, 9, 8)} AND ts < ${Date.UTC(2026, 9, 9)} GROUP BY model ORDER BY model`),
    ).toEqual([
      { model: 'claude-sonnet-4-5-20250929', logged: 19_500_000, computed: 19_500_000 },
      { model: 'gpt-4o', logged: 32_000_000, computed: 32_000_000 },
    ]);
  });

  it('settles an ambiguous prompt_tokens split with the logged cost and marks the computed cost uncertain', () => {
    const file = fixture('litellm', 'prompt-split.jsonl');
    const r = sb.run(['ingest', 'litellm', file, '--json']);
    expect(r.status).toBe(0);
    expect(json<{ uncertainCosts: unknown[] }>(r).uncertainCosts).toEqual([
      { reason: 'litellm-prompt-split', reading: 'reads+writes', settledBy: 'response_cost', records: 1 },
      { reason: 'litellm-prompt-split', reading: 'reads-only', settledBy: 'response_cost', records: 1 },
      { reason: 'litellm-prompt-split', reading: 'reads+writes', settledBy: 'default', records: 1 },
    ]);
    expect(
      rows('SELECT source_id AS id, input_tokens AS input, computed_cost_nanos AS computed, price_ref AS ref FROM usage ORDER BY ts'),
    ).toEqual([
      {
        id: 'chatcmpl-ps1',
        input: 1000,
        computed: 4_040_000,
        ref: expect.stringMatching(/;uncertain=litellm-prompt-split:reads\+writes:response_cost$/),
      },
      {
        id: 'chatcmpl-ps2',
        input: 1500,
        computed: 4_440_000,
        ref: expect.stringMatching(/;uncertain=litellm-prompt-split:reads-only:response_cost$/),
      },
      {
        id: 'chatcmpl-ps3',
        input: 1000,
        computed: 4_040_000,
        ref: expect.stringMatching(/;uncertain=litellm-prompt-split:reads\+writes:default$/),
      },
    ]);
    const table = sb.run(['ingest', 'litellm', file, '--force']);
    expect(table.stdout).toContain(
      'Computed cost uncertain for 1 records (LiteLLM prompt_tokens may or may not include cache writes): kept "reads-only", the reading nearest the logged cost; price_ref marks them.',
    );
    // A one-line bill for the day, so reconcile has something to compare with (the logs are a partial day).
    const bill = join(sb.dir, 'bill.csv');
    writeFileSync(
      bill,
      `${readFileSync(fixture('cur', 'cur2.csv'), 'utf8').split('\n')[0]}\nps-1,2026-10-09T00:00:00Z/2026-10-10T00:00:00Z,AWS,Usage,2026-10-09T00:00:00Z,2026-10-10T00:00:00Z,AmazonBedrock,USW2-Claude3.5Haiku-input-tokens,InvokeModelInference,10,0.0008,0.008,,us-west-2,AmazonBedrock,\n`,
    );
    expect(sb.run(['ingest', 'csv', '--preset', 'cur', bill]).status).toBe(0);
    const [line] = reconcileLines(['--since', '2026-10-09', '--until', '2026-10-09']);
    const text = '3 logged requests with an uncertain computed cost (a guessed token split or an unpriced service tier; see price_ref)';
    expect(line?.explanations).toContain(text);
    expect(line?.explainedBy).toContainEqual({ code: 'UNCERTAIN_COST', requests: 3, text });
  });
});

describe('bedrock-log', () => {
  it('reads S3 .json.gz delivery and CloudWatch exports, priced by route and region', () => {
    const r = sb.run([
      'ingest',
      'bedrock-log',
      fixture('bedrock-log', 'AWSLogs'),
      fixture('bedrock-log', 'cloudwatch-insights.jsonl'),
      fixture('bedrock-log', 'filter-log-events.json'),
      '--json',
    ]);
    expect(r.status).toBe(0);
    expect(json<Summary>(r).totals).toEqual({ read: 8, inserted: 7, duplicate: 1, rejected: 0, unpriced: 0 });
    const rows = report(['--by', 'model,user']).rows.map((x) => [x.group.model, x.group.user, x.costNanos]);
    expect(rows).toEqual([
      // global. profile: list price; 12,000 cache reads at $0.30, 24,479 cache writes at $3.75.
      ['claude-sonnet-4-5-20250929', 'assumed-role/search-api-role/search-api', 96_185_250],
      // eu-west-1 Llama 3 70B at the regional $2.86 / $3.78.
      ['llama3-70b-instruct', 'assumed-role/analytics/etl', 36_160_000],
      ['nova-pro', 'assumed-role/search-api-role/search-api', 11_200_000],
      // Inference-profile ARN resolved to Claude Sonnet 4 (regional $3 / $15).
      ['claude-sonnet-4-20250514', 'assumed-role/search-api-role/search-api', 2_292_000],
      ['claude-3-haiku-20240307', 'erin@example.com', 675_000],
      ['nova-lite', 'user/batch-runner', 331_200],
      // Guardrail-blocked: no tokens, no cost, still a request.
      ['claude-3-haiku-20240307', 'assumed-role/search-api-role/search-api', 0],
    ]);
    expect(report([]).totals).toMatchObject({ requests: 7, costNanos: 146_843_450, cacheReadTokens: 12_000, cacheWriteTokens: 24_479 });
    expect(report(['--by', 'team', '--team', 'search']).rows[0]).toMatchObject({ costNanos: 96_185_250 });
    expect(readFileSync(sb.db).includes('SECRET-PROMPT-TEXT')).toBe(false);
  });

  it('names bad records: negative or non-numeric tokens, another source', () => {
    const bad = fixture('bedrock-log', 'bad-records.jsonl');
    const r = sb.run(['ingest', 'bedrock-log', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:1: field "input.inputTokenCount": expected a non-negative whole number of tokens, got -3`);
    expect(r.stderr).toContain(
      `${bad}:2: field "schemaType": expected "ModelInvocationLog", got null: not a Bedrock invocation log record`,
    );
    expect(r.stderr).toContain(`${bad}:3: field "input.inputTokenCount": expected a non-negative whole number of tokens, got "many"`);
    expect(storedRequests(sb.db)).toBe(0);
  });
});

describe('claude-code', () => {
  it('counts each API message once, as ccusage does', () => {
    const r = sb.run(['ingest', 'claude-code', fixture('claude-code', 'projects'), '--user', 'dev1', '--json']);
    expect(r.status).toBe(0);
    // 4 usage lines in the session (3 share one message) + the sub-agent message in both files.
    expect(json<Summary>(r).totals).toEqual({ read: 4, inserted: 3, duplicate: 1, rejected: 0, unpriced: 0 });
    const daily = report(['--daily']);
    // ccusage 20.0.24 on the same files: 2026-10-05 $0.20138325, 18 input, 750 output, 37,889 cache read, 30,527 cache write.
    expect(daily.rows).toEqual([
      expect.objectContaining({
        period: '2026-10-05',
        costNanos: 201_383_250,
        inputTokens: 18,
        outputTokens: 750,
        cacheReadTokens: 37_889,
        cacheWriteTokens: 30_527,
      }),
    ]);
    expect(report(['--by', 'user,endpoint']).rows.map((x) => [x.group.user, x.group.endpoint])).toEqual([['dev1', 'shop']]);
    expect(readFileSync(sb.db).includes('SECRET-PROMPT-TEXT')).toBe(false);
  });

  it('uses CLAUDE_CONFIG_DIR when no path is given', () => {
    const home = join(sb.dir, 'cfg');
    cpSync(fixture('claude-code', 'projects'), join(home, 'projects'), { recursive: true });
    const r = sb.run(['ingest', 'claude-code', '--json'], { env: { CLAUDE_CONFIG_DIR: home } });
    expect(json<Summary>(r).totals.inserted).toBe(3);
    expect(sb.run(['ingest', 'claude-code'])).toMatchObject({ status: 2, stderr: expect.stringContaining('No Claude Code logs found') });
  });
});

describe('ingest PATH (detection)', () => {
  it('detects each file’s source and says which it chose', () => {
    const r = sb.run([
      'ingest',
      fixture('litellm', 'spend-logs.jsonl'),
      fixture('bedrock-log', 'cloudwatch-insights.jsonl'),
      fixture('claude-code', 'projects'),
      fixture('csv', 'basic.csv'),
      '--json',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`${fixture('litellm', 'spend-logs.jsonl')}: detected litellm`);
    expect(r.stderr).toContain(`${fixture('bedrock-log', 'cloudwatch-insights.jsonl')}: detected bedrock-log`);
    expect(r.stderr).toContain('detected claude-code');
    expect(r.stderr).toContain(`${fixture('csv', 'basic.csv')}: detected csv`);
    expect(json<Summary>(r).totals).toMatchObject({ inserted: 5 + 3 + 3 + 7 });
    expect(report(['--by', 'source']).rows.map((x) => [x.group.source, x.requests])).toEqual([
      ['csv', 7],
      ['litellm', 5],
      ['claude-code', 3],
      ['bedrock-log', 3],
    ]);
  });

  it('asks for the source when it cannot tell', () => {
    writeFileSync(join(sb.dir, 'notes.txt'), 'hello world\n');
    expect(sb.run(['ingest', 'notes.txt'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('notes.txt: cannot tell which source'),
    });
  });
});
