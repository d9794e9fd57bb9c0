import { describe, expect, it } from 'vitest';
import type { AnomaliesJson, AnomalyJson } from '../render/anomalies.js';
import type { BudgetCheckJson, BudgetJson } from '../render/budget.js';
import { anomaliesAlert, anomalyKeys, budgetAlert, budgetKeys, decide } from './alert.js';
import { slackPayload } from './slack.js';
import { teamsPayload } from './teams.js';

const USD = 1_000_000_000n;

function budget(o: Partial<BudgetJson> = {}): BudgetJson {
  return {
    name: 'search-daily',
    period: 'daily',
    periodStart: '2026-10-14',
    periodEnd: '2026-10-15T00:00:00.000Z',
    scope: { team: ['search'] },
    amountNanos: 80n * USD,
    amountUsd: '80.000000000',
    spentNanos: 136_980_000_000n,
    spentUsd: '136.980000000',
    used: 1.71225,
    expectedNanos: 80n * USD,
    pace: 1.71225,
    projectedLinearNanos: 136_980_000_000n,
    projectedWeekdayNanos: null,
    forecastExceeds: true,
    remainingNanos: -56_980_000_000n,
    remainingDays: 1,
    dailyBudgetLeftNanos: 0n,
    status: 'exceeded',
    thresholdsCrossed: [0.5, 0.8, 1],
    breakers: { daily: { limitNanos: 60n * USD, actualNanos: 136_980_000_000n, tripped: true } },
    actions: [],
    gate: 'exceeded',
    gateCode: 'exceeded',
    summary: '',
    ...o,
  } as BudgetJson;
}

function check(budgets: BudgetJson[], o: Partial<BudgetCheckJson> = {}): BudgetCheckJson {
  const tripped = budgets.flatMap((b) => (b.gateCode ? [{ budget: b.name, reason: b.gate ?? '', code: b.gateCode }] : []));
  return {
    schemaVersion: 1,
    kind: 'budget-check',
    now: '2026-10-14T20:00:00.000Z',
    timezone: 'UTC',
    failOn: 'exceeded',
    budgets,
    dataProblems: [],
    verdict: {
      exitCode: tripped.length ? 1 : 0,
      ok: tripped.length === 0,
      state: tripped.length ? 'exceeded' : 'ok',
      exceeded: tripped.map((t) => t.budget),
      tripped,
      message: tripped.length
        ? `llmcost: budget gate tripped: ${tripped.map((t) => `${t.budget} (${t.reason})`).join(', ')}.`
        : `llmcost: ${budgets.length} budget${budgets.length === 1 ? '' : 's'} within limits (--fail-on exceeded).`,
    },
    ...o,
  };
}

function anomaly(o: Partial<AnomalyJson> = {}): AnomalyJson {
  return {
    kind: 'spike',
    severity: 'warning',
    period: '2026-10-14',
    entity: null,
    actualNanos: 210_660_000_000n,
    expectedNanos: 99_970_000_000n,
    thresholdNanos: 150n * USD,
    excessNanos: 110_690_000_000n,
    excessPct: 1.1072,
    z: 7.5,
    shareOfTotal: null,
    drivers: {
      combined: [
        {
          entity: 'erin / claude-sonnet-4-5 / /search/answer',
          actualNanos: 0n,
          expectedNanos: 0n,
          excessNanos: 0n,
          share: 0.95,
          attributedNanos: 105_155_500_000n,
        },
      ],
    },
    summary: '',
    ...o,
  };
}

function anomalies(list: AnomalyJson[], failOn: string | null = null): AnomaliesJson {
  return {
    schemaVersion: 1,
    kind: 'anomalies',
    method: 'robust',
    granularity: 'daily',
    timezone: 'UTC',
    by: null,
    range: { since: '2026-09-15T00:00:00.000Z', until: '2026-11-01T00:00:00.000Z' },
    params: { k: 5, window: 28, minHistory: 14, minImpactUsd: 1, drops: false },
    scored: 47,
    unscored: 0,
    history: { available: 14, needed: 14, unit: 'days' },
    anomalies: list,
    verdict: { failOn, tripped: false, insufficientData: false, worst: list.length ? 'warning' : null },
  };
}

