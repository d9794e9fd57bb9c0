/**
 * Region-specific Bedrock prices, for catalogs that were stored before they were built in (a `prices update`
 * snapshot). genai-prices prices Bedrock at us-east-1 only; the sourced regional table lives with the other
 * corrections in corrections.ts, and this view of it is re-applied when such a catalog is loaded.
 */
import { CORRECTIONS } from './corrections.js';
import type { PriceVariant } from './types.js';

export const BEDROCK_REGIONAL: { modelId: string; region: string; prices: PriceVariant }[] = CORRECTIONS.filter(
  (c) => c.provider === 'aws' && c.regions,
).flatMap((c) => Object.entries(c.regions ?? {}).flatMap(([region, list]) => list.map((prices) => ({ modelId: c.model, region, prices }))));
