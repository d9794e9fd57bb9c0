/** The price catalog format (src/pricing/catalog.json, `prices update` snapshots, user price files). */

/** genai-prices' match logic, kept as-is: matched case-insensitively against the model id. */
export type Match =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: Match[] }
  | { and: Match[] };

/** USD per 1M tokens; tiered prices switch the whole request to `price` once its input exceeds `start`. */
export type Price = number | { base: number; tiers: { start: number; price: number }[] };

export const PRICE_KEYS = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

export interface PriceVariant {
  /** First UTC day (YYYY-MM-DD) this price applies; absent = since always. The latest started variant wins. */
  from?: string;
  /** UTC time-of-day window (HH:MM:SS) for off-peak prices. */
  timeOfDay?: { start: string; end: string };
  input?: Price;
  output?: Price;
  cacheRead?: Price;
  cacheWrite?: Price;
  cacheWrite1h?: Price;
}

/** Service tiers priced apart from standard (OpenAI `service_tier`, Anthropic batch, Bedrock batch). */
export const SERVICE_TIERS = ['batch', 'flex', 'priority'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** Where a catalog entry's prices come from: a source URL (or package), the day it was checked, and why. */
export interface Provenance {
  source: string;
  /** UTC day (YYYY-MM-DD) the price was last checked against `source`. */
  checked: string;
  note?: string;
}

export interface CatalogModel {
  id: string;
  name?: string;
  match: Match;
  contextWindow?: number;
  prices: PriceVariant[];
  /** Region-specific prices (Bedrock), keyed by AWS region. */
  regions?: Record<string, PriceVariant[]>;
  /** Explicit prices of a service tier (LiteLLM `*_batches`/`*_flex`/`*_priority`, OpenAI priority processing). */
  serviceTiers?: Partial<Record<ServiceTier, PriceVariant[]>>;
  /** Sources of the prices, oldest layer first (genai-prices, then each llmcost correction). */
  provenance?: Provenance[];
}

export interface CatalogProvider {
  id: string;
  name: string;
  /** Which model ids belong to this provider when the record names no provider. */
  modelMatch?: Match;
  /** Which provider names (from a log's provider field) mean this provider. */
  providerMatch?: Match;
  fallback?: string[];
  /** Batch API discount as a fraction of on-demand (0.5 = half price). */
  batchMultiplier?: number;
  models: CatalogModel[];
}

export interface Catalog {
  schema: 1;
  source: { kind: string; version: string; note?: string };
  providers: CatalogProvider[];
}