describe('decide: notify on a state change, not on every run', () => {
  it.each([
    ['green, nothing on record', undefined, [], false, undefined],
    ['green after green', [], [], false, undefined],
    ['tripped, nothing on record (a CI runner without the state file)', undefined, ['budget:a:exceeded'], false, 'tripped'],
    ['still tripped', ['budget:a:exceeded'], ['budget:a:exceeded'], false, undefined],
    ['still tripped, --notify-always', ['budget:a:exceeded'], ['budget:a:exceeded'], true, 'tripped'],
    ['something else trips too', ['budget:a:exceeded'], ['budget:a:exceeded', 'budget:b:forecast'], false, 'tripped'],
    ['one of two resolved', ['budget:a:exceeded', 'budget:b:forecast'], ['budget:a:exceeded'], false, undefined],
    ['back to green', ['budget:a:exceeded'], [], false, 'resolved'],
    ['green, --notify-always', [], [], true, 'ok'],
  ] as const)('%s', (_name, previous, current, always, event) => {
    expect(decide(previous, current, always)).toBe(event);
  });
});

describe('keys', () => {
  it('a budget check: its gates and data problems', () => {
    const j = check([budget(), budget({ name: 'org', gate: null, gateCode: null, status: 'on-track' })], {
      dataProblems: [{ code: 'STALE_DATA', budget: 'org', message: 'old' }],
    });
    expect(budgetKeys(j)).toEqual(['budget:search-daily:exceeded', 'data:STALE_DATA:org']);
  });

  it('anomalies: those at or above --fail-on (all without it), and exit 3', () => {
    const list = [anomaly(), anomaly({ severity: 'critical', kind: 'new', entity: { dimension: 'user', name: 'zed' } })];
    expect(anomalyKeys(anomalies(list), 0)).toEqual(['anomaly:new:2026-10-14:user=zed', 'anomaly:spike:2026-10-14:total']);
    expect(anomalyKeys(anomalies(list, 'critical'), 1)).toEqual(['anomaly:new:2026-10-14:user=zed']);
    expect(anomalyKeys(anomalies([], 'warning'), 3)).toEqual(['data:NO_RECENT_DATA']);
  });
});

