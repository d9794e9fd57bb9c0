/** Resolves a record's provider + model to a catalog entry and prices it. Pure given its catalogs. */
import type { Nanos } from '../lib/money.js';
import type { UserPrices } from './catalog.js';
import { canonicalProvider, type ParsedModel, parseModel } from './normalize.js';
import { computeCost, ONE, type Ratio, ratioOf, selectVariant, type TokenUsage } from './price.js';
import type { Catalog, CatalogModel, CatalogProvider, Match, PriceVariant } from './types.js';

export interface PriceInput extends TokenUsage {
  provider?: string | undefined;
  model: string;
  region?: string | undefined;
  ts: number;
  serviceTier?: string | undefined;
}

export type PriceOutcome =
  | { priced: true; nanos: Nanos; ref: string; providerId: string }
  | { priced: false; reason: 'unknown-model' | 'no-price-at-date' | 'missing-price'; providerId?: string };

interface Resolved {
  provider: CatalogProvider;
  model: CatalogModel;
  user: boolean;
}

const regexCache = new Map<string, RegExp>();
export function matches(m: Match, id: string): boolean {
  if ('or' in m) return m.or.some((x) => matches(x, id));
  if ('and' in m) return m.and.every((x) => matches(x, id));
  if ('equals' in m) return id === m.equals.toLowerCase();
  if ('starts_with' in m) return id.startsWith(m.starts_with.toLowerCase());
  if ('ends_with' in m) return id.endsWith(m.ends_with.toLowerCase());
  if ('contains' in m) return id.includes(m.contains.toLowerCase());
  let re = regexCache.get(m.regex);
  if (!re) {
    re = new RegExp(m.regex);
    regexCache.set(m.regex, re);
  }
  return re.test(id);
}

/**
 * How specific a match is for `id`: -1 when it does not match, else twice the length of the literal that matched
 * (+1 for an exact match); a regex counts 0. Resolution picks the most specific entry, so
 * `amazon.titan-embed-text-v2:0` takes V2's entry, not V1's shorter `contains: amazon.titan-embed-text`.
 */
export function specificity(m: Match, id: string): number {
  if ('or' in m) return Math.max(-1, ...m.or.map((x) => specificity(x, id)));
  if ('and' in m) return m.and.every((x) => matches(x, id)) ? Math.max(0, ...m.and.map((x) => specificity(x, id))) : -1;
  if (!matches(m, id)) return -1;
  if ('equals' in m) return m.equals.length * 2 + 1;
  if ('regex' in m) return 0;
  const literal = 'starts_with' in m ? m.starts_with : 'ends_with' in m ? m.ends_with : m.contains;
  return literal.length * 2;
}

function mostSpecific(models: readonly CatalogModel[], id: string): CatalogModel | undefined {
  let best: CatalogModel | undefined;
  let score = -1;
  for (const m of models) {
    const s = specificity(m.match, id);
    if (s > score) {
      best = m;
      score = s;
    }
  }
  return best;
}

// genai-prices also retries compact dates as ISO dates: claude-x-20250514 → claude-x-2025-05-14.
const COMPACT_DATE = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/** Order in which providers are tried for a model id that names no provider. */
const HOME_ORDER = ['anthropic', 'openai', 'google', 'aws', 'mistral', 'deepseek', 'x-ai', 'cohere'];

export class Pricer {
  private readonly byId = new Map<string, CatalogProvider>();
  private readonly ordered: CatalogProvider[];
  private readonly cache = new Map<string, Resolved | null>();
  private readonly batch = new Map<string, Ratio>();

  constructor(
    readonly catalog: Catalog,
    private readonly user: UserPrices | undefined = undefined,
  ) {
    for (const p of catalog.providers) this.byId.set(p.id, p);
    this.ordered = [
      ...HOME_ORDER.map((id) => this.byId.get(id)).filter((p): p is CatalogProvider => p !== undefined),
      ...catalog.providers.filter((p) => !HOME_ORDER.includes(p.id)),
    ];
  }

