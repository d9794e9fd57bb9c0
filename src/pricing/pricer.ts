/** Resolves a record's provider + model to a catalog entry and prices it. Pure given its catalogs. */
import type { Nanos } from '../lib/money.js';
import type { UserEntry, UserPrices } from './catalog.js';
import { canonicalProvider, type ParsedModel, parseModel } from './normalize.js';
import { MAX_PLANNED_MODELS, MAX_PLANS_PER_MODEL, type Plan, type Unpriced, variantsAt } from './plan.js';
import { type CostResult, computeCost, mulRatio, ONE, type Ratio, ratioOf, type TokenUsage } from './price.js';
import { FLEX_AT_BATCH_RATES, INFERENCE_GEO_MULTIPLIERS } from './service-tiers.js';
import type { Catalog, CatalogModel, CatalogProvider, Match, PriceVariant, ServiceTier } from './types.js';

export interface PriceInput extends TokenUsage {
  provider?: string | undefined;
  model: string;
  region?: string | undefined;
  ts: number;
  /** standard (or absent, `default`, `auto`), batch, flex or priority. */
  serviceTier?: string | undefined;
  /** Anthropic API `inference_geo`. Stored rows keep it in `region`, so a region of `us` on an Anthropic row counts too. */
  inferenceGeo?: string | undefined;
}

export type PriceOutcome =
  | { priced: true; nanos: Nanos; ref: string; providerId: string }
  | {
      priced: false;
      reason: 'unknown-model' | 'no-price-at-date' | 'missing-price' | 'unmapped-inference-profile';
      providerId?: string;
    };

export interface PricerOptions {
  /** Application inference profiles (config `inferenceProfiles`): profile id or ARN → the model it routes to. */
  inferenceProfiles?: Readonly<Record<string, string>> | undefined;
}

/** What a plan is chosen by besides the model name. */
interface PlanKey {
  provider: string | undefined;
  region: string | undefined;
  serviceTier: string | undefined;
  inferenceGeo: string | undefined;
}

interface Resolved {
  provider: CatalogProvider;
  model: CatalogModel;
  user: boolean;
}

/** The marker of a cost priced at standard because its service tier has no price: `;uncertain=tier-unpriced:<tier>:standard`. */
const TIER_UNPRICED = 'tier-unpriced';

const APP_PROFILE = /(arn:aws(?:-[a-z]+)?:bedrock:[a-z0-9-]*:\d*:application-inference-profile\/([a-z0-9]+))$/i;

/** The id (and ARN) of a Bedrock application inference profile named by a model string, if it is one. */
function applicationProfile(model: string): { id: string; arn: string } | undefined {
  const m = APP_PROFILE.exec(model.trim());
  return m?.[1] && m[2] ? { id: m[2].toLowerCase(), arn: m[1].toLowerCase() } : undefined;
}

/** Service tiers the pricer prices apart; everything else is standard. */
export function serviceTierOf(tier: string | undefined): ServiceTier | undefined {
  const t = tier?.trim().toLowerCase();
  return t === 'batch' || t === 'flex' || t === 'priority' ? t : undefined;
}

