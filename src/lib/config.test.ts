import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseBudget } from './config.js';

function config(data: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-config-'));
  writeFileSync(join(dir, 'llmcost.config.json'), JSON.stringify(data));
  return dir;
}

describe('inferenceProfiles', () => {
  it('maps profile ids and ARNs to models', () => {
    const arn = 'arn:aws:bedrock:eu-west-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
    const c = loadConfig(
      undefined,
      config({ inferenceProfiles: { abcdefabcdef: 'amazon.nova-lite-v1:0', [arn]: 'anthropic.claude-3-haiku-20240307-v1:0' } }),
    );
    expect(c.inferenceProfiles).toEqual({ abcdefabcdef: 'amazon.nova-lite-v1:0', [arn]: 'anthropic.claude-3-haiku-20240307-v1:0' });
    expect(loadConfig(undefined, config({})).inferenceProfiles).toEqual({});
  });

  it('names the bad key', () => {
    expect(() => loadConfig(undefined, config({ inferenceProfiles: ['x'] }))).toThrow(/: inferenceProfiles: expected an object/);
    expect(() => loadConfig(undefined, config({ inferenceProfiles: { 'Not-An-Id': 'm' } }))).toThrow(
      /inferenceProfiles\.Not-An-Id: expected an application inference profile id/,
    );
    expect(() => loadConfig(undefined, config({ inferenceProfiles: { abcdefabcdef: '' } }))).toThrow(
      /inferenceProfiles\.abcdefabcdef: expected the model id the profile routes to/,
    );
  });
});

describe('notify', () => {
  it('reads the targets with where each is in the file, and "always"', () => {
    const c = loadConfig(
      undefined,
      config({
        notify: {
          targets: [{ urlEnv: 'SLACK_WEBHOOK_URL' }, { url: 'https://example.com/hook', kind: 'webhook', commands: ['anomalies'] }],
          always: true,
        },
      }),
    );
    expect(c.notify).toEqual({
      targets: [
        { urlEnv: 'SLACK_WEBHOOK_URL', at: 'notify.targets[0]' },
        { url: 'https://example.com/hook', kind: 'webhook', commands: ['anomalies'], at: 'notify.targets[1]' },
      ],
      always: true,
    });
    expect(loadConfig(undefined, config({})).notify).toBeUndefined();
  });

  it.each([
    [
      { notify: { targets: [{}] } },
      'notify.targets[0]: expected exactly one of "url" (the webhook URL) or "urlEnv" (the variable that holds it).',
    ],
    [{ notify: { targets: [{ url: 'hooks.slack.com/services/SECRET' }] } }, 'notify.targets[0].url: expected an http(s) URL.'],
    [
      { notify: { targets: [{ urlEnv: 'not a name' }] } },
      'notify.targets[0].urlEnv: expected the name of an environment variable, e.g. "SLACK_WEBHOOK_URL", got "not a name".',
    ],
    [
      { notify: { targets: [{ urlEnv: 'X', commands: ['report'] }] } },
      'notify.targets[0].commands[0]: expected "budget" or "anomalies", got "report".',
    ],
    [{ notify: { target: [] } }, 'notify.target: unknown field (allowed: targets, always).'],
  ])('%j → %s', (data, message) => {
    expect(() => loadConfig(undefined, config(data))).toThrow(message);
  });
});

