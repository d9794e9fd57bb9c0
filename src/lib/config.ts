/**
 * The project config file, `llmcost.config.json` in the working directory or `--config FILE`, validated
 * with messages that name the bad field (schema: schema/llmcost.config.schema.json).
 * Layering: defaults ← config file ← environment (LLMCOST_*) ← flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';

/** A calendar period, or a rolling window of N days ending today (`30d`, as LiteLLM's `budget_duration`). */
export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | `${number}d`;
export const SCOPE_KEYS = ['team', 'user', 'model', 'endpoint', 'apiKey', 'provider', 'source', 'tag'] as const;
export type ScopeKey = (typeof SCOPE_KEYS)[number];

export interface BudgetConfig {
  name: string;
  period: BudgetPeriod;
  amountUsd: number;
  /** Filter on who or what spends; empty = all spend. Each key takes one value or a list. */
  scope: Partial<Record<ScopeKey, string[]>>;
  /** Fractions of the budget at which to warn (default 0.5, 0.8, 1.0). */
  warnAt: number[];
  /** Circuit breakers: spend in a clock hour / local day above these opens a breaker that latches (analysis/breaker.ts). */
  limits: { hourlyUsd?: number; dailyUsd?: number };
  /** Each user in the scope is held to the amount on their own, instead of all of them together. */
  perUser: boolean;
}

/** A webhook from the config's `notify.targets`: its URL written out, or the variable that holds it. */
export interface NotifyTargetConfig {
  url?: string;
  urlEnv?: string;
  kind?: 'slack' | 'teams' | 'webhook';
  /** Which commands notify it; undefined: all. */
  commands?: ('budget' | 'anomalies')[];
  /** Where it is in the file, for messages: `notify.targets[0]`. */
  at: string;
}

export interface Config {
  file: string | undefined;
  db?: string;
  timezone?: string;
  prices?: string;
  /** Bedrock application inference profiles (id or ARN) → the model each routes to, for pricing. */
  inferenceProfiles: Record<string, string>;
  budgets: BudgetConfig[];
  notify?: { targets: NotifyTargetConfig[]; always: boolean };
}

export const CONFIG_FILE = 'llmcost.config.json';

function fail(file: string, path: string, what: string): never {
  throw new UserError(`${file}: ${path}: ${what}.`, {
    hint: 'See README "Budgets" or the JSON Schema in schema/llmcost.config.schema.json.',
  });
}

const SCHEMA_FILE = new URL('../../schema/llmcost.config.schema.json', import.meta.url);
/** Budget defaults the schema documents but does not apply. */
const WARN_AT = [0.5, 0.8, 1];

/**
 * Messages for schema locations (JSON pointer into the schema, keyword or '*') where a generic
 * "expected a string" would not say what to write.
 */
const MESSAGES: [pointer: string, keyword: string, what: string][] = [
  ['/properties/inferenceProfiles', 'type', 'expected an object {"profile id or ARN": "model id"}'],
  [
    '/properties/inferenceProfiles',
    'propertyNames',
    'expected an application inference profile id (e.g. "a1b2c3d4e5f6") or ARN (arn:aws:bedrock:REGION:ACCOUNT:application-inference-profile/ID)',
  ],
  [
    '/properties/inferenceProfiles/additionalProperties',
    '*',
    'expected the model id the profile routes to (e.g. "anthropic.claude-3-haiku-20240307-v1:0")',
  ],
  ['/properties/budgets', 'type', 'expected a list of budgets'],
  ['/$defs/budget', 'type', 'expected a budget object {"name", "period", "amountUsd", ...}'],
  ['/$defs/budget/properties/period', '*', 'expected "daily", "weekly", "monthly", or a rolling window of 1 to 366 days such as "30d"'],
  ['/$defs/budget/properties/scope', 'additionalProperties', 'unknown scope key'],
  ['/$defs/budget/properties/scope', 'type', `expected an object with keys among ${SCOPE_KEYS.join(', ')}`],
  ['/$defs/budget/properties/warnAt', '*', 'expected a list of fractions of the budget, e.g. [0.5, 0.8, 1]'],
  ['/$defs/budget/properties/warnAt/items', '*', 'expected a list of fractions of the budget, e.g. [0.5, 0.8, 1]'],
  ['/$defs/budget/properties/limits', 'type', 'expected {"hourlyUsd"?: number, "dailyUsd"?: number}'],
  ['/$defs/values', '*', 'expected a string or a list of strings'],
  ['/$defs/notifyTarget', 'type', 'expected a target object {"urlEnv": "SLACK_WEBHOOK_URL"} or {"url": "https://…"}'],
  ['/$defs/notifyTarget/properties/url', '*', 'expected an http(s) URL'],
  ['/$defs/notifyTarget/properties/urlEnv', '*', 'expected the name of an environment variable, e.g. "SLACK_WEBHOOK_URL"'],
];

