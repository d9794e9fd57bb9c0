import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeAll(() => {
  sb = sandbox();
  expect(sb.run(['ingest', 'csv', fixture('csv', 'basic.csv')]).status).toBe(0);
});
afterAll(() => sb.dispose());

type Pareto = {
  rows: { key: string; costNanos: number; share: number; cumulativeShare: number; crosses80: boolean }[];
  entities: number;
  count80: number;
  top20: { count: number; share: number };
  gini: number;
  peakHour: { hour: number; share: number } | null;
  movers: { up: { key: string; deltaNanos: number }[] };
  summary: string[];
};

describe('pareto', () => {
  it('ranks users with shares, the 80% line and a summary', () => {
    const r = json<Pareto>(sb.run(['pareto', '--since', '2026-10-01', '--until', '2026-10-04', '--tz', 'UTC', '--json']));
    expect(r.rows.map((x) => [x.key, x.costNanos, x.crosses80])).toEqual([
      ['alice', 3_700_000_000, false],
      ['bob', 600_125_000, true],
      ['dave', 500_000_000, false],
      ['carol', 74_710_350, false],
      ['erin', 0, false],
    ]);
    expect(r).toMatchObject({ entities: 4, count80: 2, top20: { count: 1, share: 0.758999 } });
    // Hand-computed: 2·(1·0.0747 + 2·0.5 + 3·0.6001 + 4·3.7) / (4 · 4.8748) − 5/4 = 0.5629.
    expect(r.gini).toBeCloseTo(0.5629, 4);
    // alice's 09:00 request ($3.50) makes 09:00-10:00 UTC the peak hour.
    expect(r.peakHour).toMatchObject({ hour: 9 });
    expect(r.summary[0]).toBe('The top 20% of users (1 of 4) account for 75.9% of spend; 2 users account for 80%.');
    expect(r.movers.up[0]).toMatchObject({ key: 'alice', deltaNanos: 3_700_000_000 });
  });

  it('groups by endpoint and draws the chart on request', () => {
    const out = sb.run(['pareto', '--by', 'endpoint', '--since', '2026-10-01', '--until', '2026-10-04', '--tz', 'UTC', '--chart']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Pareto chart');
    expect(out.stdout).toMatch(/\/answer +█+/);
    expect(out.stdout).toContain('← 80%');
  });

  it('says so when the range holds no data (exit 3), and never prints $0', () => {
    const r = sb.run(['pareto', '--since', '2020-01-01', '--until', '2020-01-31', '--json']);
    expect(r).toMatchObject({ status: 3, stdout: '' });
    expect(r.stderr).toContain('No usage between 2020-01-01T00:00:00.000Z and 2020-02-01T00:00:00.000Z: the data covers');
    const missing = sb.run(['pareto', '--json', '--db', join(sb.dir, 'empty.db')]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('No database at');
  });
});