describe('schema messages name the file and the field', () => {
  const budget = { name: 'team', period: 'monthly', amountUsd: 5 };
  it.each([
    [[], '$: expected an object, got [].'],
    [{ colour: 1 }, 'colour: unknown field (allowed: $schema, db, timezone, prices, inferenceProfiles, budgets, notify).'],
    [{ db: '' }, 'db: expected a non-empty string.'],
    [{ timezone: 3 }, 'timezone: expected a string, got 3.'],
    [{ budgets: {} }, 'budgets: expected a list of budgets, got {}.'],
    [{ budgets: [3] }, 'budgets[0]: expected a budget object {"name", "period", "amountUsd", ...}, got 3.'],
    [{ budgets: [{ ...budget, amountUsd: -5 }] }, 'budgets[0].amountUsd: expected a number > 0, got -5.'],
    [
      { budgets: [{ ...budget, period: 'fortnightly' }] },
      'budgets[0].period: expected "daily", "weekly", "monthly", or a rolling window of 1 to 366 days such as "30d", got "fortnightly".',
    ],
    [
      { budgets: [{ ...budget, period: '0d' }] },
      'budgets[0].period: expected "daily", "weekly", "monthly", or a rolling window of 1 to 366 days such as "30d", got "0d".',
    ],
    [{ budgets: [{ ...budget, perUser: 'yes' }] }, 'budgets[0].perUser: expected boolean, got "yes".'],
    [{ budgets: [{ period: 'monthly', amountUsd: 5 }] }, 'budgets[0].name: missing.'],
    [{ budgets: [{ ...budget, name: ' ' }] }, 'budgets[0].name: expected a non-empty string.'],
    [
      { budgets: [{ ...budget, extra: 1 }] },
      'budgets[0].extra: unknown field (allowed: name, period, perUser, amountUsd, scope, warnAt, limits).',
    ],
    [
      { budgets: [{ ...budget, scope: { colour: 'x' } }] },
      'budgets[0].scope.colour: unknown scope key (allowed: team, user, model, endpoint, apiKey, provider, source, tag).',
    ],
    [{ budgets: [{ ...budget, scope: { team: [] } }] }, 'budgets[0].scope.team: expected a string or a list of strings, got [].'],
    [
      { budgets: [{ ...budget, warnAt: [0, 1] }] },
      'budgets[0].warnAt[0]: expected a list of fractions of the budget, e.g. [0.5, 0.8, 1], got 0.',
    ],
    [{ budgets: [{ ...budget, limits: { hourlyUsd: 0 } }] }, 'budgets[0].limits.hourlyUsd: expected a number > 0, got 0.'],
    [{ budgets: [{ ...budget, limits: { weekly: 1 } }] }, 'budgets[0].limits.weekly: unknown field (allowed: hourlyUsd, dailyUsd).'],
    [{ budgets: [budget, { ...budget, period: 'daily' }] }, 'budgets[1].name: "team" is used twice; budget names must be unique.'],
    [
      { inferenceProfiles: { abcdefabcdef: '  ' } },
      'inferenceProfiles.abcdefabcdef: expected the model id the profile routes to (e.g. "anthropic.claude-3-haiku-20240307-v1:0"), got "  ".',
    ],
  ])('%j', (data, message) => {
    const dir = config(data);
    expect(() => loadConfig(undefined, dir)).toThrow(`${join(dir, 'llmcost.config.json')}: ${message}`);
  });

  it('reads a valid file with the defaults filled in', () => {
    const dir = config({ db: 'x.db', timezone: 'Europe/Berlin', budgets: [{ ...budget, scope: { team: 'search' }, warnAt: [1, 0.5] }] });
    expect(loadConfig(undefined, dir)).toEqual({
      file: join(dir, 'llmcost.config.json'),
      db: join(dir, 'x.db'),
      timezone: 'Europe/Berlin',
      inferenceProfiles: {},
      budgets: [
        { name: 'team', period: 'monthly', amountUsd: 5, scope: { team: ['search'] }, warnAt: [0.5, 1], limits: {}, perUser: false },
      ],
    });
  });

  it('reads rolling periods and per-user limits', () => {
    const dir = config({ budgets: [{ ...budget, period: '30d', perUser: true }] });
    expect(loadConfig(undefined, dir).budgets[0]).toMatchObject({ period: '30d', perUser: true });
  });

  it('checks one budget from the command line against the same schema', () => {
    expect(() => parseBudget({ ...budget, scope: { colour: ['red'] } }, 'command line', '--monthly')).toThrow(
      'command line: --monthly.scope.colour: unknown scope key',
    );
  });
});
