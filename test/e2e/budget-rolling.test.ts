import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

const sb = sandbox();
const env = { LLMCOST_NOW: '2026-10-30T12:00:00Z' };
beforeAll(() => {
  const r = sb.run(['ingest', 'csv', fixture('whatif', 'endpoints.csv')]);
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => sb.dispose());

type Check = { budgets: { name: string; period: string; periodStart: string; spentNanos: number; status: string }[] };

const check = (budgets: unknown[]) => {
  writeFileSync(join(sb.dir, 'llmcost.config.json'), JSON.stringify({ budgets }));
  return sb.run(['budget', 'check', '--tz', 'UTC', '--json'], { env });
};

describe('budgets: rolling periods and per-user limits', () => {
  it('sums a rolling 7d window (today and the 6 days before), not the calendar week', () => {
    const r = check([
      { name: 'rolling-7', period: '7d', amountUsd: 1 },
      { name: 'week', period: 'weekly', amountUsd: 1 },
    ]);
    expect(r.status).toBe(0);
    // 2026-10-24 to 10-30: alice on the 25th (900 output) and 30th (2,000): 2,000 × $0.80 + 2,900 × $4 per 1M =
    // $0.0132, bob twice 500 × $0.15 + 5 × $0.60 = $0.000156. The ISO week from Monday the 26th holds only the 30th.
    expect(json<Check>(r).budgets.map((b) => [b.name, b.period, b.periodStart, b.spentNanos])).toEqual([
      ['rolling-7', '7d', '2026-10-24', 13_356_000],
      ['week', 'weekly', '2026-10-26', 8_878_000],
    ]);
  });

  it('holds each user to a perUser limit instead of pooling them', () => {
    const r = check([
      { name: 'per-user', period: '30d', amountUsd: 0.02, perUser: true },
      { name: 'pooled', period: '30d', amountUsd: 0.05 },
    ]);
    // Alice spent $0.034 and Bob $0.00078: together $0.03478 is under $0.05, but Alice alone is over $0.02.
    expect(r.status).toBe(1);
    expect(json<Check>(r).budgets.map((b) => [b.name, b.spentNanos, b.status])).toEqual([
      ['per-user [user=alice]', 34_000_000, 'exceeded'],
      ['per-user [user=bob]', 780_000, 'under-utilized'],
      ['pooled', 34_780_000, 'on-track'],
    ]);
    expect(r.stderr).toBe('llmcost: budget gate tripped: per-user [user=alice] (exceeded).\n');
  });

  it('rejects a period that is neither calendar nor a number of days', () => {
    const r = check([{ name: 'x', period: '30days', amountUsd: 1 }]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'budgets[0].period: expected "daily", "weekly", "monthly", or a rolling window of 1 to 366 days such as "30d", got "30days".',
    );
  });
});
