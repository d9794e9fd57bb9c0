import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

const sb = sandbox();
const DAY = ['--since', '2026-10-05', '--until', '2026-10-05', '--tz', 'UTC'];
beforeAll(() => {
  const r = sb.run(['ingest', 'csv', fixture('whatif', 'minutes.csv')]);
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => sb.dispose());

type Limits = {
  by: string;
  headroom: number;
  limits: {
    key: string;
    activeMinutes: number;
    busiestMinute: string;
    rpm: { p50: number; p99: number; max: number };
    tpm: { p50: number; p99: number; max: number };
    suggested: { rpm_limit: number; tpm_limit: number };
  }[];
};

describe('llmcost limits', () => {
  it('measures the busiest minutes per API key and suggests rpm/tpm limits with 50% headroom', () => {
    const r = sb.run(['limits', ...DAY, '--json']);
    expect(r.status).toBe(0);
    const j = json<Limits>(r);
    expect(j).toMatchObject({ by: 'api-key', headroom: 0.5 });
    // ci-bot: 2, 10 and 4 requests a minute (1,000, 4,000, 9,000 tokens): p50 4 · p99 10 · max 10;
    // suggested ceil(10 × 1.5) = 15 rpm and ceil(9,000 × 1.5) = 13,500 tpm.
    expect(j.limits).toEqual([
      {
        key: 'ci-bot',
        activeMinutes: 3,
        busiestMinute: '2026-10-05T09:01',
        rpm: { p50: 4, p99: 10, max: 10 },
        tpm: { p50: 4000, p99: 9000, max: 9000 },
        suggested: { rpm_limit: 15, tpm_limit: 13500 },
      },
      {
        key: 'web',
        activeMinutes: 2,
        busiestMinute: '2026-10-05T09:05',
        rpm: { p50: 1, p99: 3, max: 3 },
        tpm: { p50: 100, p99: 3000, max: 3000 },
        suggested: { rpm_limit: 5, tpm_limit: 4500 },
      },
    ]);
  });

  it('leaves aggregated lines out of the minutes and says so; only aggregated lines exit 3', () => {
    const mixed = sandbox();
    try {
      // One request-level row, and one hourly line of 500 requests stamped 09:00: it must not count as a minute of 500.
      const csv = join(mixed.dir, 'mixed.csv');
      writeFileSync(
        csv,
        'timestamp,request_id,api_key,provider,model,input_tokens,output_tokens,requests\n' +
          '2026-10-05T09:00:10Z,m-1,web,openai,gpt-4o-mini,400,100,1\n' +
          '2026-10-05T09:00:00Z,,web,openai,gpt-4o-mini,200000,50000,500\n',
      );
      expect(mixed.run(['ingest', 'csv', csv]).status).toBe(0);
      const r = mixed.run(['limits', ...DAY, '--json']);
      expect(r.status).toBe(0);
      const j = json<Limits & { linesWithoutMinutes: { lines: number; requests: number } }>(r);
      expect(j.limits.map((l) => [l.key, l.rpm.max, l.tpm.max])).toEqual([['web', 1, 500]]);
      expect(j.linesWithoutMinutes).toEqual({ lines: 1, requests: 500 });
      expect(mixed.run(['limits', ...DAY]).stdout).toContain(
        'Left out: 1 aggregated or day-only line (500 requests) has no minute of its own, so the busiest minutes may be busier than shown.',
      );
      const only = sandbox();
      try {
        const agg = join(only.dir, 'hourly.csv');
        writeFileSync(
          agg,
          'timestamp,api_key,provider,model,input_tokens,output_tokens,requests\n2026-10-05T09:00:00Z,web,openai,gpt-4o-mini,200000,50000,500\n',
        );
        expect(only.run(['ingest', 'csv', agg]).status).toBe(0);
        const none = only.run(['limits', ...DAY]);
        expect(none.status).toBe(3);
        expect(none.stderr).toContain(
          'No request-level usage with a time of day in the range: minutes cannot be measured (1 aggregated or day-only line (500 requests) has no minute of its own).',
        );
      } finally {
        only.dispose();
      }
    } finally {
      mixed.dispose();
    }
  });

  it('sizes by team with a given headroom, and prints the table', () => {
    const j = json<Limits>(sb.run(['limits', ...DAY, '--by', 'team', '--headroom', '100%', '--json']));
    expect(j.limits.map((l) => [l.key, l.suggested.rpm_limit, l.suggested.tpm_limit])).toEqual([
      ['platform', 20, 18000],
      ['product', 6, 6000],
    ]);
    const text = sb.run(['limits', ...DAY]).stdout;
    expect(text).toContain(
      '│ ci-bot  │          3 │ 4 · 10 · 10                  │ 4,000 · 9,000 · 9,000      │ 2026-10-05 09:01 │        15 │    13,500 │',
    );
  });

  it('exits 3 without data in the range and 2 for a bad dimension', () => {
    expect(sb.run(['limits', '--since', '2025-01-01', '--until', '2025-01-02']).status).toBe(3);
    expect(sb.run(['limits', '--by', 'region']).status).toBe(2);
  });
});
