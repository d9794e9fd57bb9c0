/**
 * Budgets as LiteLLM proxy settings, so the gateway enforces what `budget check` gates in CI. Pure: budgets in,
 * request bodies out. Shapes from LiteLLM's proxy types (litellm/proxy/_types.py): `UpdateTeamRequest` for
 * POST /team/update (`team_id`, `max_budget`, `soft_budget`, `budget_duration`, `rpm_limit`, `tpm_limit`) and
 * `UpdateKeyRequest` for POST /key/update (`key`, the same budget fields). A budget over all spend is the proxy's
 * own `litellm_settings.max_budget` / `budget_duration` (config.yaml).
 */
import type { BudgetConfig, BudgetPeriod } from '../lib/config.js';

export interface LiteLLMBudgetFields {
  max_budget: number;
  budget_duration: string;
  /** LiteLLM alerts when spend crosses it: the budget's highest warnAt threshold below 100 %. */
  soft_budget?: number;
}

/** Rate limits LiteLLM enforces per team and key (`llmcost limits`' suggestions). */
export interface LiteLLMRateLimits {
  rpm_limit?: number;
  tpm_limit?: number;
}

type Body = Partial<LiteLLMBudgetFields> & LiteLLMRateLimits;

export interface LiteLLMExport {
  /** Bodies for POST /team/update, one per team. */
  teamUpdates: ({ team_id: string } & Body)[];
  /** Bodies for POST /key/update, one per key. */
  keyUpdates: ({ key: string } & Body)[];
  /** config.yaml `litellm_settings` for a budget over all spend, when there is one. */
  litellmSettings: { max_budget: number; budget_duration: string } | null;
  /** Budgets LiteLLM cannot hold as a key or team budget, and why. */
  skipped: { budget: string; reason: string }[];
}

/** LiteLLM's budget_duration for a period: "1d", "7d", "1mo", or the rolling "30d" as is. */
export function budgetDuration(period: BudgetPeriod): string {
  return period === 'daily' ? '1d' : period === 'weekly' ? '7d' : period === 'monthly' ? '1mo' : period;
}

const cents = (x: number): number => Math.round(x * 100) / 100;

function fields(b: BudgetConfig): LiteLLMBudgetFields {
  const out: LiteLLMBudgetFields = { max_budget: b.amountUsd, budget_duration: budgetDuration(b.period) };
  const soft = b.warnAt.filter((w) => w < 1).at(-1);
  if (soft !== undefined) out.soft_budget = cents(b.amountUsd * soft);
  return out;
}

export function litellmBudgets(budgets: readonly BudgetConfig[]): LiteLLMExport {
  const out: LiteLLMExport = { teamUpdates: [], keyUpdates: [], litellmSettings: null, skipped: [] };
  const taken = new Map<string, string>();
  const claim = (id: string, b: BudgetConfig): boolean => {
    const first = taken.get(id);
    if (first !== undefined) {
      out.skipped.push({ budget: b.name, reason: `${id} already takes budget "${first}": LiteLLM holds one budget per team or key` });
      return false;
    }
    taken.set(id, b.name);
    return true;
  };
  for (const b of budgets) {
    const s = b.scope;
    const other = (['user', 'model', 'endpoint', 'provider', 'source'] as const).filter((k) => s[k] !== undefined);
    if (b.perUser) {
      out.skipped.push({ budget: b.name, reason: 'perUser: LiteLLM holds users to budgets with /user/update (or team_member_budget)' });
    } else if (other.length > 0 || (s.team && s.apiKey)) {
      out.skipped.push({
        budget: b.name,
        reason: `its scope (${[...(s.team ? ['team'] : []), ...(s.apiKey ? ['apiKey'] : []), ...other].join(', ')}) is not one team or key budget in LiteLLM`,
      });
    } else if (s.team) {
      for (const team of s.team) if (claim(`team ${team}`, b)) out.teamUpdates.push({ team_id: team, ...fields(b) });
    } else if (s.apiKey) {
      for (const key of s.apiKey) if (claim(`key ${key}`, b)) out.keyUpdates.push({ key, ...fields(b) });
    } else if (claim('the proxy', b)) {
      out.litellmSettings = { max_budget: b.amountUsd, budget_duration: budgetDuration(b.period) };
    }
  }
  return out;
}

/**
 * Adds suggested rate limits to the team and key bodies (by team id and key), and a body of limits alone for a team
 * or key that has traffic but no budget. Traffic without a team or key (an empty value) has nothing to set them on.
 */
export function withRateLimits(
  out: LiteLLMExport,
  limits: {
    teams: readonly { key: string; suggested: Required<LiteLLMRateLimits> }[];
    keys: readonly { key: string; suggested: Required<LiteLLMRateLimits> }[];
  },
): LiteLLMExport {
  const teamUpdates = out.teamUpdates.map((t) => ({ ...t }));
  for (const l of limits.teams) {
    if (l.key === '') continue;
    const body = teamUpdates.find((t) => t.team_id === l.key);
    if (body) Object.assign(body, l.suggested);
    else teamUpdates.push({ team_id: l.key, ...l.suggested });
  }
  const keyUpdates = out.keyUpdates.map((k) => ({ ...k }));
  for (const l of limits.keys) {
    if (l.key === '') continue;
    const body = keyUpdates.find((k) => k.key === l.key);
    if (body) Object.assign(body, l.suggested);
    else keyUpdates.push({ key: l.key, ...l.suggested });
  }
  return { ...out, teamUpdates, keyUpdates };
}
