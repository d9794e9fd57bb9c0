import { describe, expect, it } from 'vitest';
import { json, sandbox, useDemoDb } from '../helpers/cli.js';

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
    // The demo data puts each day's usage at noon, so it has no hourly shape to scan; this input does: ten days of
    // a steady service (bob on /chat, every hour at :10, 40,000 + 1,000 × (hour mod 7) input tokens and a tenth of
    // that output), then erin's loop at 2026-10-10 14:20.
    const rows = ['timestamp,user,endpoint,model,input_tokens,output_tokens'];
    for (let d = 1; d <= 10; d++) {
      for (let h = 0; h < 24; h++) {
        const input = 40_000 + 1_000 * (h % 7);
        rows.push(`2026-10-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:10:00Z,bob,/chat,gpt-4o,${input},${input / 10}`);
      }
    }
    rows.push('2026-10-10T14:20:00Z,erin,/search/answer,gpt-4o,3000000,300000');
    const sb = sandbox();
    try {
      expect(sb.run(['ingest', '-', '--json'], { input: `${rows.join('\n')}\n` }).status).toBe(0);
      const r = sb.run(['anomalies', '--granularity', 'hourly', '--since', '2026-10-10', '--until', '2026-10-10', '--tz', 'UTC', '--json']);
      expect(r.status).toBe(0);
      const j = json<Result & { granularity: string }>(r);
      expect(j).toMatchObject({ granularity: 'hourly', scored: 24, history: { available: 168 } }); // the 168-hour window, full
      // gpt-4o at $2.50/M input and $10/M output: erin 3,000,000 × 2.5 + 300,000 × 10 = $10.50 of excess;
      // bob at 14:00 (14 mod 7 = 0): 40,000 × 2.5 + 4,000 × 10 = $0.14, the hour's expected cost.
      // erin had spent nothing before: she is also a new spender, with her share of the hour's total.
      expect(j.anomalies.map((a) => [a.period, a.kind, a.entity, a.excessNanos])).toEqual([
        ['2026-10-10T14:00', 'spike', null, 10_500_000_000],
        ['2026-10-10T14:00', 'new', { dimension: 'user', name: 'erin' }, 10_500_000_000],
      ]);
      expect(j.anomalies[1]?.summary).toBe('2026-10-10T14:00: user erin: new spender, $10.50 (99% of the total) with no history');
      expect(j.anomalies[0]?.summary).toBe(
        '2026-10-10T14:00: +$10.50 over expected ($10.64 vs $0.14); 100% from user erin on gpt-4o via endpoint /search/answer',
      );
      expect(j.anomalies[0]?.drivers?.user?.[0]).toMatchObject({ entity: 'erin', share: 1, attributedNanos: 10_500_000_000 });
    } finally {
      sb.dispose();
    }
  });

  it("finds a key's runaway loop within its hours, and names the key", () => {
    // Ten days of two API keys, every hour at :05: svc-chat (bob) 400,000 input + 40,000 output tokens of gpt-4o
    // ($1.40 an hour) and svc-search (erin) 200,000 + 20,000 ($0.70 an hour); then svc-search loops at 10× its
    // rate from 13:00 to 16:59 on 2026-10-10.
    const rows = ['timestamp,user,api_key,endpoint,model,input_tokens,output_tokens'];
    for (let d = 1; d <= 10; d++) {
      for (let h = 0; h < 24; h++) {
        const at = `2026-10-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:05:00Z`;
        const loop = d === 10 && h >= 13 && h <= 16 ? 10 : 1;
        rows.push(`${at},bob,svc-chat,/chat,gpt-4o,400000,40000`);
        rows.push(`${at},erin,svc-search,/search,gpt-4o,${200_000 * loop},${20_000 * loop}`);
      }
    }
    const sb = sandbox();
    try {
      expect(sb.run(['ingest', '-', '--json'], { input: `${rows.join('\n')}\n` }).status).toBe(0);
      const r = sb.run([
        'anomalies',
        '--granularity',
        'hourly',
        '--by',
        'api-key',
        '--since',
        '2026-10-10',
        '--until',
        '2026-10-10',
        '--tz',
        'UTC',
        '--json',
      ]);
      expect(r.status).toBe(0);
      const j = json<Result>(r);
      // Each loop hour: $7.00 against the usual $0.70, $6.30 over; on the total and on the key's own series.
      const byKey = j.anomalies.filter((a) => a.entity !== null).map((a) => [a.period, a.kind, a.entity?.name, a.excessNanos]);
      expect(byKey).toEqual(['13', '14', '15', '16'].map((h) => [`2026-10-10T${h}:00`, 'spike', 'svc-search', 6_300_000_000]));
      const total = j.anomalies.filter((a) => a.entity === null);
      expect(total.map((a) => [a.period, a.excessNanos])).toEqual(
        ['13', '14', '15', '16'].map((h) => [`2026-10-10T${h}:00`, 6_300_000_000]),
      );
      for (const a of total) expect(a.drivers?.user?.[0]).toMatchObject({ entity: 'erin', share: 1, attributedNanos: 6_300_000_000 });
    } finally {
      sb.dispose();
    }
  });

  it('quotes in --help the defaults the code uses', () => {
    const help = demo.sb.run(['anomalies', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('threshold multiplier k (default 5 robust, 3 stddev)');
    expect(help).toContain('default 28 days / 168 hours');
    expect(help).toContain('(default: 1)'); // --min-impact
    const r = json<Result & { params: { k: number; window: number; minImpactUsd: number } }>(scan(['--since', '2026-10-01']));
    expect(r.params).toMatchObject({ k: 5, window: 28, minImpactUsd: 1 });
    const stddev = json<Result & { params: { k: number } }>(scan(['--since', '2026-10-01', '--method', 'stddev']));
    expect(stddev.params.k).toBe(3);
  });

  it('rejects bad flags', () => {
    expect(scan(['--method', 'magic']).status).toBe(2);
    expect(scan(['--fail-on', 'sometimes']).status).toBe(2);
    expect(scan(['--min-impact', '-1']).status).toBe(2);
  });
});
