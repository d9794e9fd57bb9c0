/**
 * Hand-kept additions to the generated catalog, each with its source. genai-prices prices Bedrock at
 * us-east-1 only; these are the regional Bedrock prices that differ (LiteLLM `bedrock/<region>/…`
 * keys, snapshot 2026-07-24, as compared in shared/PRICING.md §1.2). Extend when a user reports one.
 */
import type { PriceVariant } from './types.js';

export const BEDROCK_REGIONAL: { modelId: string; region: string; prices: PriceVariant }[] = [
  { modelId: 'meta.llama3-70b-instruct-v1:0', region: 'eu-west-1', prices: { input: 2.86, output: 3.78 } },
  { modelId: 'meta.llama3-70b-instruct-v1:0', region: 'ap-south-1', prices: { input: 3.18, output: 4.2 } },
];
