/**
 * Converts genai-prices provider data (the package's bundled data, or its v2 data.json) into llmcost's
 * catalog. Only token prices are kept; audio, image and per-request units are out of llmcost's scope.
 */
import { applyCorrections } from './corrections.js';
import type { Catalog, CatalogModel, CatalogProvider, Match, Price, PriceVariant, Provenance } from './types.js';

/** Providers llmcost's users pay directly; marketplaces and hubs (openrouter, huggingface_*) are left out. */
const GENAI_PROVIDERS = [
  'anthropic',
  'openai',
  'aws',
  'google',
  'azure',
  'mistral',
  'deepseek',
  'x-ai',
  'cohere',
  'groq',
  'together',
  'fireworks',
  'cerebras',
  'moonshotai',
  'perplexity',
  'minimax',
  'zai',
  'zhipuai',
] as const;

/** Batch APIs at half the on-demand price (OpenAI, Anthropic, Bedrock, Gemini and Azure OpenAI batch terms). */
const BATCH_MULTIPLIERS: Record<string, number> = { anthropic: 0.5, openai: 0.5, aws: 0.5, google: 0.5, azure: 0.5 };

const KEY_MAP: Record<string, keyof PriceVariant> = {
  input_mtok: 'input',
  output_mtok: 'output',
  cache_read_mtok: 'cacheRead',
  cache_write_mtok: 'cacheWrite',
  cache_write_1h_mtok: 'cacheWrite1h',
};

interface GenaiConstraint {
  type?: string;
  start_date?: string;
  start_time?: string;
  end_time?: string;
}
interface GenaiModel {
  id: string;
  name?: string;
  match: Match;
  context_window?: number;
  prices: Record<string, unknown> | { constraint?: GenaiConstraint; prices: Record<string, unknown> }[];
}
interface GenaiProvider {
  id: string;
  name: string;
  pricing_urls?: string[];
  model_match?: Match;
  provider_match?: Match;
  fallback_model_providers?: string[];
  models: GenaiModel[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toPrice(v: unknown): Price | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (isRecord(v) && typeof v.base === 'number' && Array.isArray(v.tiers)) {
    const tiers: { start: number; price: number }[] = [];
    for (const t of v.tiers) {
      if (isRecord(t) && typeof t.start === 'number' && typeof t.price === 'number') tiers.push({ start: t.start, price: t.price });
    }
    return { base: v.base, tiers };
  }
  return undefined;
}

function toVariant(prices: Record<string, unknown>, constraint?: GenaiConstraint): PriceVariant | undefined {
  const variant: PriceVariant = {};
  for (const [from, to] of Object.entries(KEY_MAP)) {
    const p = toPrice(prices[from]);
    if (p !== undefined) Object.assign(variant, { [to]: p });
  }
  if (variant.input === undefined && variant.output === undefined) return undefined;
  if (constraint?.start_date) variant.from = constraint.start_date;
  if (constraint?.start_time && constraint.end_time) variant.timeOfDay = { start: constraint.start_time, end: constraint.end_time };
  return variant;
}

function toModel(m: GenaiModel, origin: Provenance): CatalogModel | undefined {
  const list = Array.isArray(m.prices) ? m.prices : [{ prices: m.prices }];
  const prices: PriceVariant[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || !isRecord(entry.prices)) continue;
    const v = toVariant(entry.prices, isRecord(entry.constraint) ? (entry.constraint as GenaiConstraint) : undefined);
    if (v) prices.push(v);
  }
  if (prices.length === 0) return undefined;
  const model: CatalogModel = { id: m.id, match: m.match, prices };
  if (m.name) model.name = m.name;
  if (m.context_window) model.contextWindow = m.context_window;
  model.provenance = [{ ...origin }];
  return model;
}

/**
 * Throws when `data` is not genai-prices provider data. `checked` is the day the data was published (the pinned
 * package's release); llmcost's sourced corrections (corrections.ts) are applied on top.
 */
export function fromGenaiPrices(
  data: unknown,
  source: { kind: string; version: string; checked: string },
  options: { corrections?: boolean } = {},
): Catalog {
  if (!Array.isArray(data)) throw new TypeError('expected a JSON array of providers (genai-prices data.json)');
  const keep = new Set<string>(GENAI_PROVIDERS);
  const providers: CatalogProvider[] = [];
  for (const raw of data as GenaiProvider[]) {
    if (!isRecord(raw) || typeof raw.id !== 'string' || !Array.isArray(raw.models)) {
      throw new TypeError('expected every provider to have an id and a models array');
    }
    if (!keep.has(raw.id)) continue;
    const origin: Provenance = {
      source: `${source.kind}@${source.version}${raw.pricing_urls?.[0] ? ` (${raw.pricing_urls[0]})` : ''}`,
      checked: source.checked,
    };
    const models = raw.models.map((m) => toModel(m, origin)).filter((m): m is CatalogModel => m !== undefined);
    const p: CatalogProvider = { id: raw.id, name: raw.name, models };
    if (raw.model_match) p.modelMatch = raw.model_match;
    if (raw.provider_match) p.providerMatch = raw.provider_match;
    if (raw.fallback_model_providers?.length) p.fallback = raw.fallback_model_providers;
    const batch = BATCH_MULTIPLIERS[raw.id];
    if (batch !== undefined) p.batchMultiplier = batch;
    providers.push(p);
  }
  providers.sort((a, b) => GENAI_PROVIDERS.indexOf(a.id as never) - GENAI_PROVIDERS.indexOf(b.id as never));
  if (options.corrections !== false) applyCorrections(providers);
  return { schema: 1, source: { kind: source.kind, version: source.version }, providers };
}
