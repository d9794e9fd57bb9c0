import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

let sb: ReturnType<typeof sandbox>;
beforeEach(() => {
  sb = sandbox();
  writeFileSync(
    join(sb.dir, 'llmcost.config.json'),
    JSON.stringify({ timezone: 'UTC', budgets: [{ name: 'org-hourly', period: 'daily', amountUsd: 100, limits: { hourlyUsd: 10 } }] }),
  );
  expect(sb.run(['ingest', 'csv', fixture('csv', 'runaway-hour.csv')]).status).toBe(0);
});
afterEach(() => sb.dispose());

type Breaker = {
  limitNanos: number;
  actualNanos: number;
  tripped: boolean;
  state: string;
  openedAt: string | null;
  closesNoEarlierThan: string | null;
};
type Check = { budgets: { breakers: { hourly: Breaker }; gateCode: string | null }[]; verdict: { exitCode: number } };

const check = (now: string, args: string[] = ['--json']) => sb.run(['budget', 'check', ...args], { env: { LLMCOST_NOW: now } });

describe('budget check: a circuit breaker latches', () => {
  it('opens when the clock hour passes the limit and holds through the next hour, though its spend is back to zero', () => {
    const before = check('2026-11-23T14:30:00Z');
    expect(before.status).toBe(0);
    // $5 + $5 in the 14:00 hour: at the limit, not over it.
    expect(json<Check>(before).budgets[0]?.breakers.hourly).toEqual({
      limitNanos: 10_000_000_000,
      actualNanos: 10_000_000_000,
      tripped: false,
      state: 'closed',
      openedAt: null,
      closesNoEarlierThan: null,
    });

    const during = check('2026-11-23T14:40:00Z');
    expect(during.status).toBe(1);
    expect(json<Check>(during).budgets[0]).toMatchObject({
      gateCode: 'hourly-limit',
      breakers: {
        hourly: {
          actualNanos: 15_000_000_000,
          tripped: true,
          state: 'open',
          openedAt: '2026-11-23T14:00:00.000Z',
          closesNoEarlierThan: '2026-11-23T16:00:00.000Z',
        },
      },
    });

    // 15:45: nothing spent in the last 60 minutes (the unlatched breaker said "fine" here), still latched.
    const latched = check('2026-11-23T15:45:00Z');
    expect(latched.status).toBe(1);
    expect(json<Check>(latched).budgets[0]).toMatchObject({
      gateCode: 'hourly-limit',
      breakers: { hourly: { actualNanos: 0, tripped: true, state: 'open', openedAt: '2026-11-23T14:00:00.000Z' } },
    });
    const table = check('2026-11-23T15:45:00Z', []);
    expect(table.status).toBe(1);
    expect(table.stdout).toContain(
      'org-hourly: hourly breaker open since 14:00 UTC (limit $10.00, $0.00 this hour so far, closes no earlier than 16:00 UTC).',
    );
    expect(table.stderr).toBe('llmcost: budget gate tripped: org-hourly (hourly limit).\n');

    const after = check('2026-11-23T16:00:00Z');
    expect(after.status).toBe(0);
    expect(json<Check>(after).budgets[0]?.breakers.hourly).toMatchObject({ tripped: false, state: 'closed', openedAt: null });
  });

  it('says when it opened in the markdown job summary', () => {
    const md = check('2026-11-23T15:45:00Z', ['--format', 'markdown']);
    expect(md.status).toBe(1);
    expect(md.stdout).toContain('org-hourly: hourly breaker open since 14:00 UTC');
  });
});

/** No credentials anywhere: a call the guard lets through fails at the SDK with exit 4, before any network. */
const noCredentials = {
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9',
  LLMCOST_NOW: '2026-11-23T15:45:00Z',
};

describe('prompt --guard breaker', () => {
  it('refuses to send while a breaker of a budget covering the call is open, naming it and when it opened', () => {
    const r = sb.run(['prompt', 'hi', '--model', 'claude-3-haiku', '--guard', 'breaker'], { env: noCredentials });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'llmcost: Budget "org-hourly" has its hourly breaker open since 14:00 UTC (limit $10.00, $0.00 this hour so far, closes no earlier than 16:00 UTC): not sending (--guard breaker).\n  Pass --force to send anyway, or --guard exceeded to stop only at an exceeded budget.\n',
    );
    // --guard warning is stricter and stops there too.
    expect(sb.run(['prompt', 'hi', '--model', 'claude-3-haiku', '--guard', 'warning'], { env: noCredentials }).status).toBe(1);
    // The default guard stops only at an exceeded budget, as before; --force overrides: both reach the SDK (exit 4).
    const through = sb.run(['prompt', 'hi', '--model', 'claude-3-haiku'], { env: noCredentials });
    expect(through.status).toBe(4);
    expect(through.stderr).toContain('No AWS credentials');
    expect(sb.run(['prompt', 'hi', '--model', 'claude-3-haiku', '--guard', 'breaker', '--force'], { env: noCredentials }).status).toBe(4);
    // Once the breaker has closed, --guard breaker lets the call through.
    const closed = sb.run(['prompt', 'hi', '--model', 'claude-3-haiku', '--guard', 'breaker'], {
      env: { ...noCredentials, LLMCOST_NOW: '2026-11-23T16:00:00Z' },
    });
    expect(closed.status).toBe(4);
  });
});
