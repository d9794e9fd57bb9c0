/**
 * Measured evidence for the roadmap: what routing short-output traffic to a cheaper model of the same provider
 * would save, and the share of spend outside office hours. Pure: rows in, numbers out; prices come from the caller.
 */
import type { AggregateRow } from '../core/types.js';
import { weekdayOf } from '../lib/time.js';
import { pricedRequests } from './report.js';

/** The cheaper model of the same provider that short-output traffic could be routed to. */
const CHEAPER: Record<string, { model: string; when: RegExp }> = {
  anthropic: { model: 'claude-3-5-haiku-20241022', when: /opus|sonnet/ },
  openai: { model: 'gpt-4o-mini', when: /^(gpt-4o|gpt-4-turbo|gpt-4|o1|o3|gpt-5)(-\d|$)/ },
  google: { model: 'gemini-1.5-flash', when: /pro/ },
  aws: { model: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', when: /opus|sonnet|llama3-70b|llama3-1-70b|nova-pro|nova-premier/ },
};

/**
 * USD saved by routing each (endpoint, provider, model) row with short outputs (≤ 500 tokens per request) to
 * CHEAPER's model, where that costs under a third. `priceAs(row, provider, model)` prices the row's tokens and
 * requests with another model: undefined when that model has no price.
 */
export function routingSavingsUsd(
  rows: readonly AggregateRow[],
  priceAs: (row: AggregateRow, provider: string, model: string) => bigint | undefined,
): number {
  let routing = 0;
  for (const r of rows) {
    const [, provider = '', model = ''] = r.keys;
    const alt = CHEAPER[provider];
    if (!alt || !alt.when.test(model) || pricedRequests(r) <= 0 || r.costNanos === 0n || r.outputTokens / r.requests > 500) continue;
    const price = priceAs(r, provider, alt.model);
    if (price === undefined) continue;
    // The row's cost covers its priced requests only: compare with that share of the alternative's price.
    const altNanos = (price * BigInt(pricedRequests(r))) / BigInt(r.requests);
    if (altNanos * 3n < r.costNanos) routing += Number(r.costNanos - altNanos) / 1e9;
  }
  return routing;
}

/**
 * Share of the cost spent outside office hours (before 08:00, from 20:00, and at weekends), to 4 decimals
 * (truncated); undefined when nothing was spent. `hours` are rows grouped by local hour (`day` holds the hour).
 */
export function offHoursShare(hours: readonly AggregateRow[]): number | undefined {
  let off = 0n;
  let all = 0n;
  for (const h of hours) {
    const hour = h.day ?? 0;
    const hod = ((hour % 24) + 24) % 24;
    all += h.costNanos;
    if (hod < 8 || hod >= 20 || weekdayOf(Math.floor(hour / 24)) >= 5) off += h.costNanos;
  }
  return all > 0n ? Number((off * 10000n) / all) / 10000 : undefined;
}
