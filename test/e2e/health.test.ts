import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

// fixtures/litellm/health/spend-logs.jsonl, 2026-10-08 UTC: gpt-4o (team search, key search-backend) and Bedrock
// Claude 3.5 Haiku (team support, key support-bot), five requests each: one failure ("failure"), one cache hit
// (cache_hit "True", spend 0), one gpt-4o request with 1,500 of 2,000 prompt tokens read from the prompt cache.
// Latencies (endTime − startTime): gpt-4o 1200, 800, 150, 5, 2000 ms; haiku 3000, 30000, 10, 2500, 2700 ms.
let sb: ReturnType<typeof sandbox>;
let csvOnly: ReturnType<typeof sandbox>;
beforeAll(() => {
  sb = sandbox();
  expect(sb.run(['ingest', fixture('litellm', 'health', 'spend-logs.jsonl')]).status).toBe(0);
  csvOnly = sandbox();
  expect(csvOnly.run(['ingest', 'csv', fixture('csv', 'basic.csv')]).status).toBe(0);
});
afterAll(() => {
  sb.dispose();
  csvOnly.dispose();
});

type Row = Record<string, unknown> & { key: string };
type Health = { rows: Row[]; total: Row; target: Record<string, unknown>; notInData: string[]; groupBy: string | null };

