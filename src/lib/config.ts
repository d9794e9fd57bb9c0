/**
 * The project config file, `llmcost.config.json` in the working directory or `--config FILE`, validated
 * with messages that name the bad field (schema: schema/llmcost.config.schema.json).
 * Layering: defaults ← config file ← environment (LLMCOST_*) ← flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';

export type BudgetPeriod = 'daily' | 'weekly' | 'monthly';
export const SCOPE_KEYS = ['team', 'user', 'model', 'endpoint', 'apiKey', 'provider', 'source'] as const;
export type ScopeKey = (typeof SCOPE_KEYS)[number];

export interface BudgetConfig {
  name: string;
  period: BudgetPeriod;
  amountUsd: number;
  /** Filter on who or what spends; empty = all spend. Each key takes one value or a list. */
  scope: Partial<Record<ScopeKey, string[]>>;
  /** Fractions of the budget at which to warn (default 0.5, 0.8, 1.0). */
  warnAt: number[];
  /** Circuit breakers: spend in the last hour / today above these trips the gate at once. */
  limits: { hourlyUsd?: number; dailyUsd?: number };
}

export interface Config {
  file: string | undefined;
  db?: string;
  timezone?: string;
  prices?: string;
  /** Bedrock application inference profiles (id or ARN) → the model each routes to, for pricing. */
  inferenceProfiles: Record<string, string>;
  budgets: BudgetConfig[];
}

export const CONFIG_FILE = 'llmcost.config.json';

