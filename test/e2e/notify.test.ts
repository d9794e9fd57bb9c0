import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { json, type RunResult, runAsync, useDemoDb } from '../helpers/cli.js';
import { answer, webhookServer } from '../helpers/webhook.js';

// Demo data (2026-09-01 … 2026-10-31); budgets judged at a fixed clock inside October.
const demo = useDemoDb();
const state = (): string => `${demo.db}.notify-state.json`;
const servers: { close: () => Promise<void> }[] = [];
const serve = async (...args: Parameters<typeof webhookServer>) => {
  const s = await webhookServer(...args);
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  rmSync(state(), { force: true });
  rmSync(join(demo.sb.dir, 'llmcost.config.json'), { force: true });
});

const budget = (args: string[], env: Record<string, string> = {}): Promise<RunResult> =>
  runAsync(demo.sb, ['budget', 'check', '--db', demo.db, '--tz', 'UTC', ...args], {
    env: { LLMCOST_NOW: '2026-10-15T18:00:00Z', LLMCOST_NOTIFY_BACKOFF_MS: '1', ...env },
  });
const anomalies = (args: string[], env: Record<string, string> = {}): Promise<RunResult> =>
  runAsync(demo.sb, ['anomalies', '--db', demo.db, '--tz', 'UTC', '--since', '2026-09-15', '--until', '2026-10-31', ...args], {
    env: { LLMCOST_NOTIFY_BACKOFF_MS: '1', ...env },
  });
/** The webhook URL is a secret: neither its path nor its query may appear in any output. */
const noSecret = (...rs: RunResult[]): void => {
  for (const r of rs) expect(`${r.stdout}${r.stderr}`).not.toMatch(/SECRET|T0001|B0001/);
};
const config = (notify: unknown, budgets?: unknown): void =>
  writeFileSync(join(demo.sb.dir, 'llmcost.config.json'), JSON.stringify({ ...(budgets ? { budgets } : {}), notify }));

