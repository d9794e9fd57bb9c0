/**
 * Measured evidence for the roadmap: what routing short-output traffic to a cheaper model of the same provider
 * would save, and the share of spend outside office hours. Pure: rows in, numbers out; prices come from the caller.
 */
import type { AggregateRow } from '../core/types.js';
import type { Nanos } from '../lib/money.js';
import { weekdayOf } from '../lib/time.js';
import { canonicalProvider } from '../pricing/normalize.js';
import { batchScenario, type PriceAs, routeScenario, type WhatifRow } from './whatif.js';

/** The cheaper model of the same provider that short-output traffic could be routed to. */
const CHEAPER: Record<string, { model: string; when: RegExp }> = {
  anthropic: { model: 'claude-3-5-haiku-20241022', when: /opus|sonnet/ },
  openai: { model: 'gpt-4o-mini', when: /^(gpt-4o|gpt-4-turbo|gpt-4|o1|o3|gpt-5)(-\d|$)/ },
  google: { model: 'gemini-1.5-flash', when: /pro/ },
  aws: { model: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', when: /opus|sonnet|llama3-70b|llama3-1-70b|nova-pro|nova-premier/ },
};

/**
 * What routing the short-output traffic (≤ 500 output tokens per request) of a premium model to CHEAPER's model of its
 * provider saves, where that costs under a third: `whatif --route`'s arithmetic (routeScenario) on those rows, so the
 * roadmap's measured figure and whatif's agree.
 */
export function routingSavings(rows: readonly WhatifRow[], priceAs: PriceAs): Nanos {
  let saved = 0n;
  for (const [provider, alt] of Object.entries(CHEAPER)) {
    const movable = rows.filter((r) => {
      if (canonicalProvider(r.provider) !== provider || !alt.when.test(r.model) || r.outputPerRequest > 500 || r.costNanos === 0n)
        return false;
      const price = priceAs(r, { model: alt.model });
      return price !== undefined && price * 3n < r.costNanos;
    });
    if (movable.length > 0) saved += routeScenario(movable, () => true, alt.model, 1, priceAs).savedNanos;
  }
  return saved;
}

/** What moving `share` of the standard traffic to batch prices saves: `whatif --batch-share`'s arithmetic. */
export function batchSavings(rows: readonly WhatifRow[], share: number, priceAs: PriceAs): Nanos {
  return batchScenario(rows, share, priceAs).savedNanos;
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