/** The subset of an ajv error this file reads (ajv is loaded only when there is something to validate). */
interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  propertyName?: string;
  data?: unknown;
  parentSchema?: { properties?: Record<string, unknown> };
}
interface Validators {
  config: Validate;
  budget: Validate;
  /** MESSAGES with their pointers resolved to the schema objects ajv reports as `parentSchema`. */
  messages: [at: unknown, keyword: string, what: string][];
}
type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

let validators: Validators | undefined;
function schemaValidators(): Validators {
  if (!validators) {
    // ajv is CommonJS: required on first use, so runs without a config file never load it.
    const Ajv2020 = createRequire(import.meta.url)('ajv/dist/2020').default as new (
      o: object,
    ) => { compile(s: object): Validate; getSchema(ref: string): Validate | undefined };
    const ajv = new Ajv2020({ allErrors: false, verbose: true, strict: true });
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { $id: string };
    const config = ajv.compile(schema);
    const budget = ajv.getSchema(`${schema.$id}#/$defs/budget`);
    if (!budget) throw new Error('schema/llmcost.config.schema.json has no $defs/budget');
    const at = (pointer: string): unknown =>
      pointer
        .split('/')
        .slice(1)
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], schema);
    validators = { config, budget, messages: MESSAGES.map(([pointer, keyword, what]) => [at(pointer), keyword, what]) };
  }
  return validators;
}

type Check = (data: unknown) => boolean;
let checks: { config: Check; budget: Check } | null | undefined;
/**
 * The schema compiled at build time (scripts/copy-assets.mjs writes dist/lib/config-check.cjs): checking with
 * it costs nothing at start-up, where compiling with ajv cost as much as Node's start. ajv compiles only to
 * explain a failure (its errors carry the schema objects the messages are keyed by). Absent when run from src.
 */
function valid(which: 'config' | 'budget', data: unknown): boolean {
  if (checks === undefined) {
    try {
      checks = createRequire(import.meta.url)('./config-check.cjs') as { config: Check; budget: Check };
    } catch {
      checks = null;
    }
  }
  return checks?.[which](data) ?? false;
}

/** `/budgets/0/amountUsd` → `budgets[0].amountUsd`, from `base` (the whole file: `$`). */
function fieldPath(base: string, pointer: string): string {
  let out = base === '$' ? '' : base;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out === '' ? '$' : out;
}

const TYPE_NAMES: Record<string, string> = { object: 'an object', array: 'a list', string: 'a string', number: 'a number' };
const quoteList = (values: unknown[]): string => {
  const q = values.map((v) => JSON.stringify(v));
  return q.length > 1 ? `${q.slice(0, -1).join(', ')} or ${q.at(-1)}` : (q[0] ?? '');
};

/** The first schema violation as `FILE: field: what was expected, got what`. */
function schemaFail(file: string, base: string, errors: SchemaError[]): never {
  // With allErrors off the last error is the outermost one (oneOf, propertyNames after their branches).
  const e = errors.at(-1);
  if (!e) return fail(file, base, 'does not match the schema');
  const path = fieldPath(base, e.instancePath);
  const child = (key: unknown): string => (path === '$' ? String(key) : `${path}.${String(key)}`);
  // A webhook URL is a secret: never echoed, even when it is malformed.
  const got = /\.url$/.test(path) ? '' : `, got ${JSON.stringify(e.data)}`;
  const custom = validators?.messages.find(([at, kw]) => at === e.parentSchema && (kw === '*' || kw === e.keyword))?.[2];
  switch (e.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys(e.parentSchema?.properties ?? {}).join(', ');
      return fail(file, child(e.params.additionalProperty), `${custom ?? 'unknown field'} (allowed: ${allowed})`);
    }
    case 'propertyNames':
      return fail(file, child(e.params.propertyName), custom ?? 'not an allowed key');
    case 'required':
      return fail(file, child(e.params.missingProperty), 'missing');
  }
  if (custom) return fail(file, path, `${custom}${got}`);
  switch (e.keyword) {
    case 'type':
      return fail(file, path, `expected ${TYPE_NAMES[String(e.params.type)] ?? String(e.params.type)}${got}`);
    case 'enum':
      return fail(file, path, `expected ${quoteList((e.params.allowedValues as unknown[]) ?? [])}${got}`);
    case 'minLength':
      return fail(file, path, 'expected a non-empty string');
    case 'exclusiveMinimum':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return fail(file, path, `expected a number ${String(e.params.comparison)} ${String(e.params.limit)}${got}`);
    default:
      return fail(file, path, `does not match the schema (${e.keyword})`);
  }
}

