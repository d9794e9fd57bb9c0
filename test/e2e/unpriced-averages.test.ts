import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

// priced-and-unpriced.csv: gpt-4o-mini (priced) and a self-hosted model the catalog cannot price. Priced cost
// $0.595 over 7 priced requests (carol's 2 carry a reported cost); erin's 6 requests are unpriced. Every average
// divides by the priced requests: $0.085, never $0.595 / 13, which would price erin's requests at $0.
let sb: ReturnType<typeof sandbox>;
beforeAll(() => {
  sb = sandbox();
  const r = sb.run(['ingest', 'csv', fixture('csv', 'priced-and-unpriced.csv')]);
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => sb.dispose());

const range = ['--since', '2026-10-01', '--until', '2026-10-02', '--tz', 'UTC'];
type Totals = { costNanos: number; requests: number; pricedRequests: number; unpricedRequests: number; costPerRequestNanos: number | null };
type Report = { rows: (Totals & { group: Record<string, string> })[]; totals: Totals };

describe('averages divide by priced requests only', () => {
  it('report: the average per request is priced cost / priced requests, null when nothing is priced', () => {
    const byUser = json<Report>(sb.run(['report', '--by', 'user', '--json']));
    expect(byUser.totals).toMatchObject({
      costNanos: 595_000_000,
      requests: 13,
      pricedRequests: 7,
      unpricedRequests: 6,
      costPerRequestNanos: 85_000_000,
    });
    expect(byUser.rows.map((r) => [r.group.user, r.pricedRequests, r.unpricedRequests, r.costPerRequestNanos])).toEqual([
      ['alice', 4, 0, 112_500_000],
      ['carol', 2, 0, 50_000_000],
      ['bob', 1, 0, 45_000_000],
      ['erin', 0, 6, null],
    ]);
    // A model row with some unpriced requests: $0.10 reported over its 2 priced requests, 6 left out.
    const byModel = json<Report>(sb.run(['report', '--by', 'model', '--json']));
    expect(byModel.rows.find((r) => r.group.model === 'acme-llama-ft')).toMatchObject({
      requests: 8,
      pricedRequests: 2,
      unpricedRequests: 6,
      costPerRequestNanos: 50_000_000,
    });
  });

  it('report table: the unpriced count stands beside the average, and "—" where nothing is priced', () => {
    const md = sb.run(['report', '--by', 'user', '--format', 'markdown']).stdout;
    expect(md).toContain('| User | Requests | Input | Output | Cache read | Cache write | Cost | Avg/request | Unpriced | Share |');
    expect(md).toContain('| erin | 6 | 60,000 | 6,000 | 0 | 0 | — | — | 6 | 0.0% |');
    expect(md).toContain('| bob | 1 | 100,000 | 50,000 | 0 | 0 | $0.05 | $0.0450 | 0 | 7.6% |');
    expect(md).toContain(
      '| **Total** | **13** | **1,180,000** | **558,000** | **0** | **0** | **$0.60** | **$0.0850** | **6** | **100.0%** |',
    );
    expect(md).toContain('Avg/request is the priced cost over the priced requests: the unpriced ones are left out, not counted as $0.');
  });

  it('user report: no average daily cost (null, not $0) when none of the usage is priced', () => {
    const erin = json<Record<string, unknown>>(sb.run(['report', '--user', 'erin', '--json']));
    expect(erin).toMatchObject({
      averageDailyCostNanos: null,
      averageDailyCostUsd: null,
      totals: { requests: 6, pricedRequests: 0, unpricedRequests: 6, costPerRequestNanos: null },
    });
    const table = sb.run(['report', '--user', 'erin']).stdout;
    expect(table).toMatch(/│ Average daily cost +│ — +│/);
    expect(table).toMatch(/│ Requests +│ 6 \(6 unpriced\) +│/);
  });

  it('unit-cost: cost per request over the priced requests, with the unpriced count beside it', () => {
    const r = sb.run(['unit-cost', '--revenue', '10', ...range, '--json']);
    expect(r.status).toBe(0);
    expect(json(r)).toMatchObject({
      requests: 13,
      pricedRequests: 7,
      unpricedRequests: 6,
      costPerRequestNanos: 85_000_000,
      costPerRequestUsd: '0.085000000',
    }); // $0.085 × 1e9
    const table = sb.run(['unit-cost', '--revenue', '10', ...range]).stdout;
    expect(table).toMatch(/│ Cost per request │ \$0\.085 \(over the 7 priced requests\) +│/);
    expect(table).toContain('6 unpriced requests are not in the cost, nor in the cost per request.');
  });

  it('compare-selfhost: the API cost per token is the priced cost over the priced tokens', () => {
    const r = sb.run(['compare-selfhost', ...range, '--json']);
    expect(r.status).toBe(0);
    // Priced tokens × 15 (2 days scaled to 30): input 1,000,000 + 100,000 + carol's 20,000; output 500,000 +
    // 50,000 + 2,000. Erin's 60,000 / 6,000 unpriced tokens are not set against the priced cost.
    expect(json(r)).toMatchObject({
      workload: { inputTokens: 16_800_000, outputTokens: 8_280_000, peakHourInputTokens: 1_000_000, peakHourOutputTokens: 500_000 },
      unpricedRequests: 6,
    });
    // With a given price every token is priced, so the workload is all of it.
    const given = json<{ workload: { inputTokens: number } }>(sb.run(['compare-selfhost', ...range, '--blended-price', '1', '--json']));
    expect(given.workload.inputTokens).toBe(17_700_000);
  });

  it('pareto and roadmap rows carry the unpriced requests', () => {
    const p = json<{ rows: { key: string; requests: number; unpricedRequests: number }[] }>(
      sb.run(['pareto', '--by', 'user', ...range, '--json']),
    );
    expect(p.rows.map((x) => [x.key, x.requests, x.unpricedRequests])).toEqual([
      ['alice', 4, 0],
      ['carol', 2, 0],
      ['bob', 1, 0],
      ['erin', 6, 6],
    ]);
    expect(sb.run(['pareto', '--by', 'user', ...range]).stdout).toMatch(/│ 4 │ erin +│ +— │ +0\.0% │ +100\.0% │ +│ +6 │ +6 │ +66,000 │/);
    expect(json(sb.run(['roadmap', ...range, '--json']))).toMatchObject({ unpricedRequests: 6 });
  });
});
