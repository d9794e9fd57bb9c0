/** Loads the embedded catalog, a `prices update` snapshot or a user price file, and validates them. */

import { readFileSync } from 'node:fs';
import { UserError } from '../lib/errors.js';
import { isObj } from '../lib/objects.js';
import { fromLiteLLM, isLiteLLMPriceMap } from './litellm-prices.js';
import { canonicalProvider } from './normalize.js';
import { withServiceTiers } from './service-tiers.js';
import { BEDROCK_REGIONAL } from './supplement.js';
import {
  type Catalog,
  type CatalogModel,
  type CatalogProvider,
  type Match,
  PRICE_KEYS,
  type Price,
  type PriceVariant,
  type Provenance,
  SERVICE_TIERS,
  type ServiceTier,
} from './types.js';

let embedded: Catalog | undefined;

/** The catalog shipped in the package (generated from @pydantic/genai-prices plus the supplement). */
export function embeddedCatalog(): Catalog {
  if (!embedded) {
    const text = readFileSync(new URL('./catalog.json', import.meta.url), 'utf8');
    embedded = withServiceTiers(withSupplement(validateCatalog(JSON.parse(text), 'embedded catalog')));
  }
  return embedded;
}

export function withSupplement(catalog: Catalog): Catalog {
  const aws = catalog.providers.find((p) => p.id === 'aws');
  if (!aws) return catalog;
  for (const r of BEDROCK_REGIONAL) {
    const m = aws.models.find((x) => x.id === r.modelId);
    if (!m) continue;
    m.regions ??= {};
    m.regions[r.region] = [r.prices];
  }
  return catalog;
}

type Path = string;
const fail = (where: string, path: Path, what: string): never => {
  throw new UserError(`${where}: ${path}: ${what}.`, { hint: 'Fix the price file; see README "Prices".' });
};

function checkPrice(v: unknown, where: string, path: Path): Price {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) fail(where, path, `expected a non-negative USD-per-1M-tokens number, got ${v}`);
    return v;
  }
  if (isObj(v) && typeof v.base === 'number' && Array.isArray(v.tiers)) {
    v.tiers.forEach((t, i) => {
      if (!isObj(t) || typeof t.start !== 'number' || typeof t.price !== 'number') {
        fail(where, `${path}.tiers[${i}]`, 'expected {"start": tokens, "price": USD per 1M}');
      }
    });
    return v as Price;
  }
  return fail(where, path, 'expected a number (USD per 1M tokens) or {"base": n, "tiers": [...]}');
}

function checkVariant(v: unknown, where: string, path: Path): PriceVariant {
  if (!isObj(v)) return fail(where, path, 'expected an object of prices');
  const out: PriceVariant = {};
  for (const [k, val] of Object.entries(v)) {
    if ((PRICE_KEYS as readonly string[]).includes(k)) Object.assign(out, { [k]: checkPrice(val, where, `${path}.${k}`) });
    else if (k === 'from') {
      if (typeof val !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(val)) fail(where, `${path}.from`, 'expected a date YYYY-MM-DD');
      out.from = val as string;
    } else if (k === 'timeOfDay' && isObj(val) && typeof val.start === 'string' && typeof val.end === 'string') {
      out.timeOfDay = { start: val.start, end: val.end };
    } else fail(where, `${path}.${k}`, `unknown key (expected one of ${PRICE_KEYS.join(', ')}, from)`);
  }
  if (out.input === undefined && out.output === undefined) fail(where, path, 'needs at least "input" or "output"');
  return out;
}

function checkMatch(v: unknown, where: string, path: Path): Match {
  if (!isObj(v)) return fail(where, path, 'expected a match object such as {"equals": "model-id"}');
  const keys = Object.keys(v);
  const k = keys[0];
  if (keys.length !== 1 || k === undefined)
    return fail(where, path, 'expected exactly one of equals, starts_with, ends_with, contains, regex, or, and');
  const val = v[k];
  if (k === 'or' || k === 'and') {
    if (!Array.isArray(val)) return fail(where, `${path}.${k}`, 'expected an array');
    return { [k]: val.map((x, i) => checkMatch(x, where, `${path}.${k}[${i}]`)) } as Match;
  }
  if (!['equals', 'starts_with', 'ends_with', 'contains', 'regex'].includes(k) || typeof val !== 'string') {
    return fail(where, `${path}.${k}`, 'expected a string pattern under equals, starts_with, ends_with, contains or regex');
  }
  if (k === 'regex') {
    try {
      new RegExp(val);
    } catch {
      fail(where, `${path}.regex`, 'invalid regular expression');
    }
  }
  return { [k]: val } as Match;
}

