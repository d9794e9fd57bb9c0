import { afterAll, describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

const sb = sandbox();
afterAll(() => sb.dispose());

describe('llmcost budget export --litellm', () => {
  it('writes team and key budgets as the bodies /team/update and /key/update accept', () => {
    const file = fixture('config', 'litellm-export.config.json');
    const r = sb.run(['budget', 'export', '--litellm', '--config', file]);
    expect(r.status).toBe(0);
    expect(json(r)).toEqual({
      schemaVersion: 1,
      kind: 'litellm-budgets',
      config: file,
      // warnAt defaults to 50/80/100 %: LiteLLM's soft_budget alert at the highest threshold under 100 %.
      teamUpdate: [{ team_id: 'research', max_budget: 1500, budget_duration: '1mo', soft_budget: 1200 }],
      keyUpdate: [{ key: 'ci-bot', max_budget: 50, budget_duration: '30d' }],
      litellmSettings: { max_budget: 5000, budget_duration: '1mo' },
      skipped: [{ budget: 'gpt', reason: 'its scope (model) is not one team or key budget in LiteLLM' }],
      rateLimits: null,
    });
    expect(r.stderr).toBe('llmcost: budget "gpt" is not exported: its scope (model) is not one team or key budget in LiteLLM.\n');
  });

  it('adds rpm_limit / tpm_limit per team and key from the busiest minutes with --limits', () => {
    const solo = sandbox();
    try {
      expect(solo.run(['ingest', 'csv', fixture('whatif', 'minutes.csv')]).status).toBe(0);
      const file = fixture('config', 'litellm-export.config.json');
      const r = solo.run([
        'budget',
        'export',
        '--litellm',
        '--config',
        file,
        '--limits',
        '--since',
        '2026-10-05',
        '--until',
        '2026-10-05',
        '--tz',
        'UTC',
      ]);
      expect(r.status).toBe(0);
      const j = json<{ teamUpdate: unknown[]; keyUpdate: unknown[]; rateLimits: unknown }>(r);
      // As `llmcost limits`: ci-bot's busiest minute 10 requests / 9,000 tokens × 1.5; web 3 / 3,000 × 1.5.
      expect(j.teamUpdate).toEqual([
        { team_id: 'research', max_budget: 1500, budget_duration: '1mo', soft_budget: 1200 },
        { team_id: 'platform', rpm_limit: 15, tpm_limit: 13500 },
        { team_id: 'product', rpm_limit: 5, tpm_limit: 4500 },
      ]);
      expect(j.keyUpdate).toEqual([
        { key: 'ci-bot', max_budget: 50, budget_duration: '30d', rpm_limit: 15, tpm_limit: 13500 },
        { key: 'web', rpm_limit: 5, tpm_limit: 4500 },
      ]);
      expect(j.rateLimits).toEqual({ headroom: 0.5, basis: 'ceil(busiest minute × (1 + headroom)), as llmcost limits' });
    } finally {
      solo.dispose();
    }
  });

  it('needs --litellm and budgets', () => {
    const none = sb.run(['budget', 'export', '--config', fixture('config', 'litellm-export.config.json')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Say which gateway to export for.');
    expect(sb.run(['budget', 'export', '--litellm']).status).toBe(2);
  });
});
