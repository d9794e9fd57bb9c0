import { describe, expect, it } from 'vitest';
import type { BudgetConfig } from '../lib/config.js';
import { budgetDuration, litellmBudgets, withRateLimits } from './litellm-budgets.js';

const budget = (o: Partial<BudgetConfig>): BudgetConfig => ({
  name: 'b',
  period: 'monthly',
  amountUsd: 100,
  scope: {},
  warnAt: [0.5, 0.8, 1],
  limits: {},
  perUser: false,
  ...o,
});

describe('litellmBudgets', () => {
  it.each([
    ['daily', '1d'],
    ['weekly', '7d'],
    ['monthly', '1mo'],
    ['30d', '30d'],
  ] as const)('maps %s to budget_duration %s', (period, duration) => {
    expect(budgetDuration(period)).toBe(duration);
  });

  it('writes team and key budgets as /team/update and /key/update bodies, the unscoped one as litellm_settings', () => {
    const out = litellmBudgets([
      budget({ name: 'org', amountUsd: 5000 }),
      budget({ name: 'research', amountUsd: 1500, scope: { team: ['research', 'search'] } }),
      budget({ name: 'ci-key', period: '30d', amountUsd: 50, scope: { apiKey: ['ci-bot'] }, warnAt: [1] }),
      budget({ name: 'search-daily', period: 'daily', amountUsd: 80, scope: { team: ['search'] } }),
      budget({ name: 'by-model', scope: { model: ['gpt-4o'] } }),
      budget({ name: 'each', perUser: true }),
    ]);
    expect(out.teamUpdates).toEqual([
      { team_id: 'research', max_budget: 1500, budget_duration: '1mo', soft_budget: 1200 },
      { team_id: 'search', max_budget: 1500, budget_duration: '1mo', soft_budget: 1200 },
    ]);
    expect(out.keyUpdates).toEqual([{ key: 'ci-bot', max_budget: 50, budget_duration: '30d' }]);
    expect(out.litellmSettings).toEqual({ max_budget: 5000, budget_duration: '1mo' });
    expect(out.skipped).toEqual([
      { budget: 'search-daily', reason: 'team search already takes budget "research": LiteLLM holds one budget per team or key' },
      { budget: 'by-model', reason: 'its scope (model) is not one team or key budget in LiteLLM' },
      { budget: 'each', reason: 'perUser: LiteLLM holds users to budgets with /user/update (or team_member_budget)' },
    ]);
  });

  it('adds rate limits to the bodies, and limits-only bodies for teams and keys without a budget', () => {
    const out = withRateLimits(litellmBudgets([budget({ name: 'research', scope: { team: ['research'] }, warnAt: [1] })]), {
      teams: [
        { key: 'research', suggested: { rpm_limit: 15, tpm_limit: 13500 } },
        { key: 'product', suggested: { rpm_limit: 5, tpm_limit: 4500 } },
        { key: '', suggested: { rpm_limit: 1, tpm_limit: 1 } },
      ],
      keys: [{ key: 'ci-bot', suggested: { rpm_limit: 15, tpm_limit: 13500 } }],
    });
    expect(out.teamUpdates).toEqual([
      { team_id: 'research', max_budget: 100, budget_duration: '1mo', rpm_limit: 15, tpm_limit: 13500 },
      { team_id: 'product', rpm_limit: 5, tpm_limit: 4500 },
    ]);
    expect(out.keyUpdates).toEqual([{ key: 'ci-bot', rpm_limit: 15, tpm_limit: 13500 }]);
  });
});
