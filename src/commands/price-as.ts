/** The repricing callback of `whatif` and `roadmap`: a stored row priced with a change, by the ingest's pricer. */
import type { PriceAs } from '../analysis/whatif.js';
import type { Pricer } from '../pricing/pricer.js';

/** Reprices a row with a change, as the ingest would price it; undefined when the change has no (certain) price. */
export function priceAsWith(pricer: Pricer): PriceAs {
  return (row, change) => {
    const usage = change.usage ?? {
      input: row.inputTokens,
      output: row.outputTokens,
      cacheRead: row.cacheReadTokens,
      cacheWrite: row.cacheWriteTokens,
    };
    const o = pricer.price({
      provider: change.model ? undefined : row.provider || undefined,
      model: change.model ?? row.modelRaw,
      region: change.model ? undefined : row.region || undefined,
      serviceTier: change.tier ?? row.serviceTier,
      ts: row.ts,
      ...usage,
      cacheWrite1h: 0,
      requests: row.requests,
    });
    if (!o.priced) return undefined;
    // A tier the model has no price for is priced at standard and marked: no batch saving can be claimed.
    if (change.tier && o.ref.includes(';uncertain=')) return undefined;
    return o.nanos;
  };
}
