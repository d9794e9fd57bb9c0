import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox, useDemoDb } from '../helpers/cli.js';

// fixtures/csv/basic.csv: seven requests from 2026-10-01 to 2026-10-04, $4.87 priced in all ($4.10 on 10-01).
// LLMCOST_COLUMNS lays the output out as for a terminal that wide: the e2e runs have no terminal.
let sb: ReturnType<typeof sandbox>;
beforeAll(() => {
  sb = sandbox();
  const r = sb.run(['ingest', 'csv', fixture('csv', 'basic.csv'), '--json']);
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => sb.dispose());

const report = (args: string[], env: Record<string, string> = {}) =>
  sb.run(['report', '--since', '2026-10-01', '--until', '2026-10-05', ...args], { env });
const term = { LLMCOST_COLUMNS: '80' };
const CHART = [
  'Cost per day',
  '$4.10 ┤█',
  '      │█',
  '      │█',
  '      │█',
  '      │█',
  '      │█ ▂ ▁ ▆',
  '   $0 └──────────',
  '       10-01',
].join('\n');

describe('report chart', () => {
  it('is drawn under a report by period on a terminal, and with --chart when piped', () => {
    const tty = report(['--daily'], term);
    expect(tty.status).toBe(0);
    expect(tty.stdout.endsWith(`\n\n${CHART}\n`)).toBe(true);
    expect(report(['--daily', '--chart']).stdout.endsWith(`\n\n${CHART}\n`)).toBe(true);
    expect(report(['--weekly', '--chart']).stdout).toContain('Cost per week\n$4.87 ┤█\n');
  });

  it('is not drawn when piped, with --no-chart, without a period, or in JSON, CSV and markdown', () => {
    expect(report(['--daily']).stdout).not.toContain('Cost per day');
    expect(report(['--daily', '--no-chart'], term).stdout).not.toContain('Cost per day');
    expect(report(['--by', 'user'], term).stdout).not.toContain('Cost per');
    expect(json<{ kind: string }>(report(['--daily', '--chart', '--json'], term)).kind).toBe('usage-report');
    expect(report(['--daily', '--chart', '--format', 'csv'], term).stdout).not.toContain('Cost per');
    expect(report(['--daily', '--chart', '--format', 'markdown'], term).stdout).not.toContain('Cost per');
  });
});

describe('tables on a terminal', () => {
  it('hide columns in the documented order to fit, and say which; every line fits', () => {
    const r = report(['--by', 'model,endpoint'], term);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      [
        '┌────────────────────────────┬───────────┬──────────┬─────────┬──────────┐',
        '│ Model                      │ Endpoint  │ Requests │    Cost │ Unpriced │',
        '├────────────────────────────┼───────────┼──────────┼─────────┼──────────┤',
        '│ gpt-4o                     │ /answer   │        1 │   $3.50 │        0 │',
      ].join('\n'),
    );
    expect(r.stdout).toContain(
      '└────────────────────────────┴───────────┴──────────┴─────────┴──────────┘\nFitted to 80 columns: Cache write, Cache read, Avg/request, Share, Input, Output hidden (--wide shows every column in full).\n',
    );
    const table = r.stdout.split('\n').filter((l) => /^[┌│├└]/.test(l));
    expect(Math.max(...table.map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('cut long names in the middle when hiding columns is not enough', () => {
    const r = report(['--by', 'model,endpoint,user'], { LLMCOST_COLUMNS: '50' });
    expect(r.stdout).toContain('│ claude-s…0250929 │ /analyze  │ carol │   $0.07 │');
    expect(r.stdout).toContain('Unpriced hidden; long names shortened in the middle (--wide shows every column in full).');
  });

  it('--wide, and piped output, print every column in full', () => {
    const piped = report(['--by', 'model,endpoint']);
    expect(piped.stdout).toContain('│ Cache write │');
    expect(piped.stdout).not.toContain('Fitted to');
    expect(report(['--by', 'model,endpoint', '--wide'], term).stdout).toBe(piped.stdout);
  });

  it('LLMCOST_COLUMNS must be a width', () => {
    expect(report(['--daily'], { LLMCOST_COLUMNS: 'wide' })).toMatchObject({
      status: 2,
      stdout: '',
      stderr:
        'llmcost: LLMCOST_COLUMNS="wide" is not a terminal width.\n  Give a whole number of columns from 20 to 1000, e.g. LLMCOST_COLUMNS=80, or unset it.\n',
    });
  });
});

describe('sparklines on a terminal', () => {
  const demo = useDemoDb();
  const run = (args: string[], env: Record<string, string> = {}) =>
    demo.sb.run([...args, '--db', demo.db, '--tz', 'UTC'], { env: { LLMCOST_NOW: '2026-10-15T18:00:00Z', ...env } });

  it('pareto and forecast draw their charts for LLMCOST_COLUMNS as on a terminal', () => {
    const pareto = ['pareto', '--since', '2026-10-01', '--until', '2026-10-31'];
    expect(run(pareto, { LLMCOST_COLUMNS: '120' }).stdout).toContain('\nPareto chart (█ share, ● cumulative, | 80%)\n');
    expect(run(pareto).stdout).not.toContain('Pareto chart');
    expect(run(['forecast'], { LLMCOST_COLUMNS: '120' }).stdout).toContain('\nDaily spend (█ actual, ░ forecast, ┤ 80% high)\n');
  });

  it('anomalies: each row has its series over the 14 days up to it', () => {
    const args = ['anomalies', '--since', '2026-09-15', '--until', '2026-10-31'];
    const r = run(args, { LLMCOST_COLUMNS: '200' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/│ z +│ Top driver +│ Last 14 days +│\n/);
    expect(r.stdout).toMatch(/│ 2026-09-22 │ spike .* │ ▄▄▄▁▁▄▄▅▅▄▂▁▅█ │\n/);
    expect(r.stdout).toMatch(/│ 2026-10-14 │ spike .* │ ▄▄▂▁▅▄▄▄▄▂▂▅▅█ │\n/);
    expect(run(args).stdout).not.toContain('Last 14 days');
    expect(run([...args, '--json'], { LLMCOST_COLUMNS: '200' }).stdout).not.toContain('▁');
  });

  it('budget status: each budget has its last 14 days, today (so far) last', () => {
    const args = ['budget', 'status', '--monthly', '1000'];
    const r = run(args, { LLMCOST_COLUMNS: '200' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/│ Days left │ Last 14 days +│ Status +│\n/);
    expect(r.stdout).toMatch(/│ cli +│ monthly from 2026-10-01 │ .* │ ▄▂▁▅▄▄▄▄▂▂▅▅█▄ │ exceeded │\n/);
    // Too narrow: the sparkline goes first (it is never cut), then names are cut.
    const narrow = run(args, { LLMCOST_COLUMNS: '100' }).stdout;
    expect(narrow).toContain('│ cli    │ monthl…10-01 │ $1,252.69 │');
    expect(narrow).toContain(
      '\nFitted to 100 columns: Last 14 days hidden; long names shortened in the middle (--wide shows every column in full).\n',
    );
    expect(run(args).stdout).not.toContain('Last 14 days');
    expect(json<{ budgets: unknown[] }>(run([...args, '--json'], { LLMCOST_COLUMNS: '200' })).budgets).toHaveLength(1);
  });
});