function checkModel(v: unknown, where: string, path: Path): CatalogModel {
  if (!isObj(v) || typeof v.id !== 'string' || v.id === '') return fail(where, path, 'expected {"id": "...", "prices": ...}');
  const prices = Array.isArray(v.prices)
    ? v.prices.map((p, i) => checkVariant(p, where, `${path}.prices[${i}]`))
    : [checkVariant(v.prices, where, `${path}.prices`)];
  const model: CatalogModel = {
    id: v.id,
    match: v.match === undefined ? { equals: v.id } : checkMatch(v.match, where, `${path}.match`),
    prices,
  };
  if (typeof v.name === 'string') model.name = v.name;
  if (typeof v.contextWindow === 'number') model.contextWindow = v.contextWindow;
  if (Array.isArray(v.provenance)) {
    model.provenance = v.provenance.filter(isObj).map((p) => {
      const out: Provenance = { source: String(p.source ?? ''), checked: String(p.checked ?? '') };
      if (typeof p.note === 'string') out.note = p.note;
      return out;
    });
  }
  if (isObj(v.regions)) {
    model.regions = {};
    for (const [region, list] of Object.entries(v.regions)) {
      if (!Array.isArray(list)) fail(where, `${path}.regions.${region}`, 'expected an array of prices');
      model.regions[region] = (list as unknown[]).map((p, i) => checkVariant(p, where, `${path}.regions.${region}[${i}]`));
    }
  }
  if (v.serviceTiers !== undefined) {
    if (!isObj(v.serviceTiers)) fail(where, `${path}.serviceTiers`, `expected {"${SERVICE_TIERS.join('", "')}": [prices...]}`);
    model.serviceTiers = {};
    for (const [tier, list] of Object.entries(v.serviceTiers as Record<string, unknown>)) {
      if (!(SERVICE_TIERS as readonly string[]).includes(tier))
        fail(where, `${path}.serviceTiers.${tier}`, `unknown service tier (expected ${SERVICE_TIERS.join(', ')})`);
      const variants = Array.isArray(list) ? list : [list];
      model.serviceTiers[tier as ServiceTier] = variants.map((p, i) => checkVariant(p, where, `${path}.serviceTiers.${tier}[${i}]`));
    }
  }
  return model;
}

/** Validates a full catalog (embedded or a `prices update` snapshot). */
export function validateCatalog(v: unknown, where: string): Catalog {
  if (!isObj(v) || v.schema !== 1 || !Array.isArray(v.providers) || !isObj(v.source)) {
    return fail(where, '$', 'expected an llmcost price catalog ({"schema": 1, "source": ..., "providers": [...]})');
  }
  const providers: CatalogProvider[] = v.providers.map((p, i) => {
    const path = `providers[${i}]`;
    if (!isObj(p) || typeof p.id !== 'string' || !Array.isArray(p.models))
      return fail(where, path, 'expected {"id", "name", "models": [...]}');
    const out: CatalogProvider = {
      id: p.id,
      name: typeof p.name === 'string' ? p.name : p.id,
      models: p.models.map((m, j) => checkModel(m, where, `${path}.models[${j}]`)),
    };
    if (p.modelMatch !== undefined) out.modelMatch = checkMatch(p.modelMatch, where, `${path}.modelMatch`);
    if (p.providerMatch !== undefined) out.providerMatch = checkMatch(p.providerMatch, where, `${path}.providerMatch`);
    if (Array.isArray(p.fallback)) out.fallback = p.fallback.filter((x): x is string => typeof x === 'string');
    if (typeof p.batchMultiplier === 'number') out.batchMultiplier = p.batchMultiplier;
    return out;
  });
  const source = v.source as Record<string, unknown>;
  return { schema: 1, source: { kind: String(source.kind ?? 'unknown'), version: String(source.version ?? '') }, providers };
}

/** A user's price overrides: negotiated prices, private or self-hosted models (`--prices FILE`). */
export interface UserPrices {
  file: string;
  /** Overrides by canonical provider id (aliases such as bedrock, vertex_ai normalized); '*' applies to any provider. */
  providers: CatalogProvider[];
  /** Every entry with where it is in the file, for warnings about entries that match nothing. */
  entries?: UserEntry[];
}

export interface UserEntry {
  /** Where in the file: `models[3]`, or the LiteLLM key. */
  path: string;
  provider: string;
  model: CatalogModel;
}

/**
 * Reads a user price file, either llmcost's own
 * `{"models": [{"id": "my-llama", "provider": "self-hosted", "match": {...}?, "prices": {"input": 0, "output": 0}}]}`
 * (`prices` may be a list of dated variants, `{"from": "2026-01-01", ...}`), or LiteLLM's
 * model_prices_and_context_window.json format (per-token USD, keyed by model), told apart by content.
 */
export function loadUserPrices(file: string): UserPrices {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`Cannot read the price file ${file}: ${(err as Error).message}`, {
      hint: 'It must be JSON: {"models": [{"id": "...", "prices": {"input": 1.0, "output": 2.0}}]}, or a LiteLLM model_prices_and_context_window.json.',
    });
  }
  const entries: UserEntry[] = [];
  if (isLiteLLMPriceMap(data)) {
    for (const e of fromLiteLLM(data, file)) entries.push(e);
  } else {
    if (!isObj(data) || !Array.isArray(data.models)) {
      return fail(file, '$', 'expected {"models": [...]} or a LiteLLM price map ({"model": {"input_cost_per_token": ...}})');
    }
    data.models.forEach((m, i) => {
      const path = `models[${i}]`;
      const model = checkModel(m, file, path);
      const named = isObj(m) && typeof m.provider === 'string' ? canonicalProvider(m.provider) : undefined;
      entries.push({ path, provider: named ?? '*', model });
    });
  }
  const byProvider = new Map<string, CatalogProvider>();
  for (const e of entries) {
    let p = byProvider.get(e.provider);
    if (!p) {
      p = { id: e.provider, name: e.provider, models: [] };
      byProvider.set(e.provider, p);
    }
    p.models.push(e.model);
  }
  return { file, providers: [...byProvider.values()], entries };
}
