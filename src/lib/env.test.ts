import { describe, expect, it } from 'vitest';
import { checkTz, quietAwsSdkNodeNotice, readEnv, tzIsUtc } from './env.js';

const base = { HOME: '/home/u' };

describe('readEnv', () => {
  it('takes the AWS region from AWS_REGION, else AWS_DEFAULT_REGION, else AWS_REGION_NAME (LiteLLM)', () => {
    expect(readEnv({ ...base, AWS_REGION_NAME: 'eu-west-2' }).awsRegion).toBe('eu-west-2');
    expect(readEnv({ ...base, AWS_REGION_NAME: 'eu-west-2', AWS_DEFAULT_REGION: 'eu-central-1' }).awsRegion).toBe('eu-central-1');
    expect(readEnv({ ...base, AWS_REGION_NAME: 'x', AWS_DEFAULT_REGION: 'y', AWS_REGION: 'us-west-2' }).awsRegion).toBe('us-west-2');
    expect(readEnv(base).awsRegion).toBeUndefined();
  });

  it('takes LiteLLM’s database URL from LITELLM_DATABASE_URL, else DATABASE_URL, and says which', () => {
    expect(readEnv({ ...base, DATABASE_URL: 'postgres://a' }).litellmDatabaseUrl).toEqual({ url: 'postgres://a', from: 'DATABASE_URL' });
    expect(readEnv({ ...base, DATABASE_URL: 'postgres://a', LITELLM_DATABASE_URL: 'postgres://b' }).litellmDatabaseUrl).toEqual({
      url: 'postgres://b',
      from: 'LITELLM_DATABASE_URL',
    });
    expect(readEnv({ ...base, DATABASE_URL: '' }).litellmDatabaseUrl).toBeUndefined();
  });

  it('reads LLMCOST_NOW as an ISO time, a date, or epoch milliseconds', () => {
    expect(readEnv({ ...base, LLMCOST_NOW: '2026-10-15T18:00:00Z' }).now).toBe(Date.UTC(2026, 9, 15, 18));
    expect(readEnv({ ...base, LLMCOST_NOW: '2026-10-15' }).now).toBe(Date.UTC(2026, 9, 15));
    expect(readEnv({ ...base, LLMCOST_NOW: '1791309600000' }).now).toBe(1791309600000);
    expect(readEnv(base).now).toBeUndefined();
  });

  it.each([
    'garbage',
    '2026-13-01',
    '2026-02-30T00:00:00Z',
    'Oct 15 2026',
  ])('refuses LLMCOST_NOW=%s instead of running with NaN', (value) => {
    expect(() => readEnv({ ...base, LLMCOST_NOW: value })).toThrow(`LLMCOST_NOW="${value}" is not a date-time.`);
  });

  it('reads LLMCOST_LOCK_TIMEOUT in seconds; unset waits as long as it takes', () => {
    expect(readEnv({ ...base, LLMCOST_LOCK_TIMEOUT: '2.5' }).lockTimeoutMs).toBe(2500);
    expect(readEnv({ ...base, LLMCOST_LOCK_TIMEOUT: '0' }).lockTimeoutMs).toBe(0);
    expect(readEnv(base).lockTimeoutMs).toBeUndefined();
    expect(() => readEnv({ ...base, LLMCOST_LOCK_TIMEOUT: '10s' })).toThrow('LLMCOST_LOCK_TIMEOUT="10s" is not a number of seconds.');
    expect(() => readEnv({ ...base, LLMCOST_LOCK_TIMEOUT: '-1' })).toThrow('is not a number of seconds');
  });

  it.each(['UTC', 'Europe/Berlin', ':Europe/Berlin', 'EST5EDT', ''])('accepts TZ=%j', (tz) => {
    expect(() => checkTz({ ...base, TZ: tz })).not.toThrow();
  });

  it.each(['Foo/Bar', 'CET-1CEST', '/usr/share/zoneinfo/Europe/Paris'])('refuses TZ=%s, which Node would silently read as UTC', (tz) => {
    expect(() => checkTz({ ...base, TZ: tz })).toThrow(`TZ="${tz}" is not a time zone llmcost knows.`);
  });
});

describe('quietAwsSdkNodeNotice', () => {
  it("turns the AWS SDK's Node 22 notice off with its own switch, and keeps a switch the user set", () => {
    const unset: NodeJS.ProcessEnv = {};
    quietAwsSdkNodeNotice(unset);
    expect(unset.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    const set: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' };
    quietAwsSdkNodeNotice(set);
    expect(set.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false');
  });
});

describe('notifications', () => {
  it('reads LLMCOST_COLUMNS as a terminal width from 20 to 1000; unset: the real terminal decides', () => {
    expect(readEnv({ ...base, LLMCOST_COLUMNS: '80' }).columns).toBe(80);
    expect(readEnv({ ...base, LLMCOST_COLUMNS: ' 132 ' }).columns).toBe(132);
    expect(readEnv(base).columns).toBeUndefined();
    for (const bad of ['19', '1001', '80.5', 'wide'])
      expect(() => readEnv({ ...base, LLMCOST_COLUMNS: bad })).toThrow('is not a terminal width');
  });

  it('reads LLMCOST_NOTIFY_BACKOFF_MS (default 1000) and refuses what is not whole milliseconds', () => {
    expect(readEnv(base).notifyBackoffMs).toBe(1000);
    expect(readEnv({ ...base, LLMCOST_NOTIFY_BACKOFF_MS: '0' }).notifyBackoffMs).toBe(0);
    expect(() => readEnv({ ...base, LLMCOST_NOTIFY_BACKOFF_MS: '1s' })).toThrow(
      'LLMCOST_NOTIFY_BACKOFF_MS="1s" is not a whole number of milliseconds.',
    );
  });

  it('links the GitHub Actions run when all three variables are set', () => {
    const gh = { GITHUB_SERVER_URL: 'https://github.com/', GITHUB_REPOSITORY: 'acme/llm', GITHUB_RUN_ID: '42' };
    expect(readEnv({ ...base, ...gh }).githubRunUrl).toBe('https://github.com/acme/llm/actions/runs/42');
    expect(readEnv({ ...base, ...gh, GITHUB_RUN_ID: '' }).githubRunUrl).toBeUndefined();
  });

  it('looks up a variable named in the config, empty as unset', () => {
    const env = readEnv({ ...base, SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/x', EMPTY: '' });
    expect(env.lookup('SLACK_WEBHOOK_URL')).toBe('https://hooks.slack.com/services/x');
    expect(env.lookup('EMPTY')).toBeUndefined();
  });
});

describe('tzIsUtc', () => {
  it.each([
    ['UTC', true],
    ['Etc/UTC', true],
    [undefined, false],
    ['', false],
    ['Europe/Berlin', false],
    [':UTC', false],
  ])('TZ=%j → %s (UTC is known without Intl zone data)', (tz, utc) => {
    expect(tzIsUtc(tz === undefined ? {} : { TZ: tz })).toBe(utc);
  });
});
