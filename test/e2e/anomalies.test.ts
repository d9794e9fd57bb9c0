import { describe, expect, it } from 'vitest';
import { json, useDemoDb } from '../helpers/cli.js';

// The demo data has three planted anomalies: a research batch job on gemini-1.5-pro (2026-09-22), a
// runaway loop by erin on /search/answer (2026-10-14), and uma spending on llama3-70b from 2026-10-27.
const demo = useDemoDb();

type Anomaly = {
  kind: string;
  severity: string;
  period: string;
  entity: { dimension: string; name: string } | null;
  excessNanos: number;
  drivers: Record<string, { entity: string; share: number; attributedNanos: number }[]> | null;
  summary: string;
};
type Result = {
  anomalies: Anomaly[];
  scored: number;
  history: { available: number; needed: number };
  verdict: { tripped: boolean; insufficientData: boolean; worst: string | null };
};
const scan = (args: string[]) => demo.sb.run(['anomalies', '--db', demo.db, '--tz', 'UTC', ...args, '--json']);

describe('anomalies', () => {
  it('finds the planted spikes in the total and names who drove them', () => {
    const r = json<Result>(scan(['--since', '2026-09-15', '--until', '2026-10-31']));
    expect(r.scored).toBe(47);
    const total = r.anomalies.filter((a) => a.entity === null);
    expect(total.map((a) => a.period)).toEqual(['2026-09-22', '2026-10-14']);
    const loop = total.find((a) => a.period === '2026-10-14');
    expect(loop?.summary).toBe(
      '2026-10-14: +$110.69 over expected ($210.66 vs $99.97); 95% from user erin on claude-sonnet-4-5-20250929 via endpoint /search/answer',
    );
    expect(loop?.drivers?.user?.[0]).toMatchObject({ entity: 'erin' });
    expect(loop?.drivers?.endpoint?.[0]).toMatchObject({ entity: '/search/answer' });
    const batch = total.find((a) => a.period === '2026-09-22');
    expect(batch?.drivers?.team?.[0]).toMatchObject({ entity: 'research', share: expect.closeTo(0.9961, 4) });
    expect(batch?.drivers?.model?.[0]).toMatchObject({ entity: 'gemini-1.5-pro' });
    // Attributed amounts add up to the excess.
    for (const a of total) {
      const sum = (a.drivers?.user ?? []).reduce((s, d) => s + d.attributedNanos, 0);
      expect(Math.abs(sum - a.excessNanos)).toBeLessThan(10);
    }
  });

  it('finds the new heavy spender per user', () => {
    const r = json<Result>(scan(['--since', '2026-10-20', '--until', '2026-10-31', '--by', 'user']));
    const uma = r.anomalies.filter((a) => a.entity?.name === 'uma');
    expect(uma.map((a) => [a.period, a.kind])).toEqual([
      ['2026-10-27', 'spike'],
      ['2026-10-28', 'spike'],
      ['2026-10-29', 'spike'],
    ]);
  });

  it('gates CI: exit 1 on a finding at or above --fail-on, 0 otherwise', () => {
    const warn = scan(['--since', '2026-10-14', '--until', '2026-10-14', '--fail-on', 'warning']);
    expect(warn.status).toBe(1);
    expect(warn.stderr).toContain('anomalies at or above warning');
    expect(json<Result>(warn).verdict).toMatchObject({ tripped: true, worst: 'warning' });
    expect(scan(['--since', '2026-10-14', '--until', '2026-10-14', '--fail-on', 'critical']).status).toBe(0);
    expect(scan(['--since', '2026-10-01', '--until', '2026-10-10', '--fail-on', 'warning']).status).toBe(0);
  });

  it('says plainly when there is too little history, and exits 3 under --fail-on', () => {
    const r = scan(['--since', '2026-09-01', '--until', '2026-09-05', '--fail-on', 'critical']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('too little history to judge: 0 days of data before the range, 14 needed');
    expect(json<Result>(r).verdict.insufficientData).toBe(true);
    expect(scan(['--since', '2026-09-01', '--until', '2026-09-05']).status).toBe(0);
  });

  it('keeps the simple stddev method for comparison (it misses the runaway loop: weekends inflate σ)', () => {
    const r = json<Result>(scan(['--since', '2026-09-15', '--until', '2026-10-31', '--method', 'stddev']));
    expect(r.anomalies.filter((a) => a.entity === null).map((a) => a.period)).toEqual(['2026-09-22']);
    const lower = json<Result>(scan(['--since', '2026-09-15', '--until', '2026-10-31', '--method', 'stddev', '--sensitivity', '2']));
    expect(lower.anomalies.filter((a) => a.entity === null).map((a) => a.period)).toContain('2026-09-22');
  });

  it('scans hours for runaway loops', () => {
    const r = scan(['--granularity', 'hourly', '--since', '2026-10-14', '--until', '2026-10-14']);
    expect(r.status).toBe(0);
    expect(json<{ granularity: string }>(r).granularity).toBe('hourly');
  });

  it('rejects bad flags', () => {
    expect(scan(['--method', 'magic']).status).toBe(2);
    expect(scan(['--fail-on', 'sometimes']).status).toBe(2);
    expect(scan(['--min-impact', '-1']).status).toBe(2);
  });
});