function fail(file: string, path: string, what: string): never {
  throw new UserError(`${file}: ${path}: ${what}.`, {
    hint: 'See README "Budgets" or the JSON Schema in schema/llmcost.config.schema.json.',
  });
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function positive(v: unknown, file: string, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
    fail(file, path, `expected a positive number of USD, got ${JSON.stringify(v)}`);
  return v as number;
}

export function parseBudget(v: unknown, file: string, path: string): BudgetConfig {
  if (!isObj(v)) return fail(file, path, 'expected a budget object {"name", "period", "amountUsd", ...}');
  const allowed = ['name', 'period', 'amountUsd', 'scope', 'warnAt', 'limits'];
  for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(file, `${path}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  if (typeof v.name !== 'string' || v.name.trim() === '') fail(file, `${path}.name`, 'expected a non-empty string');
  if (v.period !== 'daily' && v.period !== 'weekly' && v.period !== 'monthly') {
    fail(file, `${path}.period`, `expected "daily", "weekly" or "monthly", got ${JSON.stringify(v.period)}`);
  }
  const budget: BudgetConfig = {
    name: String(v.name),
    period: v.period as BudgetPeriod,
    amountUsd: positive(v.amountUsd, file, `${path}.amountUsd`),
    scope: {},
    warnAt: [0.5, 0.8, 1],
    limits: {},
  };
  if (v.scope !== undefined) {
    if (!isObj(v.scope)) fail(file, `${path}.scope`, `expected an object with keys among ${SCOPE_KEYS.join(', ')}`);
    for (const [k, val] of Object.entries(v.scope as Record<string, unknown>)) {
      if (!(SCOPE_KEYS as readonly string[]).includes(k))
        fail(file, `${path}.scope.${k}`, `unknown scope key (allowed: ${SCOPE_KEYS.join(', ')})`);
      const list = Array.isArray(val) ? val : [val];
      if (list.length === 0 || list.some((x) => typeof x !== 'string' || x === ''))
        fail(file, `${path}.scope.${k}`, 'expected a string or a list of strings');
      budget.scope[k as ScopeKey] = list as string[];
    }
  }
  if (v.warnAt !== undefined) {
    if (!Array.isArray(v.warnAt) || v.warnAt.some((x) => typeof x !== 'number' || x <= 0 || x > 10)) {
      fail(file, `${path}.warnAt`, 'expected a list of fractions of the budget, e.g. [0.5, 0.8, 1]');
    }
    budget.warnAt = [...(v.warnAt as number[])].sort((a, b) => a - b);
  }
  if (v.limits !== undefined) {
    if (!isObj(v.limits)) fail(file, `${path}.limits`, 'expected {"hourlyUsd"?: number, "dailyUsd"?: number}');
    for (const [k, val] of Object.entries(v.limits as Record<string, unknown>)) {
      if (k !== 'hourlyUsd' && k !== 'dailyUsd') fail(file, `${path}.limits.${k}`, 'unknown field (allowed: hourlyUsd, dailyUsd)');
      budget.limits[k] = positive(val, file, `${path}.limits.${k}`);
    }
  }
  return budget;
}

/** A profile id as Bedrock makes them (12 lowercase letters and digits), or the profile's full ARN. */
const PROFILE_KEY = /^(?:arn:aws(?:-[a-z]+)?:bedrock:[a-z0-9-]+:\d{12}:application-inference-profile\/)?[a-z0-9]+$/;

export function parseInferenceProfiles(v: unknown, file: string): Record<string, string> {
  const path = 'inferenceProfiles';
  if (!isObj(v)) return fail(file, path, 'expected an object {"profile id or ARN": "model id"}');
  const out: Record<string, string> = {};
  for (const [k, model] of Object.entries(v)) {
    if (!PROFILE_KEY.test(k)) {
      fail(
        file,
        `${path}.${k}`,
        'expected an application inference profile id (e.g. "a1b2c3d4e5f6") or ARN (arn:aws:bedrock:REGION:ACCOUNT:application-inference-profile/ID)',
      );
    }
    if (typeof model !== 'string' || model.trim() === '' || /application-inference-profile/.test(model)) {
      fail(
        file,
        `${path}.${k}`,
        `expected the model id the profile routes to (e.g. "anthropic.claude-3-haiku-20240307-v1:0"), got ${JSON.stringify(model)}`,
      );
    }
    out[k] = (model as string).trim();
  }
  return out;
}

/** Reads the config: `--config FILE` (must exist), else ./llmcost.config.json when present, else none. */
export function loadConfig(explicit: string | undefined, cwd = process.cwd()): Config {
  const file = explicit ? resolve(cwd, explicit) : join(cwd, CONFIG_FILE);
  if (!existsSync(file)) {
    if (explicit)
      throw new UserError(`${explicit}: no such config file.`, { hint: `Create it, or drop --config to use ./${CONFIG_FILE}.` });
    return { file: undefined, inferenceProfiles: {}, budgets: [] };
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message}).`);
  }
  if (!isObj(data)) return fail(file, '$', 'expected a JSON object');
  const allowed = ['$schema', 'db', 'timezone', 'prices', 'inferenceProfiles', 'budgets'];
  for (const k of Object.keys(data)) if (!allowed.includes(k)) fail(file, k, `unknown field (allowed: ${allowed.join(', ')})`);
  const config: Config = { file, inferenceProfiles: {}, budgets: [] };
  const base = dirname(file);
  for (const k of ['db', 'timezone', 'prices'] as const) {
    const v = data[k];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v === '') fail(file, k, 'expected a non-empty string');
    // Paths in the config are relative to the config file, not to wherever llmcost runs.
    config[k] = k === 'timezone' ? v : resolve(base, v as string);
  }
  if (data.inferenceProfiles !== undefined) config.inferenceProfiles = parseInferenceProfiles(data.inferenceProfiles, file);
  if (data.budgets !== undefined) {
    if (!Array.isArray(data.budgets)) fail(file, 'budgets', 'expected a list of budgets');
    config.budgets = (data.budgets as unknown[]).map((b, i) => parseBudget(b, file, `budgets[${i}]`));
    const names = new Set<string>();
    for (const [i, b] of config.budgets.entries()) {
      if (names.has(b.name)) fail(file, `budgets[${i}].name`, `"${b.name}" is used twice; budget names must be unique`);
      names.add(b.name);
    }
  }
  return config;
}
