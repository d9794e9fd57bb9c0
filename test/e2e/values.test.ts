/** Issue 12, values that pass ingest: epoch units, sums past $9.2e9, secrets, control characters, tags kept. */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.dispose());

const write = (name: string, text: string): string => {
  const path = join(sb.dir, name);
  writeFileSync(path, text);
  return path;
};

const litellmLine = (over: Record<string, unknown>): string =>
  JSON.stringify({
    request_id: `req-${Math.random().toString(36).slice(2)}`,
    call_type: 'acompletion',
    spend: 0.5,
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

/** Stored rows read directly (the columns a report does not show). */
function rows(sql: string): Record<string, unknown>[] {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(sb.db, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

type ReportJson = { rows: { group: Record<string, string>; requests: number; costUsd: string }[]; totals: { costUsd: string } };

describe('epoch times in other units', () => {
  it('reads microseconds and nanoseconds by magnitude', () => {
    // 2026-10-01T09:00:00Z as s, ms, µs and ns.
    const lines = [1790845200, 1790845200000, 1790845200000000, 1790845200000000000].map((t, i) =>
      litellmLine({ request_id: `u${i}`, startTime: t }),
    );
    const r = sb.run(['ingest', 'litellm', write('units.jsonl', `${lines.join('\n')}\n`), '--json']);
    expect(r.status).toBe(0);
    expect(rows('SELECT DISTINCT ts FROM usage')).toEqual([{ ts: 1790845200000 }]);
  });
});

describe('sums past 2^63 nanos ($9.2e9)', () => {
  it('report and budget check add 9,300 rows of $1,000,000 exactly, without an integer overflow', () => {
    // One row an hour (each in its own hourly bucket), at the per-row limit: $9.3e9 in all.
    const start = Date.UTC(2026, 0, 1);
    const lines = ['timestamp,model,input_tokens,output_tokens,user,cost'];
    for (let i = 0; i < 9300; i++) lines.push(`${new Date(start + i * 3_600_000).toISOString()},gpt-4o,1,1,u${i % 3},1000000`);
    const ingest = sb.run(['ingest', 'csv', write('big.csv', `${lines.join('\n')}\n`), '--json']);
    expect(ingest.status).toBe(0);
    const total = sb.run(['report', '--json']);
    expect(total.status).toBe(0);
    expect(json<ReportJson>(total).totals.costUsd).toBe('9300000000.000000000');
    const byUser = sb.run(['report', '--by', 'user', '--json']);
    expect(byUser.status).toBe(0);
    expect(json<ReportJson>(byUser).rows.map((r) => [r.group.user, r.costUsd])).toEqual([
      ['u0', '3100000000.000000000'],
      ['u1', '3100000000.000000000'],
      ['u2', '3100000000.000000000'],
    ]);
    // One group of all 9,300 rows: a plain SUM of the nanos overflowed here (exit 70 "integer overflow").
    const byModel = sb.run(['report', '--by', 'model', '--json']);
    expect(byModel.status).toBe(0);
    expect(json<ReportJson>(byModel).rows.map((r) => r.costUsd)).toEqual(['9300000000.000000000']);
    const table = sb.run(['report', '--monthly']);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('$9,300,000,000.00');
    const budget = sb.run(['budget', 'check', '--monthly', '100', '--json']);
    expect(budget.status).toBe(1);
  });
});

describe('secrets in values', () => {
  it('stores key-shaped values as key:sha256 hashes, counts them, and keeps grouping by key', () => {
    const key = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const csv = [
      'timestamp,model,input_tokens,output_tokens,user,api_key,tags',
      `2026-10-01T09:00:00Z,gpt-4o,1000,100,alice,${key},"team:search;end_user:sk-abcdefghij1234567890abcd"`,
      `2026-10-01T10:00:00Z,gpt-4o,1000,100,sk-ant-api03-Zyxwvutsrqponmlkjihg-0987654321,${key},`,
      '2026-10-01T11:00:00Z,gpt-4o,1000,100,bob,AKIAIOSFODNN7EXAMPLE,',
    ].join('\n');
    const jsonl = [
      litellmLine({ request_id: 'l1', api_key: 'Bearer sk-litellmVirtualKey123456', metadata: {} }),
      litellmLine({
        request_id: 'l2',
        end_user: 'sk-enduser-0123456789abcdef',
        metadata: { user_api_key_alias: 'sk-alias-0123456789abcdef' },
      }),
    ].join('\n');
    const a = sb.run(['ingest', 'csv', write('keys.csv', `${csv}\n`), '--json']);
    expect(a.status).toBe(0);
    expect(json<{ redacted: number }>(a).redacted).toBe(5);
    const b = sb.run(['ingest', 'litellm', write('keys.jsonl', `${jsonl}\n`)]);
    expect(b.status).toBe(0);
    // l1's Bearer key, l2's key alias, and l2's end_user (the customer).
    expect(b.stdout).toContain(
      '3 secret(s) shaped like API keys or tokens (sk-…, Bearer …, AKIA…) were stored as key:sha256:… hashes, not verbatim.',
    );
    // The database file holds no secret (WAL checkpointed on close).
    const bytes = readFileSync(sb.db).toString('latin1');
    expect(bytes).not.toMatch(/sk-(proj|ant|abcdef|litellm|enduser|alias)/);
    expect(bytes).not.toContain('AKIAIOSFODNN7EXAMPLE');
    // The same key hashes the same way: both rows group under one key.
    const byKey = json<ReportJson>(sb.run(['report', '--by', 'api-key', '--source', 'csv', '--json'])).rows.map((r) => [
      r.group['api-key'],
      r.requests,
    ]);
    expect(byKey).toEqual([
      [expect.stringMatching(/^key:sha256:[0-9a-f]{12}$/), 2],
      [expect.stringMatching(/^key:sha256:[0-9a-f]{12}$/), 1],
    ]);
    expect(rows("SELECT tags FROM usage WHERE user = 'alice' AND source = 'csv'")).toEqual([
      { tags: expect.stringMatching(/^\["team:search","end_user:key:sha256:[0-9a-f]{12}"\]$/) },
    ]);
  });
});

describe('control characters in names', () => {
  const evil = '\u001b]0;pwned\u0007evil\u001b[2J';
  const shown = '\\x1b]0;pwned\\x07evil\\x1b[2J';

  beforeEach(() => {
    const r = sb.run(['ingest', 'litellm', write('evil.jsonl', `${litellmLine({ user: evil })}\n${litellmLine({ user: 'bob' })}\n`)]);
    expect(r.status).toBe(0);
  });

  it('reach the terminal and markdown only as visible escapes; JSON keeps them intact', () => {
    for (const format of ['table', 'markdown']) {
      const r = sb.run(['report', '--by', 'user', '--format', format]);
      expect(r.status).toBe(0);
      expect(r.stdout).not.toContain('\u001b');
      expect(r.stdout).not.toContain('\u0007');
      expect(r.stdout).toContain(shown);
    }
    const j = json<ReportJson>(sb.run(['report', '--by', 'user', '--json']));
    expect(j.rows.map((r) => r.group.user)).toContain(evil);
    const c = sb.run(['report', '--by', 'user', '--format', 'csv']);
    expect(c.stdout).toContain(evil);
  });

  it('stay out of the budget job summary (GITHUB_STEP_SUMMARY) and its annotations', () => {
    const summary = join(sb.dir, 'summary.md');
    // A scope that matches nothing: the data problem suggests the stored user names.
    const r = sb.run(['budget', 'check', '--monthly', '100', '--scope', 'user=evi'], {
      env: { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' },
    });
    expect(r.status).toBe(3);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain(shown);
    expect(md).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('keep the CSV formula guard', () => {
    sb.run(['ingest', 'litellm', write('formula.jsonl', `${litellmLine({ user: '=HYPERLINK("http://x")\u001b[2J' })}\n`)]);
    const c = sb.run(['report', '--by', 'user', '--format', 'csv']);
    expect(c.stdout).toContain(`"'=HYPERLINK(""http://x"")\u001b[2J"`);
  });
});

describe('--tags-allow', () => {
  const line = (id: string, meta: Record<string, string>): string =>
    JSON.stringify({
      schemaType: 'ModelInvocationLog',
      schemaVersion: '1.0',
      timestamp: '2026-10-01T09:00:00Z',
      accountId: '111122223333',
      identity: { arn: 'arn:aws:sts::111122223333:assumed-role/app/etl' },
      region: 'us-east-1',
      requestId: id,
      operation: 'Converse',
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      requestMetadata: meta,
      input: { inputTokenCount: 1000 },
      output: { outputTokenCount: 100 },
    });

  it('keeps only the named tag keys; free-text tags only when named', () => {
    const file = write('meta.jsonl', `${line('r1', { project: 'atlas', customer_email: 'jane@example.com', ticket: 'help me' })}\n`);
    const r = sb.run(['ingest', 'bedrock-log', file, '--tags-allow', 'project,operation']);
    expect(r.status).toBe(0);
    expect(rows('SELECT tags FROM usage')).toEqual([{ tags: '["project:atlas","operation:Converse"]' }]);
    expect(readFileSync(sb.db).toString('latin1')).not.toContain('jane@example.com');
  });

  it('drops free-text LiteLLM tags unless named whole', () => {
    const file = write('tags.jsonl', `${litellmLine({ request_tags: ['prod', 'feature:search', 'Jane Doe'] })}\n`);
    expect(sb.run(['ingest', 'litellm', file, '--tags-allow', 'feature', '--tags-allow', 'prod']).status).toBe(0);
    expect(rows('SELECT tags FROM usage')).toEqual([{ tags: '["prod","feature:search"]' }]);
  });
});