describe('llmcost health', () => {
  it('counts failures, gateway cache hits and what they avoided, the prompt-cache share and latency, against the 30% target', () => {
    const r = sb.run(['health', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const h = json<Health>(r);
    expect(h.groupBy).toBeNull();
    expect(h.notInData).toEqual([]);
    expect(h.target).toEqual({ cacheHitRate: 0.3, actual: 0.2, met: false });
    expect(h.total).toEqual({
      key: 'total',
      requests: 10,
      costNanos: 30_875_000,
      costUsd: '0.030875000',
      failures: 2,
      failureRate: 0.2,
      statusRequests: 10,
      cacheHits: 2,
      cacheHitRate: 0.2,
      cacheRequests: 10,
      // gpt-4o hit: 1,000 in × $2.50 + 200 out × $10 per MTok = $0.0045; haiku hit: 5,000 × $0.80 + 500 × $4 = $0.006.
      cacheAvoidedNanos: 10_500_000,
      cacheAvoidedUsd: '0.010500000',
      cacheAvoidedUnpricedRequests: 0,
      // 1,500 cache reads of 25,000 input tokens; saved 1,500 × ($2.50 − $1.25) per MTok.
      promptCacheReadShare: 0.06,
      promptCacheSavedNanos: 1_875_000,
      promptCacheSavedUsd: '0.001875000',
      latencyRequests: 10,
      // Exact nearest-rank: p50 1200 ms, p95 30000 ms; read from log buckets (within 4.4%).
      latencyP50Ms: 1166,
      latencyP95Ms: 28774,
    });
  });

  it('breaks the figures down by model and by key', () => {
    const byModel = json<Health>(sb.run(['health', '--by', 'model', '--json']));
    expect(
      byModel.rows.map((x) => [
        x.key,
        x.requests,
        x.failures,
        x.cacheHitRate,
        x.cacheAvoidedNanos,
        x.promptCacheReadShare,
        x.latencyP50Ms,
        x.latencyP95Ms,
      ]),
    ).toEqual([
      ['claude-3-5-haiku-20241022', 5, 1, 0.2, 6_000_000, 0, 2774, 28774],
      ['gpt-4o', 5, 1, 0.2, 4_500_000, 0.3, 825, 1961],
    ]);
    // Users are not in the health rollup: their figures come from the rows, and equal the teams' (one user a team).
    const byUser = json<Health>(sb.run(['health', '--by', 'user', '--json']));
    const byTeam = json<Health>(sb.run(['health', '--by', 'team', '--json']));
    const figures = (h: Health) =>
      h.rows.map((x) => [x.requests, x.failures, x.cacheHits, x.cacheAvoidedNanos, x.latencyP50Ms, x.latencyP95Ms]);
    expect(byUser.rows.map((x) => x.key)).toEqual(['bob', 'alice']);
    expect(figures(byUser)).toEqual(figures(byTeam));
    expect(figures(byUser)).toEqual([
      [5, 1, 1, 6_000_000, 2774, 28774],
      [5, 1, 1, 4_500_000, 825, 1961],
    ]);
    const byKey = json<Health>(sb.run(['health', '--by', 'key', '--json']));
    expect(byKey.groupBy).toBe('api-key');
    expect(byKey.rows.map((x) => x.key)).toEqual(['support-bot', 'search-backend']);
  });

  it('prints the target against the actual rate in the table, and fractions in CSV', () => {
    const t = sb.run(['health', '--by', 'team']);
    expect(t.status).toBe(0);
    expect(t.stdout).toContain('Target (seed guide): gateway cache hit rate ≥ 30.0% overall; actual 20.0% (below target).');
    expect(t.stdout).toMatch(
      /│ search +│ +5 │ \$0\.01 │ +1 │ 20\.0% +│ +1 │ 20\.0% +│ +\$0\.0045 │ 30\.0% +│ +\$0\.0019 │ 825 ms +│ 1961 ms +│/,
    );
    const csv = sb.run(['health', '--by', 'team', '--format', 'csv']);
    expect(csv.stdout.split('\n').slice(0, 3)).toEqual([
      'key,requests,cost,failures,failureRate,cacheHits,cacheHitRate,avoided,promptShare,promptSaved,p50,p95',
      'support,5,0.018000000,1,0.2,1,0.2,0.006000000,0,0.000000000,2774,28774',
      'search,5,0.012875000,1,0.2,1,0.2,0.004500000,0.3,0.001875000,825,1961',
    ]);
  });

  it('gives the same figures on a second ingest of the same file and in another zone', () => {
    expect(sb.run(['ingest', fixture('litellm', 'health', 'spend-logs.jsonl'), '--json']).status).toBe(0);
    const h = json<Health>(sb.run(['health', '--json', '--tz', 'Asia/Kolkata', '--since', '2026-10-08', '--until', '2026-10-08']));
    expect([h.total.requests, h.total.failures, h.total.cacheHits, h.total.latencyP95Ms]).toEqual([10, 2, 2, 28774]);
  });

  it('says "not in the data" for a CSV without status, cache or latency columns, never 0%', () => {
    const h = json<Health>(csvOnly.run(['health', '--json']));
    expect(h.notInData).toEqual(['failures', 'cacheHits', 'latency']);
    expect(h.total).toMatchObject({ failures: null, failureRate: null, cacheHits: null, cacheHitRate: null, latencyP50Ms: null });
    expect(h.target).toEqual({ cacheHitRate: 0.3, actual: null, met: null });
    const t = csvOnly.run(['health']);
    expect(t.stdout).toContain('not in the data');
    expect(t.stdout).toContain(
      'Not in the data for this range: request status, gateway cache flag, latency (shown as "not in the data", not 0).',
    );
  });

  it('exits 3 for a range without data and 2 for an unknown --by', () => {
    const none = sb.run(['health', '--since', '2027-01-01', '--until', '2027-01-31', '--json']);
    expect(none.status).toBe(3);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(
      'llmcost: No usage between 2027-01-01T00:00:00.000Z and 2027-02-01T00:00:00.000Z: the data covers 2026-10-08 to 2026-10-08 (UTC).\n  Choose a range with data (--since/--until), or ingest the missing days.\n',
    );
    const bad = sb.run(['health', '--by', 'colour']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("option '--by <dimension>' argument 'colour' is invalid.");
    // Health sums are per request, not per tag: a tag is a filter here (--tag), not a grouping, and not offered as one.
    const tag = sb.run(['health', '--by', 'tag:env']);
    expect(tag.status).toBe(2);
    expect(tag.stderr).toContain('Allowed choices are user, team, model, provider, endpoint, api-key, source, region, customer, key.');
  });
});

describe('health takes the report filters', () => {
  const figures = (h: Health) => [
    h.total.requests,
    h.total.failures,
    h.total.cacheHits,
    h.total.cacheAvoidedNanos,
    h.total.latencyP50Ms,
    h.total.latencyP95Ms,
  ];

  it('--team, --model (as logged or normalized) and --by key within them: the figures of that group', () => {
    expect(figures(json<Health>(sb.run(['health', '--team', 'search', '--json'])))).toEqual([5, 1, 1, 4_500_000, 825, 1961]);
    const haiku = json<Health>(sb.run(['health', '--model', 'bedrock/anthropic.claude-3-5-haiku-20241022-v1:0', '--by', 'key', '--json']));
    expect(haiku.rows.map((x) => [x.key, x.requests, x.failures, x.cacheHits, x.latencyP95Ms])).toEqual([['support-bot', 5, 1, 1, 28774]]);
  });

  it('exits 3 naming a scope that matches nothing, never a row of zeros', () => {
    const r = sb.run(['health', '--team', 'nosuch', '--json']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nosuch');
  });

  it('--tag and --customer over whole days count their requests only (the daily health rollup holds neither)', () => {
    const tagged = sandbox();
    try {
      const base = JSON.parse(readFileSync(fixture('litellm', 'health', 'spend-logs.jsonl'), 'utf8').split('\n')[0] ?? '{}');
      const line = (id: string, status: string, tags: string[], customer: string) =>
        JSON.stringify({
          ...base,
          request_id: id,
          status,
          request_tags: tags,
          end_user: customer,
          startTime: '2026-10-09T09:00:00.000Z',
          endTime: '2026-10-09T09:00:01.000Z',
        });
      const file = join(tagged.dir, 'tagged.jsonl');
      writeFileSync(file, `${line('t1', 'failure', ['env:prod'], 'acme')}\n${line('t2', 'success', [], 'globex')}\n`);
      expect(tagged.run(['ingest', 'litellm', file]).status).toBe(0);
      const day = ['--since', '2026-10-09', '--until', '2026-10-09', '--json'];
      const all = json<Health>(tagged.run(['health', ...day]));
      expect([all.total.requests, all.total.failures]).toEqual([2, 1]);
      const prod = json<Health>(tagged.run(['health', '--tag', 'env=prod', ...day]));
      expect([prod.total.requests, prod.total.failures, prod.total.failureRate]).toEqual([1, 1, 1]);
      const globex = json<Health>(tagged.run(['health', '--customer', 'globex', ...day]));
      expect([globex.total.requests, globex.total.failures, globex.total.failureRate]).toEqual([1, 0, 0]);
    } finally {
      tagged.dispose();
    }
  });
});

describe('report --metrics', () => {
  it('adds failures, the cache hit rate and p95 latency beside cost', () => {
    const r = json<{ rows: (Row & { group: { model: string }; health: unknown })[]; totals: { health: unknown } }>(
      sb.run(['report', '--by', 'model', '--metrics', '--json']),
    );
    expect(r.rows.map((x) => [x.group.model, x.costNanos, x.health])).toEqual([
      ['claude-3-5-haiku-20241022', 18_000_000, { failures: 1, failureRate: 0.2, cacheHits: 1, cacheHitRate: 0.2, latencyP95Ms: 28774 }],
      ['gpt-4o', 12_875_000, { failures: 1, failureRate: 0.2, cacheHits: 1, cacheHitRate: 0.2, latencyP95Ms: 1961 }],
    ]);
    expect(r.totals.health).toEqual({ failures: 2, failureRate: 0.2, cacheHits: 2, cacheHitRate: 0.2, latencyP95Ms: 28774 });
    const csv = csvOnly.run(['report', '--by', 'team', '--metrics', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe(
      'team,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,cost_per_request_usd,unpriced_requests,share,failures,failure_rate,cache_hit_rate,p95_latency_ms',
    );
    expect(csv.stdout.split('\n')[1]).toMatch(/,,,,$/);
  });

  it('needs one --by dimension (not a tag) and no period (exit 2)', () => {
    const message = '--metrics needs exactly one --by dimension (not a tag) and no --daily/--weekly/--monthly.';
    const r = sb.run(['report', '--daily', '--by', 'model', '--metrics']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    // A tag groups requests that overlap or lack the key: its health would not be a partition of the requests.
    const tag = sb.run(['report', '--by', 'tag:project', '--metrics']);
    expect(tag.status).toBe(2);
    expect(tag.stderr).toContain(message);
  });
});
