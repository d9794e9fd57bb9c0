import { describe, expect, it } from 'vitest';
import { kindOf, redactUrl, resolveTargets, scrub } from './targets.js';

describe('kindOf', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/XYZ', 'slack'],
    ['https://HOOKS.SLACK.COM/services/T0/B0/XYZ', 'slack'],
    ['https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456', 'teams'],
    ['https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x', 'teams'],
    ['https://default0a1b.c2.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/x', 'teams'],
    ['https://example.powerautomate.com/hook', 'teams'],
    ['https://hooks.slack.com.evil.example/services/x', 'webhook'],
    ['https://notslack.com/hooks.slack.com', 'webhook'],
    ['http://127.0.0.1:8080/hook', 'webhook'],
  ])('%s → %s', (url, kind) => {
    expect(kindOf(url)).toBe(kind);
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://hooks.slack.com/services/T0/B0/XYZ', 'https://hooks.slack.com/…'],
    ['https://user:pass@example.com:8443/x?token=1', 'https://example.com:8443/…'],
    ['https://example.com/', 'https://example.com'],
    ['https://example.com?sig=abc', 'https://example.com/…'],
    ['not a url', '(not a URL)'],
  ])('%s → %s', (url, out) => {
    expect(redactUrl(url)).toBe(out);
  });

  it('scrub replaces the URL, and its encoded forms, in any text', () => {
    const url = 'https://hooks.slack.com/services/T0/B0/X Y';
    expect(scrub(`fetch ${url} failed; ${encodeURIComponent(url)}`, [url])).toBe(
      'fetch https://hooks.slack.com/… failed; https://hooks.slack.com/…',
    );
  });
});

describe('resolveTargets', () => {
  const env: Record<string, string> = { SLACK_URL: 'https://hooks.slack.com/services/T0/B0/XYZ' };
  const lookup = (name: string): string | undefined => env[name];
  const notes: string[] = [];
  const note = (t: string): void => void notes.push(t);

  it('takes the --notify URLs, which replace the config targets, with the kind from the host', () => {
    const t = resolveTargets('budget', ['https://example.com/hook/abc'], [{ urlEnv: 'SLACK_URL', at: 'notify.targets[0]' }], lookup, note);
    expect(t).toEqual([{ url: 'https://example.com/hook/abc', kind: 'webhook', label: 'https://example.com/…' }]);
  });

  it('reads config targets from their variable, keeps an explicit kind, and skips other commands', () => {
    const t = resolveTargets(
      'anomalies',
      undefined,
      [
        { urlEnv: 'SLACK_URL', at: 'notify.targets[0]' },
        { url: 'http://127.0.0.1:9/x', kind: 'teams', at: 'notify.targets[1]' },
        { url: 'https://example.com/budget-only', commands: ['budget'], at: 'notify.targets[2]' },
      ],
      lookup,
      note,
    );
    expect(t.map((x) => [x.kind, x.label])).toEqual([
      ['slack', 'https://hooks.slack.com/…'],
      ['teams', 'http://127.0.0.1:9/…'],
    ]);
  });

  it('skips a target whose variable is unset, and says so', () => {
    notes.length = 0;
    expect(resolveTargets('budget', [], [{ urlEnv: 'TEAMS_URL', at: 'notify.targets[0]' }], lookup, note)).toEqual([]);
    expect(notes).toEqual(['llmcost: notify: notify.targets[0]: $TEAMS_URL is not set; that target is skipped.\n']);
  });

  it('refuses a value that is not an http(s) URL without echoing it', () => {
    for (const bad of ['hooks.slack.com/services/T0/B0/SECRET', 'ftp://x/SECRET', 'SECRET']) {
      expect(() => resolveTargets('budget', ['https://ok.example/a', bad], [], lookup, note)).toThrow(
        '--notify (#2): expected an http(s) webhook URL (the value is not shown: webhook URLs are secrets).',
      );
    }
  });
});