const regexCache = new Map<string, RegExp>();
function matches(m: Match, id: string): boolean {
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
function specificity(m: Match, id: string): number {
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
  /** Plans by model name: see planOf. */
  private readonly plans = new Map<string, { key: PlanKey; plan: Plan | Unpriced }[]>();
  private readonly profiles = new Map<string, string>();
  /** User price entries some record resolved to. */
  private readonly usedUser = new Set<CatalogModel>();

  constructor(
    readonly catalog: Catalog,
    private readonly user: UserPrices | undefined = undefined,
    options: PricerOptions = {},
  ) {
    for (const p of catalog.providers) this.byId.set(p.id, p);
    for (const [k, v] of Object.entries(options.inferenceProfiles ?? {})) this.profiles.set(k.trim().toLowerCase(), v);
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
    if (this.user) {
      const hit = this.inUser(this.user, hint, parsed);
      if (hit) {
        this.usedUser.add(hit.model);
        return hit;
      }
    }
    return this.inCatalog(hint, parsed);
  }

  /**
   * A user price entry for the row. Precedence: entries scoped to the row's provider, then unscoped ones. A row
   * without a provider takes, in order, entries scoped to the provider the catalog puts the model under, unscoped
   * entries, then entries scoped to any other provider (first in the file wins).
   */
  private inUser(user: UserPrices, hint: string | undefined, parsed: ParsedModel): Resolved | undefined {
    const ids = [parsed.priceKey, parsed.model];
    const find = (p: CatalogProvider): Resolved | undefined => {
      const m = p.models.find((x) => ids.some((id) => matches(x.match, id)));
      return m ? { provider: p, model: m, user: true } : undefined;
    };
    const home = hint ?? this.inCatalog(undefined, parsed)?.provider.id;
    const scoped = user.providers.filter((p) => p.id !== '*');
    const order = [
      ...scoped.filter((p) => p.id === home),
      ...user.providers.filter((p) => p.id === '*'),
      ...(hint === undefined ? scoped.filter((p) => p.id !== home) : []),
    ];
    for (const p of order) {
      const hit = find(p);
      if (hit) return hit;
    }
    return undefined;
  }

  /** The user price file, when there is one. */
  get userFile(): string | undefined {
    return this.user?.file;
  }

  /**
   * User price entries that no priced record used and that name no model of the catalog (under their provider):
   * a misspelled id or provider, most likely. Call after pricing the data.
   */
  unusedUserEntries(): UserEntry[] {
    if (!this.user) return [];
    return (this.user.entries ?? []).filter((e) => {
      if (this.usedUser.has(e.model)) return false;
      const providers = e.provider === '*' ? this.catalog.providers : this.catalog.providers.filter((p) => p.id === e.provider);
      return !providers.some((p) => p.models.some((m) => catalogIds(m).some((id) => matches(e.model.match, id))));
    });
  }

  private inCatalog(hint: string | undefined, parsed: ParsedModel): Resolved | undefined {
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

  /** The model an application inference profile routes to, from the config; undefined when unmapped. */
  profileTarget(profile: { id: string; arn: string }): string | undefined {
    return this.profiles.get(profile.arn) ?? this.profiles.get(profile.id);
  }

  /**
   * Prices one usage line at the price in force at its timestamp (and region, when the catalog has one), in its
   * service tier, times the data-residency multiplier of its inference geo; rounded once.
   */
  price(input: PriceInput): PriceOutcome {
    const plan = this.planOf(input);
    if ('reason' in plan) return { ...plan };
    const { provider } = plan;
    const { standard, tierVariant } = variantsAt(plan, input.ts);
    if (!standard) return { priced: false, reason: 'no-price-at-date', providerId: provider.id };
    let variant = standard;
    let multiplier = plan.geo;
    let tierTag = '';
    let unpriced: string | undefined;
    if (plan.tier) {
      if (tierVariant) {
        variant = tierVariant;
        tierTag = `+${plan.tier}`;
      } else if (plan.batch) {
        multiplier = plan.batch;
        tierTag = `+${plan.tier}`;
      } else {
        // No price for this tier and no documented rule: standard, marked and reported, never silently.
        unpriced = plan.tier;
      }
    }
    let cost: CostResult | undefined = computeCost(variant, input, multiplier);
    if (cost && variant !== standard) {
      // Tier prices published without the long-context tier the standard price has (OpenAI priority): standard.
      const std = computeCost(standard, input, plan.geo);
      if (std && std.tier > cost.tier) {
        cost = std;
        tierTag = '';
        unpriced = `${plan.tier}-long-context`;
      }
    }
    if (!cost) return { priced: false, reason: 'missing-price', providerId: provider.id };
    const fallback1h = cost.fallbacks.includes('cacheWrite1h');
    // The same reference as the row before it on this plan (nearly always): the same string, built once.
    const last = plan.lastRef;
    if (
      last &&
      last.variant === variant &&
      last.tier === cost.tier &&
      last.tierTag === tierTag &&
      last.unpriced === unpriced &&
      last.fallback1h === fallback1h
    ) {
      return { priced: true, nanos: cost.nanos, ref: last.ref, providerId: provider.id };
    }
    let ref = plan.refHead;
    if (variant.from) ref += `@${variant.from}`;
    ref += plan.regionTag;
    ref += tierTag;
    ref += plan.geoTag;
    if (cost.tier > 0) ref += `>${cost.tier}`;
    // No 1-hour cache-write price: say so in the row's provenance rather than silently using the 5-minute rate.
    if (fallback1h) ref += '~1h=5m';
    ref += plan.profileTag;
    // Uncertain marks come last: everything after `;uncertain=` is read back as the mark.
    if (unpriced) ref += `;uncertain=${TIER_UNPRICED}:${unpriced}:standard`;
    plan.lastRef = { variant, tier: cost.tier, tierTag, unpriced, fallback1h, ref };
    return { priced: true, nanos: cost.nanos, ref, providerId: provider.id };
  }

  /**
   * What pricing decides once per (model, provider, region, service tier, inference geo) rather than per line:
   * the catalog entry, its region's prices, the tier and geo multipliers and the reference's fixed parts.
   */
  private planOf(input: PriceInput): Plan | Unpriced {
    let plans = this.plans.get(input.model);
    if (plans === undefined) {
      if (this.plans.size >= MAX_PLANNED_MODELS) this.plans.clear();
      plans = [];
      this.plans.set(input.model, plans);
    }
    for (const p of plans) {
      if (
        p.key.provider === input.provider &&
        p.key.region === input.region &&
        p.key.serviceTier === input.serviceTier &&
        p.key.inferenceGeo === input.inferenceGeo
      ) {
        return p.plan;
      }
    }
    const plan = this.plan(input);
    if (plans.length >= MAX_PLANS_PER_MODEL) plans.length = 0;
    plans.push({
      key: { provider: input.provider, region: input.region, serviceTier: input.serviceTier, inferenceGeo: input.inferenceGeo },
      plan,
    });
    return plan;
  }

  private plan(input: PriceInput): Plan | Unpriced {
    let modelId = input.model;
    let providerName = input.provider;
    let profileTag = '';
    const profile = applicationProfile(input.model);
    if (profile) {
      const target = this.profileTarget(profile);
      if (target === undefined) return { priced: false, reason: 'unmapped-inference-profile', providerId: 'aws' };
      modelId = target;
      providerName ??= 'aws';
      profileTag = `~profile:${profile.id}`;
    }
    const resolved = this.resolve(providerName, modelId);
    if (!resolved) return { priced: false, reason: 'unknown-model' };
    const { provider, model } = resolved;
    let variants: readonly PriceVariant[] = model.prices;
    let regionTag = '';
    if (input.region && model.regions?.[input.region]) {
      variants = model.regions[input.region] ?? variants;
      regionTag = `#${input.region}`;
    }
    let geo = ONE;
    let geoTag = '';
    const geoName = (input.inferenceGeo ?? input.region)?.toLowerCase();
    const geoRatio = geoName === undefined ? undefined : INFERENCE_GEO_MULTIPLIERS[provider.id]?.[geoName];
    if (geoRatio) {
      geo = geoRatio;
      geoTag = `+geo:${geoName}`;
    }
    const tier = serviceTierOf(input.serviceTier);
    let tierVariants: readonly PriceVariant[] | undefined;
    let batch: Ratio | undefined;
    if (tier) {
      const atBatch = tier === 'batch' || (tier === 'flex' && FLEX_AT_BATCH_RATES.has(provider.id));
      tierVariants = model.serviceTiers?.[tier] ?? (atBatch ? model.serviceTiers?.batch : undefined);
      if (atBatch && provider.batchMultiplier !== undefined) batch = mulRatio(this.batchRatio(provider), geo);
    }
    const byTime = (vs: readonly PriceVariant[] | undefined): boolean => vs?.some((v) => v.timeOfDay !== undefined) ?? false;
    return {
      provider,
      variants,
      tierVariants,
      tier,
      batch,
      geo,
      geoTag,
      regionTag,
      profileTag,
      refHead: `${resolved.user ? 'user:' : ''}${provider.id}/${model.id}`,
      // Prices with a time-of-day window are chosen per line; the others per UTC day.
      perDay: !byTime(variants) && !byTime(tierVariants),
      day: Number.NaN,
      standard: undefined,
      tierVariant: undefined,
      lastRef: undefined,
    };
  }
}

/** The ids a catalog model is known by: its id and the exact names in its match. */
function catalogIds(m: CatalogModel): string[] {
  const out = [m.id.toLowerCase()];
  const walk = (x: Match): void => {
    if ('or' in x) x.or.forEach(walk);
    else if ('and' in x) x.and.forEach(walk);
    else if ('equals' in x) out.push(x.equals.toLowerCase());
    else if ('starts_with' in x) out.push(x.starts_with.toLowerCase());
  };
  walk(m.match);
  return out;
}