describe('budget check --notify', () => {
  it('notifies when a budget trips, not while it stays tripped, and once when it is resolved', async () => {
    const hook = await serve();
    const sent = `llmcost: notify: sent "tripped" to ${hook.origin}/… (webhook).\n`;

    const green = await budget(['--monthly', '5000', '--notify', hook.url, '--json']);
    expect(green.status).toBe(0);
    expect(green.stderr).toBe('llmcost: 1 budget within limits (--fail-on exceeded).\n');
    expect(hook.got).toHaveLength(0);
    expect(existsSync(state())).toBe(false);

    const tripped = await budget(['--monthly', '500', '--notify', hook.url, '--json']);
    expect(tripped.status).toBe(1);
    expect(tripped.stderr).toBe(`llmcost: budget gate tripped: cli (exceeded).\n${sent}`);
    expect(hook.got).toHaveLength(1);
    // A generic webhook gets the command's JSON report, byte for byte as --json prints it.
    expect(hook.got[0]?.body).toBe(tripped.stdout);
    expect(hook.got[0]?.path).toBe('/services/T0001/B0001/SECRET-TOKEN?sig=SECRET-SIG');
    expect(hook.got[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hook.got[0]?.headers['x-llmcost-event']).toBe('tripped');
    expect(JSON.parse(readFileSync(state(), 'utf8'))).toEqual({
      version: 1,
      checks: { 'budget-check': { keys: ['budget:cli:exceeded'], updatedAt: '2026-10-15T18:00:00.000Z' } },
    });

    const still = await budget(['--monthly', '500', '--notify', hook.url, '--json']);
    expect(still.status).toBe(1);
    expect(still.stderr).toBe(
      'llmcost: budget gate tripped: cli (exceeded).\nllmcost: notify: not sent: the same as at the last notification (--notify-always sends on every run).\n',
    );
    expect(hook.got).toHaveLength(1);

    const always = await budget(['--monthly', '500', '--notify', hook.url, '--notify-always', '--json']);
    expect(always.status).toBe(1);
    expect(always.stderr).toBe(`llmcost: budget gate tripped: cli (exceeded).\n${sent}`);
    expect(hook.got).toHaveLength(2);

    const resolved = await budget(['--monthly', '5000', '--notify', hook.url, '--json']);
    expect(resolved.status).toBe(0);
    expect(resolved.stderr).toBe(
      `llmcost: 1 budget within limits (--fail-on exceeded).\nllmcost: notify: sent "resolved" to ${hook.origin}/… (webhook).\n`,
    );
    expect(hook.got).toHaveLength(3);
    expect(hook.got[2]?.headers['x-llmcost-event']).toBe('resolved');
    expect(json<{ verdict: { state: string } }>({ ...resolved, stdout: hook.got[2]?.body ?? '' }).verdict.state).toBe('ok');

    const greenAgain = await budget(['--monthly', '5000', '--notify', hook.url, '--json']);
    expect(greenAgain.stderr).toBe('llmcost: 1 budget within limits (--fail-on exceeded).\n');
    expect(hook.got).toHaveLength(3);
    noSecret(green, tripped, still, always, resolved, greenAgain);
    expect(readFileSync(state(), 'utf8')).not.toMatch(/SECRET|127\.0\.0\.1/);
  });

  it('sends Slack Block Kit to a config target (URL from its variable): what tripped, spend, forecast, drivers, job link', async () => {
    const hook = await serve();
    config({ targets: [{ urlEnv: 'SLACK_WEBHOOK_URL', kind: 'slack' }] }, [
      { name: 'search-daily', period: 'daily', amountUsd: 80, scope: { team: 'search' }, limits: { dailyUsd: 60 } },
    ]);
    const r = await budget([], {
      LLMCOST_NOW: '2026-10-14T20:00:00Z',
      SLACK_WEBHOOK_URL: hook.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/llm-gateway',
      GITHUB_RUN_ID: '4242',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `llmcost: budget gate tripped: search-daily (exceeded).\nllmcost: notify: sent "tripped" to ${hook.origin}/… (slack).\n`,
    );
    expect(hook.got).toHaveLength(1);
    expect(JSON.parse(hook.got[0]?.body ?? '')).toEqual({
      text: 'llmcost: budget exceeded. Budget gate tripped: search-daily (exceeded).',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':rotating_light: llmcost: budget exceeded', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Budget gate tripped: search-daily (exceeded).' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*search-daily* (new)' },
          fields: [
            { type: 'mrkdwn', text: '*Spent*\n$136.98 of $80.00 (171.2%)' },
            { type: 'mrkdwn', text: '*Forecast*\n$136.98 (over budget)' },
            { type: 'mrkdwn', text: '*Status*\nexceeded (gate: exceeded), pace 1.71' },
            { type: 'mrkdwn', text: '*Period*\ndaily from 2026-10-14' },
            {
              type: 'mrkdwn',
              text: '*Circuit breaker*\ndaily breaker open since 00:00 UTC (limit $60.00, $136.98 today so far, closes no earlier than 2026-10-16 00:00 UTC)',
            },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'Top drivers: user erin $115.86 (84.6%) · user alice $17.00 (12.4%) · user ivan $1.82 (1.3%) · model claude-sonnet-4-5-20250929 $136.58 (99.7%) · model gpt-4o-mini $0.40 (0.3%)',
            },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '<https://github.com/acme/llm-gateway/actions/runs/4242|View the job run> · llmcost budget check · 2026-10-14 20:00 UTC',
            },
          ],
        },
      ],
    });
    noSecret(r);
  });

  it('sends Microsoft Teams an Adaptive Card', async () => {
    const hook = await serve([answer(202)]);
    config({ targets: [{ urlEnv: 'TEAMS_WEBHOOK_URL', kind: 'teams' }] });
    const r = await budget(['--monthly', '500'], { TEAMS_WEBHOOK_URL: hook.url });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`llmcost: notify: sent "tripped" to ${hook.origin}/… (teams).\n`);
    const body = JSON.parse(hook.got[0]?.body ?? '');
    expect(body).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }],
    });
    const card = body.attachments[0].content;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.2', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(card.body.slice(0, 3)).toEqual([
      { type: 'TextBlock', text: 'llmcost: budget exceeded', weight: 'Bolder', size: 'Medium', color: 'Attention', wrap: true },
      { type: 'TextBlock', text: 'Budget gate tripped: cli (exceeded).', wrap: true },
      { type: 'TextBlock', text: 'cli (new)', weight: 'Bolder', wrap: true, spacing: 'Medium' },
    ]);
    expect(card.body[3].facts[0]).toEqual({ title: 'Spent', value: '$1,252.69 of $500.00 (250.5%)' });
    expect(card.actions).toBeUndefined();
    noSecret(r);
  });

  it('retries a 429 after its Retry-After, then records the state', async () => {
    const hook = await serve([answer(429, 'rate_limited', { 'retry-after': '1' }), answer(200, 'ok')]);
    const r = await budget(['--monthly', '500', '--notify', hook.url]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`llmcost: notify: sent "tripped" to ${hook.origin}/… (webhook).\n`);
    expect(hook.got.map((g) => g.body === hook.got[0]?.body)).toEqual([true, true]);
    expect(existsSync(state())).toBe(true);
    noSecret(r);
  });

  it('says on stderr when every retry of a 5xx failed, keeps the exit code, and does not record the state', async () => {
    const hook = await serve([answer(503, 'upstream connect error')]);
    const failed = `llmcost: notify: FAILED to send "tripped" to ${hook.origin}/…: HTTP 503: "upstream connect error" (after 4 attempts); the exit code is unchanged, and the next run sends again.\n`;
    const r = await budget(['--monthly', '500', '--notify', hook.url, '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`llmcost: budget gate tripped: cli (exceeded).\n${failed}`);
    expect(hook.got).toHaveLength(4);
    expect(existsSync(state())).toBe(false);
    expect(json(r).kind).toBe('budget-check');

    // A green run stays exit 0 when its (forced) notification fails; under GitHub Actions it is also an annotation.
    const green = await budget(['--monthly', '5000', '--notify', hook.url, '--notify-always'], { GITHUB_ACTIONS: 'true' });
    expect(green.status).toBe(0);
    expect(green.stderr).toContain(`llmcost: notify: FAILED to send "ok" to ${hook.origin}/…: HTTP 503`);
    expect(green.stderr).toContain('::warning title=llmcost notify::llmcost: notify: FAILED to send "ok"');
    noSecret(r, green);
  });

  it('refuses a --notify value that is not a URL, and --notify-always with nowhere to send, without echoing the value', async () => {
    const bad = await budget(['--monthly', '500', '--notify', 'hooks.slack.com/services/T0001/B0001/SECRET-TOKEN']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /^llmcost: --notify \(#1\): expected an http\(s\) webhook URL \(the value is not shown: webhook URLs are secrets\)\./,
    );
    noSecret(bad);
    const always = await budget(['--monthly', '500', '--notify-always']);
    expect(always.status).toBe(2);
    expect(always.stderr).toMatch(/^llmcost: --notify-always: there is no webhook to notify\./);
  });

  it('checks the notify config against the schema, never echoing a URL', async () => {
    config({ targets: [{ url: 'hooks.slack.com/services/T0001/B0001/SECRET-TOKEN' }] });
    const r = await budget(['--monthly', '500']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/llmcost\.config\.json: notify\.targets\[0\]\.url: expected an http\(s\) URL\./);
    noSecret(r);
    config({ targets: [{ url: 'https://example.com/x', urlEnv: 'X' }] });
    const both = await budget(['--monthly', '500']);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/notify\.targets\[0\]: expected exactly one of "url" \(the webhook URL\) or "urlEnv"/);
    config({ targets: [{ urlEnv: 'X', kind: 'discord' }] });
    const kind = await budget(['--monthly', '500']);
    expect(kind.stderr).toMatch(/notify\.targets\[0\]\.kind: expected "slack", "teams" or "webhook", got "discord"\./);
  });
});

