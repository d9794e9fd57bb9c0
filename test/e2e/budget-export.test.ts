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
    });
    expect(r.stderr).toBe('llmcost: budget "gpt" is not exported: its scope (model) is not one team or key budget in LiteLLM.\n');
  });

  it('needs --litellm and budgets', () => {
    const none = sb.run(['budget', 'export', '--config', fixture('config', 'litellm-export.config.json')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Say which gateway to export for.');
    expect(sb.run(['budget', 'export', '--litellm']).status).toBe(2);
  });
});
