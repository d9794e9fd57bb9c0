import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, json, useDemoDb } from '../helpers/cli.js';

// Demo data (2026-09-01 … 2026-10-31) with the clock set inside October.
const demo = useDemoDb();

type Check = {
  budgets: {
    name: string;
    status: string;
    spentNanos: number;
    expectedNanos: number;
    pace: number;
    projectedLinearNanos: number;
    remainingDays: number;
    gate: string | null;
    gateCode: string | null;
    forecastExceeds: boolean;
  }[];
  dataProblems: { code: string; budget: string | null }[];
  verdict: { exitCode: number; tripped: { budget: string; reason: string; code: string }[] };
};
const check = (args: string[], env: Record<string, string> = {}) =>
  demo.sb.run(['budget', 'check', '--db', demo.db, '--tz', 'UTC', ...args], { env: { LLMCOST_NOW: '2026-10-15T18:00:00Z', ...env } });

describe('budget check', () => {
  it('passes a budget on pace, with exact pace and projection', () => {
    const r = check(['--monthly', '5000', '--json']);
    expect(r.status).toBe(0);
    const [b] = json<Check>(r).budgets;
    // Day 15 of 31: expected $5,000 × 15/31 = $2,419.354838710.
    expect(b).toMatchObject({ status: 'on-track', expectedNanos: 2_419_354_838_710, remainingDays: 17, gate: null });
    // Spent = SUM(cost_nanos) over 2026-10-01T00:00Z ≤ ts < 2026-10-15T18:00Z, read from the demo database by SQL.
    // Linear projection: 1,252,687,496,695 × 31 / 15 = 2,588,887,493,169.67 → 2,588,887,493,170 (half-up);
    // pace = spent / expected = 1,252,687,496,695 / 2,419,354,838,710 = 0.517777.
    expect(b).toMatchObject({ spentNanos: 1_252_687_496_695, projectedLinearNanos: 2_588_887_493_170, pace: 0.517777 });
    expect(r.stderr).toBe('llmcost: 1 budget within limits (--fail-on exceeded).\n');
  });

  it('exits 1 when a budget is exceeded, and says which', () => {
    const r = check(['--monthly', '1000', '--name', 'org']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('llmcost: budget gate tripped: org (exceeded).');
  });

  it('exits 1 on a forecast overrun only with --fail-on forecast', () => {
    expect(check(['--monthly', '2400']).status).toBe(0);
    const r = check(['--monthly', '2400', '--fail-on', 'forecast', '--json']);
    expect(r.status).toBe(1);
    expect(json<Check>(r).verdict.tripped).toEqual([{ budget: 'cli', reason: 'forecast to exceed', code: 'forecast' }]);
    expect(json<Check>(r).budgets[0]).toMatchObject({ gate: 'forecast to exceed', gateCode: 'forecast' });
  });

  it('exits 1 on a tripped circuit breaker even when the data is stale: the overrun is certain', () => {
    const file = join(demo.sb.dir, 'breaker.config.json');
    const budgets = [{ name: 'org', period: 'monthly', amountUsd: 5000, limits: { dailyUsd: 1 } }];
    writeFileSync(file, JSON.stringify({ budgets }));
    const r = demo.sb.run(['budget', 'check', '--db', demo.db, '--config', file, '--tz', 'UTC', '--max-age', '1h', '--json'], {
      env: { LLMCOST_NOW: '2026-10-31T23:00:00Z' },
    });
    expect(r.status).toBe(1);
    const j = json<Check>(r);
    expect(j.dataProblems.map((p) => p.code)).toEqual(['STALE_DATA']);
    expect(j.budgets[0]).toMatchObject({ status: 'on-track', gate: 'daily limit', gateCode: 'daily-limit' });
    expect(j.verdict.tripped).toEqual([{ budget: 'org', reason: 'daily limit', code: 'daily-limit' }]);
  });

  it('reads budgets, scopes and circuit breakers from the config file', () => {
    const r = demo.sb.run(['budget', 'check', '--db', demo.db, '--config', fixture('config', 'llmcost.config.json'), '--json'], {
      env: { LLMCOST_NOW: '2026-10-14T20:00:00Z' },
    });
    expect(r.status).toBe(1);
    const j = json<Check>(r);
    expect(j.budgets.map((b) => [b.name, b.status, b.gate])).toEqual([
      ['org-monthly', 'on-track', null],
      ['research', 'on-track', null],
      ['search-daily', 'exceeded', 'exceeded'],
    ]);
    // The research budget only counts the research team. SUM(cost_nanos) over 2026-10-01T00:00Z ≤ ts < 2026-10-14T20:00Z
    // read from the demo database by SQL: all teams 1,152,645,008,850; team = 'research' 675,231,209,000.
    expect(j.budgets.map((b) => b.spentNanos).slice(0, 2)).toEqual([1_152_645_008_850, 675_231_209_000]);
  });

  it('exits 3 on a data problem: stale data, no data in the period, unpriced over the limit', () => {
    const stale = check(['--monthly', '5000', '--max-age', '1d', '--json'], { LLMCOST_NOW: '2026-11-20T00:00:00Z' });
    expect(stale.status).toBe(3);
    expect(json<Check>(stale).dataProblems.map((p) => p.code)).toEqual(['NO_DATA_IN_PERIOD', 'STALE_DATA']);
    expect(stale.stderr).toContain("the newest request log in the budget's scope is from 2026-10-31");
    const unpriced = check(['--monthly', '5000', '--max-unpriced', '1%', '--json']);
    expect(unpriced.status).toBe(3);
    expect(json<Check>(unpriced).dataProblems).toEqual([expect.objectContaining({ code: 'UNPRICED', budget: 'cli' })]);
    expect(check(['--monthly', '5000', '--max-unpriced', '20%']).status).toBe(0);
  });

  it('writes the job summary and GitHub annotations', () => {
    const summary = join(demo.sb.dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = check(['--monthly', '1000', '--name', 'org'], { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' });
    expect(r.status).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('# earlier step\n## ❌ llmcost budgets');
    expect(md).toContain('| org | monthly from 2026-10-01 |');
    expect(r.stderr).toMatch(/^::error title=llmcost budget org::Budget org: \$[\d,.]+ of \$1,000\.00 \([\d.]+%\) monthly, exceeded/m);
  });

  it('budget status reports without failing', () => {
    const r = demo.sb.run(['budget', 'status', '--db', demo.db, '--tz', 'UTC', '--monthly', '1000', '--json'], {
      env: { LLMCOST_NOW: '2026-10-15T18:00:00Z' },
    });
    expect(r.status).toBe(0);
    expect(json<Check>(r).budgets[0]?.status).toBe('exceeded');
  });

  it('rejects a bad config field, naming it and what is allowed', () => {
    const bad = fixture('config', 'bad-field.config.json');
    const r = demo.sb.run(['budget', 'check', '--db', demo.db, '--config', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${bad}: budgets[0].period: expected "daily", "weekly", "monthly", or a rolling window of 1 to 366 days such as "30d", got "fortnightly".`,
    );
    expect(demo.sb.run(['budget', 'check', '--db', demo.db]).stderr).toContain('No budgets to check.');
    expect(check(['--monthly', '-5'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--monthly -5: expected a positive amount of USD'),
    });
    expect(check(['--monthly', '5', '--scope', 'colour=red']).stderr).toContain('scope.colour: unknown scope key');
  });

  it('checks the config file against its JSON Schema, with the file and field in the message', () => {
    const file = join(demo.sb.dir, 'schema-bad.config.json');
    writeFileSync(file, JSON.stringify({ budgets: [{ name: 'org', period: 'monthly', amountUsd: -5 }] }));
    expect(demo.sb.run(['budget', 'check', '--db', demo.db, '--config', file])).toEqual({
      status: 2,
      stdout: '',
      stderr: `llmcost: ${file}: budgets[0].amountUsd: expected a number > 0, got -5.\n  See README "Budgets" or the JSON Schema in schema/llmcost.config.schema.json.\n`,
    });
  });
});