/** Checks what the schema cannot express: names and model ids that are only blanks. */
function budgetFrom(v: Record<string, unknown>, file: string, path: string): BudgetConfig {
  const name = String(v.name);
  if (name.trim() === '') fail(file, `${path}.name`, 'expected a non-empty string');
  const scope: Partial<Record<ScopeKey, string[]>> = {};
  for (const [k, val] of Object.entries((v.scope ?? {}) as Record<string, string | string[]>))
    scope[k as ScopeKey] = Array.isArray(val) ? val : [val];
  return {
    name,
    period: v.period as BudgetPeriod,
    amountUsd: v.amountUsd as number,
    scope,
    warnAt: v.warnAt === undefined ? [...WARN_AT] : [...(v.warnAt as number[])].sort((a, b) => a - b),
    limits: { ...((v.limits ?? {}) as BudgetConfig['limits']) },
    perUser: v.perUser === true,
  };
}

/** One budget (from the command line), checked against the schema's budget definition. */
export function parseBudget(v: unknown, file: string, path: string): BudgetConfig {
  if (!valid('budget', v)) {
    const { budget } = schemaValidators();
    if (!budget(v)) schemaFail(file, path, budget.errors ?? []);
  }
  return budgetFrom(v as Record<string, unknown>, file, path);
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
  if (!valid('config', data)) {
    const { config: validate } = schemaValidators();
    if (!validate(data)) schemaFail(file, '$', validate.errors ?? []);
  }
  const v = data as Record<string, unknown>;
  const config: Config = { file, inferenceProfiles: {}, budgets: [] };
  const base = dirname(file);
  for (const k of ['db', 'timezone', 'prices'] as const) {
    const value = v[k];
    if (typeof value !== 'string') continue;
    // Paths in the config are relative to the config file, not to wherever llmcost runs.
    config[k] = k === 'timezone' ? value : resolve(base, value);
  }
  for (const [k, model] of Object.entries((v.inferenceProfiles ?? {}) as Record<string, string>)) {
    if (model.trim() === '')
      fail(
        file,
        `inferenceProfiles.${k}`,
        `expected the model id the profile routes to (e.g. "anthropic.claude-3-haiku-20240307-v1:0"), got ${JSON.stringify(model)}`,
      );
    config.inferenceProfiles[k] = model.trim();
  }
  config.budgets = ((v.budgets ?? []) as Record<string, unknown>[]).map((b, i) => budgetFrom(b, file, `budgets[${i}]`));
  if (v.notify !== undefined) {
    const n = v.notify as { targets?: Omit<NotifyTargetConfig, 'at'>[]; always?: boolean };
    const targets = (n.targets ?? []).map((t, i) => ({ ...t, at: `notify.targets[${i}]` }));
    for (const t of targets) {
      // The schema cannot say "exactly one of" without ajv's strict mode refusing it.
      if ((t.url === undefined) === (t.urlEnv === undefined))
        fail(file, t.at, 'expected exactly one of "url" (the webhook URL) or "urlEnv" (the variable that holds it)');
    }
    config.notify = { targets, always: n.always ?? false };
  }
  const names = new Set<string>();
  for (const [i, b] of config.budgets.entries()) {
    if (names.has(b.name)) fail(file, `budgets[${i}].name`, `"${b.name}" is used twice; budget names must be unique`);
    names.add(b.name);
  }
  return config;
}
