/**
 * Prices of service tiers and data residency that the generated catalog lacks, each with its source.
 * The pricer reads them; nothing here is derived without a documented rule.
 */
import type { Ratio } from './price.js';
import type { Catalog, PriceVariant } from './types.js';

/**
 * Providers whose `service_tier: "flex"` is billed at their Batch API rates, per the provider's docs:
 * OpenAI "Tokens are priced at Batch API rates" (developers.openai.com/api/docs/guides/flex-processing, read 2026-11-23);
 * Azure OpenAI "a 50% discount compared with Standard processing" (learn.microsoft.com/azure/foundry/openai/how-to/flex-processing).
 */
export const FLEX_AT_BATCH_RATES: ReadonlySet<string> = new Set(['openai', 'azure']);

/**
 * Anthropic API `inference_geo: "us"` (US-only inference): 1.1× on every token price (input, output, cache
 * writes and reads). Sources: platform.claude.com/docs/en/about-claude/pricing ("Data residency pricing") and
 * docs.aws.amazon.com/claude-platform/latest/userguide/data-residency.html ("A 1.1x pricing multiplier applies"),
 * read 2026-11-23. Only the Claude API (1P) has it; on Bedrock and Vertex the route is the model id or endpoint.
 */
export const INFERENCE_GEO_MULTIPLIERS: Readonly<Record<string, Readonly<Record<string, Ratio>>>> = {
  anthropic: { us: { num: 11n, den: 10n } },
};

/** The stored region of a record whose only location is an inference geo (Anthropic API): `us`; `global` is the default. */
export function geoRegion(inferenceGeo: string | undefined): string | undefined {
  const g = inferenceGeo?.trim().toLowerCase();
  return g && g !== 'global' && g !== 'not_available' ? g : undefined;
}

/**
 * OpenAI priority processing, USD per 1M tokens (input, cached input, output), from
 * openai.com/api-priority-processing (read 2026-11-23). The page
 * excludes long context: a priority request above a model's long-context threshold is priced at standard and
 * marked `tier-unpriced` by the pricer.
 */
const OPENAI_PRIORITY: { modelId: string; prices: PriceVariant }[] = [
  { modelId: 'gpt-5.5', prices: { input: 12.5, cacheRead: 1.25, output: 75 } },
  { modelId: 'gpt-5.4-mini', prices: { input: 1.5, cacheRead: 0.15, output: 9 } },
  { modelId: 'gpt-5.4', prices: { input: 5, cacheRead: 0.5, output: 30 } },
  { modelId: 'gpt-5.2', prices: { input: 3.5, cacheRead: 0.35, output: 28 } },
  { modelId: 'gpt-5.1', prices: { input: 2.5, cacheRead: 0.25, output: 20 } },
  { modelId: 'gpt-5', prices: { input: 2.5, cacheRead: 0.25, output: 20 } },
  { modelId: 'gpt-5-mini', prices: { input: 0.45, cacheRead: 0.045, output: 3.6 } },
  { modelId: 'gpt-4.1', prices: { input: 3.5, cacheRead: 0.875, output: 14 } },
  { modelId: 'gpt-4.1-mini', prices: { input: 0.7, cacheRead: 0.175, output: 2.8 } },
  { modelId: 'gpt-4.1-nano', prices: { input: 0.2, cacheRead: 0.05, output: 0.8 } },
  { modelId: 'gpt-4o', prices: { input: 4.25, cacheRead: 2.125, output: 17 } },
];

/** Adds the sourced priority prices to a catalog's OpenAI models (a catalog's own tier prices win). */
export function withServiceTiers(catalog: Catalog): Catalog {
  const openai = catalog.providers.find((p) => p.id === 'openai');
  if (!openai) return catalog;
  for (const row of OPENAI_PRIORITY) {
    const m = openai.models.find((x) => x.id === row.modelId);
    if (!m || m.serviceTiers?.priority) continue;
    m.serviceTiers = { ...m.serviceTiers, priority: [row.prices] };
  }
  return catalog;
}