  /** Finds the catalog entry for a provider + model; cached, since logs repeat a few models millions of times. */
  resolve(provider: string | undefined, model: string, parsed: ParsedModel = parseModel(model)): Resolved | undefined {
    const key = `${provider ?? ''}\u0000${model}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = this.lookup(provider, parsed) ?? null;
      this.cache.set(key, hit);
    }
    return hit ?? undefined;
  }

  private lookup(providerName: string | undefined, parsed: ParsedModel): Resolved | undefined {
    const hint = canonicalProvider(providerName) ?? (parsed.bedrock ? 'aws' : canonicalProvider(parsed.prefixProvider));
    const ids = [parsed.priceKey, parsed.model];
    if (this.user) {
      for (const p of this.user.providers) {
        if (p.id !== '*' && p.id !== hint && !(hint === undefined && p.id === providerName?.toLowerCase())) continue;
        const m = p.models.find((x) => ids.some((id) => matches(x.match, id)));
        if (m) return { provider: p, model: m, user: true };
      }
    }
    if (hint !== undefined) {
      const p = this.byId.get(hint) ?? this.ordered.find((x) => x.providerMatch && matches(x.providerMatch, hint));
      if (!p) return undefined; // a provider the catalog does not know (self-hosted, a private gateway): unpriced
      return this.inProvider(p, parsed.priceKey);
    }
    for (const p of this.ordered) {
      if (p.modelMatch && matches(p.modelMatch, parsed.priceKey)) {
        const r = this.inProvider(p, parsed.priceKey);
        if (r) return r;
      }
    }
    for (const p of this.ordered) {
      const r = this.inProvider(p, parsed.priceKey);
      if (r) return r;
    }
    return undefined;
  }

  private inProvider(p: CatalogProvider, id: string, depth = 0): Resolved | undefined {
    const direct = mostSpecific(p.models, id);
    if (direct) return { provider: p, model: direct, user: false };
    const iso = id.replace(COMPACT_DATE, '$1$2-$3-$4');
    if (iso !== id) {
      const m = mostSpecific(p.models, iso);
      if (m) return { provider: p, model: m, user: false };
    }
    if (depth === 0) {
      for (const f of p.fallback ?? []) {
        const fp = this.byId.get(f);
        const r = fp && this.inProvider(fp, id, 1);
        if (r) return r;
      }
    }
    return undefined;
  }

  private batchRatio(p: CatalogProvider): Ratio {
    let r = this.batch.get(p.id);
    if (!r) {
      r = ratioOf(p.batchMultiplier ?? 1);
      this.batch.set(p.id, r);
    }
    return r;
  }

  /** Prices one usage line at the price in force at its timestamp (and region, when the catalog has one). */
  price(input: PriceInput): PriceOutcome {
    const resolved = this.resolve(input.provider, input.model);
    if (!resolved) return { priced: false, reason: 'unknown-model' };
    const { provider, model } = resolved;
    let variants: readonly PriceVariant[] = model.prices;
    let regionTag = '';
    if (input.region && model.regions?.[input.region]) {
      variants = model.regions[input.region] ?? variants;
      regionTag = `#${input.region}`;
    }
    const variant = selectVariant(variants, input.ts);
    if (!variant) return { priced: false, reason: 'no-price-at-date', providerId: provider.id };
    const batch = input.serviceTier === 'batch';
    const cost = computeCost(variant, input, batch ? this.batchRatio(provider) : ONE);
    if (!cost) return { priced: false, reason: 'missing-price', providerId: provider.id };
    let ref = `${resolved.user ? 'user:' : ''}${provider.id}/${model.id}`;
    if (variant.from) ref += `@${variant.from}`;
    ref += regionTag;
    if (batch) ref += '+batch';
    if (cost.tier > 0) ref += `>${cost.tier}`;
    // No 1-hour cache-write price: say so in the row's provenance rather than silently using the 5-minute rate.
    if (cost.fallbacks.includes('cacheWrite1h')) ref += '~1h=5m';
    return { priced: true, nanos: cost.nanos, ref, providerId: provider.id };
  }
}