describe('payloads', () => {
  const drivers = {
    'search-daily': [
      { dimension: 'user', name: 'erin', costNanos: 115_860_000_000n, share: 0.8458 },
      { dimension: 'model', name: 'claude-sonnet-4-5', costNanos: 136_580_000_000n, share: 0.9971 },
    ],
  };
  const link = 'https://github.com/acme/llm/actions/runs/42';

  it('Slack: what tripped, spend vs budget, forecast, top drivers and the job link, in Block Kit', () => {
    const a = budgetAlert(check([budget({ name: 'search <daily> & co' })]), { event: 'tripped', previous: [], drivers: {}, link });
    const [item] = a.items;
    if (!item) throw new Error('no item');
    expect(slackPayload({ ...a, items: [{ ...item, drivers: ['user erin $115.86 (84.6%)'] }] })).toEqual({
      text: 'llmcost: budget exceeded. Budget gate tripped: search <daily> & co (exceeded).',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':rotating_light: llmcost: budget exceeded', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Budget gate tripped: search &lt;daily&gt; &amp; co (exceeded).' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*search &lt;daily&gt; &amp; co* (new)' },
          fields: [
            { type: 'mrkdwn', text: '*Spent*\n$136.98 of $80.00 (171.2%)' },
            { type: 'mrkdwn', text: '*Forecast*\n$136.98 (over budget)' },
            { type: 'mrkdwn', text: '*Status*\nexceeded (gate: exceeded), pace 1.71' },
            { type: 'mrkdwn', text: '*Period*\ndaily from 2026-10-14' },
            { type: 'mrkdwn', text: '*Circuit breaker*\ndaily breaker open (limit $60.00, $136.98 today so far)' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Top drivers: user erin $115.86 (84.6%)' }] },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `<${link}|View the job run> · llmcost budget check · 2026-10-14 20:00 UTC` }],
        },
      ],
    });
  });

  it('Teams: the same as one Adaptive Card in a message activity', () => {
    const a = budgetAlert(check([budget()]), { event: 'tripped', previous: ['budget:search-daily:exceeded'], drivers, link });
    expect(teamsPayload(a)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.2',
            body: [
              { type: 'TextBlock', text: 'llmcost: budget exceeded', weight: 'Bolder', size: 'Medium', color: 'Attention', wrap: true },
              { type: 'TextBlock', text: 'Budget gate tripped: search-daily (exceeded).', wrap: true },
              { type: 'TextBlock', text: 'search-daily', weight: 'Bolder', wrap: true, spacing: 'Medium' },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Spent', value: '$136.98 of $80.00 (171.2%)' },
                  { title: 'Forecast', value: '$136.98 (over budget)' },
                  { title: 'Status', value: 'exceeded (gate: exceeded), pace 1.71' },
                  { title: 'Period', value: 'daily from 2026-10-14' },
                  { title: 'Circuit breaker', value: 'daily breaker open (limit $60.00, $136.98 today so far)' },
                ],
              },
              {
                type: 'TextBlock',
                text: 'Top drivers: user erin $115.86 (84.6%) · model claude-sonnet-4-5 $136.58 (99.7%)',
                wrap: true,
                isSubtle: true,
                size: 'Small',
              },
              { type: 'TextBlock', text: 'llmcost budget check · 2026-10-14 20:00 UTC', isSubtle: true, size: 'Small', wrap: true },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'View the job run', url: link }],
          },
        },
      ],
    });
  });

  it('a resolved budget check lists every budget, without the link when not in CI', () => {
    const a = budgetAlert(
      check([
        budget({ gate: null, gateCode: null, status: 'on-track', spentNanos: 40n * USD, used: 0.5, forecastExceeds: false, breakers: {} }),
      ]),
      {
        event: 'resolved',
        previous: ['budget:search-daily:exceeded'],
        drivers: {},
        link: undefined,
      },
    );
    expect(a.title).toBe('llmcost: budgets back within limits');
    expect(a.summary).toBe('1 budget within limits (--fail-on exceeded).');
    expect(a.items.map((i) => [i.title, i.isNew, i.facts[0]?.value])).toEqual([['search-daily', false, '$40.00 of $80.00 (50%)']]);
    expect(slackPayload(a).blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'llmcost budget check · 2026-10-14 20:00 UTC' }],
    });
  });

  it('anomalies: each one with actual, expected, excess and its top drivers', () => {
    const at = '2026-11-01T07:00:00.000Z';
    const a = anomaliesAlert(anomalies([anomaly()]), { event: 'tripped', previous: [], exitCode: 0, link: undefined, at });
    expect(a).toEqual({
      command: 'anomalies',
      event: 'tripped',
      title: 'llmcost: 1 cost anomaly',
      summary: '1 anomaly from 2026-09-15 to 2026-11-01 (daily, robust), worst warning.',
      items: [
        {
          title: '2026-10-14 spike (warning) · total',
          isNew: true,
          facts: [
            { label: 'Actual', value: '$210.66' },
            { label: 'Expected', value: '$99.97' },
            { label: 'Excess', value: '$110.69 (+111%)' },
          ],
          drivers: ['erin / claude-sonnet-4-5 / /search/answer $105.16 (95%)'],
        },
      ],
      link: undefined,
      at,
    });
    const resolved = anomaliesAlert(anomalies([]), { event: 'resolved', previous: ['x'], exitCode: 0, link: undefined, at });
    expect([resolved.title, resolved.summary]).toEqual([
      'llmcost: anomalies resolved',
      'No anomalies from 2026-09-15 to 2026-11-01 (daily, robust).',
    ]);
  });
});