describe('anomalies --notify', () => {
  it('sends the anomalies found, once, as the JSON report', async () => {
    const hook = await serve();
    const first = await anomalies(['--json', '--notify', hook.url]);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe(`llmcost: notify: sent "tripped" to ${hook.origin}/… (webhook).\n`);
    expect(hook.got).toHaveLength(1);
    expect(hook.got[0]?.body).toBe(first.stdout);
    expect(JSON.parse(readFileSync(state(), 'utf8')).checks).toEqual({
      'anomalies:daily': {
        keys: ['anomaly:spike:2026-09-22:total', 'anomaly:spike:2026-10-14:total'],
        updatedAt: expect.any(String),
      },
    });
    const again = await anomalies(['--json', '--notify', hook.url]);
    expect(again.stderr).toBe('llmcost: notify: not sent: the same as at the last notification (--notify-always sends on every run).\n');
    expect(hook.got).toHaveLength(1);
    noSecret(first, again);
  });

  it('lists each anomaly with its top drivers in Slack', async () => {
    const hook = await serve();
    config({ targets: [{ urlEnv: 'SLACK_WEBHOOK_URL', kind: 'slack', commands: ['anomalies'] }] });
    const r = await anomalies(['--fail-on', 'warning'], { SLACK_WEBHOOK_URL: hook.url });
    expect(r.status).toBe(1);
    const { text, blocks } = JSON.parse(hook.got[0]?.body ?? '');
    expect(text).toBe('llmcost: 2 cost anomalies. 2 anomalies from 2026-09-15 to 2026-11-01 (daily, robust), worst warning.');
    expect(blocks[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*2026-09-22 spike (warning) · total* (new)' },
      fields: [
        { type: 'mrkdwn', text: '*Actual*\n$194.94' },
        { type: 'mrkdwn', text: '*Expected*\n$93.32' },
        { type: 'mrkdwn', text: '*Excess*\n$101.62 (+109%)' },
      ],
    });
    expect(blocks[3]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Top drivers: carol / gemini-1.5-pro / /research/long-context $55.71 (54.8%) · grace / gemini-1.5-pro / /research/long-context $15.77 (15.5%) · mallory / gemini-1.5-pro / /research/long-context $8.16 (8%)',
        },
      ],
    });
    noSecret(r);
  });

  it('reads the notify targets and timezone of --config FILE, as budget check does', async () => {
    const hook = await serve();
    const file = join(demo.sb.dir, 'ci', 'llmcost.ci.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ timezone: 'UTC', notify: { targets: [{ urlEnv: 'CI_HOOK', commands: ['anomalies'] }] } }));
    try {
      const args = ['anomalies', '--db', demo.db, '--since', '2026-09-15', '--until', '2026-10-31', '--json'];
      const env = { CI_HOOK: hook.url, LLMCOST_NOTIFY_BACKOFF_MS: '1', TZ: 'Asia/Tokyo' };
      const r = await runAsync(demo.sb, [...args, '--config', 'ci/llmcost.ci.json'], { env });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe(`llmcost: notify: sent "tripped" to ${hook.origin}/… (webhook).\n`);
      expect(hook.got).toHaveLength(1);
      expect(hook.got[0]?.body).toBe(r.stdout);
      // The config's timezone, not the system's (TZ=Asia/Tokyo).
      expect(json<{ timezone: string }>(r).timezone).toBe('UTC');
      expect(json<{ anomalies: unknown[] }>(r).anomalies).toHaveLength(2);
      const missing = await runAsync(demo.sb, [...args, '--config', 'ci/nope.json'], { env });
      expect(missing.status).toBe(2);
      expect(missing.stderr).toBe(
        'llmcost: ci/nope.json: no such config file.\n  Create it, or drop --config to use ./llmcost.config.json.\n',
      );
      expect(hook.got).toHaveLength(1);
    } finally {
      rmSync(join(demo.sb.dir, 'ci'), { recursive: true, force: true });
    }
  });
});
