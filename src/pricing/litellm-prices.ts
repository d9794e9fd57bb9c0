/**
 * Reads LiteLLM's model_prices_and_context_window.json (a team's custom `model_info` prices, or a copy of
 * LiteLLM's map) as user price entries. LiteLLM prices are USD per token; llmcost's are USD per 1M tokens,
 * converted by moving the decimal point in the number's text (3.3e-06 → 3.3), never by float multiplication
 * (3.3e-06 × 1e6 = 3.3000000000000003).
 */

import { UserError } from '../lib/errors.js';
import { isObj } from '../lib/objects.js';
import type { UserEntry } from './catalog.js';
import { canonicalProvider, parseModel } from './normalize.js';
import type { Catalog, CatalogModel, CatalogProvider, Price, PriceKey, PriceVariant, ServiceTier } from './types.js';

/** LiteLLM's field for each llmcost price key (standard tier, base context). */
const FIELDS: Record<PriceKey, string> = {
  input: 'input_cost_per_token',
  output: 'output_cost_per_token',
  cacheRead: 'cache_read_input_token_cost',
  cacheWrite: 'cache_creation_input_token_cost',
  cacheWrite1h: 'cache_creation_input_token_cost_above_1hr',
};

/** LiteLLM's suffix for each service tier's prices (`input_cost_per_token_batches`, `…_flex`, `…_priority`). */
const TIER_SUFFIX: Record<ServiceTier, string> = { batch: '_batches', flex: '_flex', priority: '_priority' };

/** True for a LiteLLM price map: model keys whose values carry per-token prices or a litellm_provider. */
export function isLiteLLMPriceMap(v: unknown): v is Record<string, unknown> {
  if (!isObj(v) || 'models' in v || 'schema' in v) return false;
  return Object.entries(v).some(
    ([k, e]) => k !== 'sample_spec' && isObj(e) && ('input_cost_per_token' in e || 'output_cost_per_token' in e || 'litellm_provider' in e),
  );
}

/** USD per token → USD per 1M tokens, exactly: the decimal text shifted six places, then read once. */
export function perTokenToPerMillion(perToken: number): number {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(perToken));
  if (!m || !m[1]) throw new RangeError(`invalid per-token price ${perToken}`);
  const frac = m[2] ?? '';
  const digits = `${m[1]}${frac}`.replace(/^0+(?=\d)/, '');
  const exp = Number(m[3] ?? 0) - frac.length + 6;
  if (exp >= 0) return Number(`${digits}${'0'.repeat(exp)}`);
  const padded = digits.padStart(-exp + 1, '0');
  return Number(`${padded.slice(0, exp)}.${padded.slice(exp)}`);
}

function perToken(e: Record<string, unknown>, field: string, file: string, key: string): number | undefined {
  const v = e[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new UserError(`${file}: "${key}".${field}: expected a non-negative USD-per-token number, got ${JSON.stringify(v)}.`, {
      hint: 'LiteLLM prices are USD per token, e.g. 3e-06 for $3 per 1M tokens.',
    });
  }
  return perTokenToPerMillion(v);
}

/** One price key of one tier: the base price, with `_above_Nk_tokens` tiers when the entry has them. */
function priceOf(e: Record<string, unknown>, key: PriceKey, suffix: string, file: string, name: string): Price | undefined {
  const field = FIELDS[key];
  const base = perToken(e, `${field}${suffix}`, file, name);
  if (base === undefined) return undefined;
  const above = new RegExp(`^${field}_above_(\\d+)k_tokens${suffix}$`);
  const tiers: { start: number; price: number }[] = [];
  for (const f of Object.keys(e)) {
    const m = above.exec(f);
    const price = m ? perToken(e, f, file, name) : undefined;
    // LiteLLM bills the whole request at the higher rate once its prompt exceeds N×1000 tokens, as llmcost's tiers do.
    if (m && price !== undefined) tiers.push({ start: Number(m[1]) * 1000, price });
  }
  return tiers.length === 0 ? base : { base, tiers: tiers.sort((a, b) => a.start - b.start) };
}

function variantOf(e: Record<string, unknown>, suffix: string, file: string, name: string): PriceVariant | undefined {
  const v: PriceVariant = {};
  for (const key of Object.keys(FIELDS) as PriceKey[]) {
    const p = priceOf(e, key, suffix, file, name);
    if (p !== undefined) v[key] = p;
  }
  return v.input === undefined && v.output === undefined ? undefined : v;
}

/**
 * The map's token-priced models as user entries, one per provider and model: `bedrock/<region>/<model>` keys
 * become that model's regional prices, `*_batches|_flex|_priority` its service-tier prices. Entries priced in
 * other units (images, seconds, provisioned throughput) are left out.
 */
export function fromLiteLLM(data: Record<string, unknown>, file: string): UserEntry[] {
  const byModel = new Map<string, UserEntry>();
  for (const [name, e] of Object.entries(data)) {
    if (name === 'sample_spec' || !isObj(e)) continue;
    const standard = variantOf(e, '', file, name);
    if (!standard) continue;
    const raw = typeof e.litellm_provider === 'string' ? e.litellm_provider : undefined;
    // Keys may repeat the provider as a prefix (hosted_vllm/my-model): logs name the model without it.
    const parsed = parseModel(raw && name.toLowerCase().startsWith(`${raw.toLowerCase()}/`) ? name.slice(raw.length + 1) : name);
    const provider = canonicalProvider(raw) ?? '*';
    const id = parsed.priceKey;
    const groupKey = `${provider}\u0000${id}`;
    let entry = byModel.get(groupKey);
    if (!entry) {
      const model: CatalogModel = { id, match: { equals: id }, prices: [] };
      entry = { path: name, provider, model };
      byModel.set(groupKey, entry);
    }
    const model = entry.model;
    if (parsed.region && !/^arn:/i.test(name)) {
      model.regions ??= {};
      model.regions[parsed.region] = [standard];
      continue;
    }
    entry.path = name;
    model.prices = [standard];
    for (const tier of Object.keys(TIER_SUFFIX) as ServiceTier[]) {
      const v = variantOf(e, TIER_SUFFIX[tier], file, name);
      if (v) model.serviceTiers = { ...model.serviceTiers, [tier]: [v] };
    }
  }
  // A model known only by regional keys is priced in those regions only.
  return [...byModel.values()];
}

/**
 * A whole catalog from a LiteLLM map (`prices update FILE`): its models by provider, with each provider's
 * matching rules and batch discount taken from `base` (the embedded catalog) so provider-less rows still resolve.
 */
export function catalogFromLiteLLM(entries: UserEntry[], source: Catalog['source'], base: Catalog): Catalog {
  const providers = new Map<string, CatalogProvider>();
  for (const e of entries) {
    if (e.model.prices.length === 0) continue;
    const id = e.provider === '*' ? 'other' : e.provider;
    let p = providers.get(id);
    if (!p) {
      const known = base.providers.find((x) => x.id === id);
      p = { ...(known ? { ...known } : { id, name: id }), models: [] };
      providers.set(id, p);
    }
    p.models.push(e.model);
  }
  return { schema: 1, source, providers: [...providers.values()] };
}
