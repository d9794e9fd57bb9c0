/** Pure cost arithmetic in integer nano-USD. No I/O, no clock. */
import { divRound, type Nanos, parseDecimalScaled } from '../lib/money.js';
import type { Price, PriceKey, PriceVariant } from './types.js';

export interface TokenUsage {
  /** Uncached input tokens. */
  input: number;
  output: number;
  cacheRead: number;
  /** All cache writes; cacheWrite1h of them were 1-hour writes. */
  cacheWrite: number;
  cacheWrite1h: number;
  /** Requests the usage line covers; tiers apply only to single requests. */
  requests: number;
}

/** A multiplier as an exact fraction (batch 1/2, a 10 % discount 9/10). */
export interface Ratio {
  num: bigint;
  den: bigint;
}
export const ONE: Ratio = { num: 1n, den: 1n };

/** a × b, kept as one fraction so a cost with several multipliers (batch, data residency) is rounded once. */
export function mulRatio(a: Ratio, b: Ratio): Ratio {
  return { num: a.num * b.num, den: a.den * b.den };
}

/** Converts a catalog price number (USD per 1M) to exact nano-USD per 1M. */
const priceCache = new Map<number, Nanos>();
function priceNanos(usdPerMillion: number): Nanos {
  let n = priceCache.get(usdPerMillion);
  if (n === undefined) {
    n = parseDecimalScaled(String(usdPerMillion), 9, true);
    if (n === undefined) throw new RangeError(`invalid price ${usdPerMillion}`);
    priceCache.set(usdPerMillion, n);
  }
  return n;
}

export function ratioOf(x: number): Ratio {
  const scaled = parseDecimalScaled(String(x), 6, true);
  if (scaled === undefined || scaled < 0n) throw new RangeError(`invalid multiplier ${x}`);
  return { num: scaled, den: 1_000_000n };
}

/** The variant in force at `ts`: the latest `from` not after ts, honouring time-of-day windows. */
export function selectVariant(variants: readonly PriceVariant[], ts: number): PriceVariant | undefined {
  const only = variants[0];
  if (variants.length === 1 && only && only.from === undefined && only.timeOfDay === undefined) return only;
  const day = new Date(ts).toISOString();
  const date = day.slice(0, 10);
  const time = day.slice(11, 19);
  let chosen: PriceVariant | undefined;
  for (const v of variants) {
    if (v.from !== undefined && v.from > date) continue;
    if (v.timeOfDay) {
      const { start, end } = v.timeOfDay;
      const inside = start <= end ? time >= start && time < end : time >= start || time < end;
      if (!inside) continue;
    }
    // "Last active wins", as genai-prices defines conditional prices.
    chosen = chosen === undefined ? v : { ...chosen, ...v };
  }
  return chosen;
}

function rate(p: Price, totalInput: number, tiered: boolean): { usd: number; tier: number } {
  if (typeof p === 'number') return { usd: p, tier: 0 };
  let usd = p.base;
  let tier = 0;
  if (tiered) {
    for (const t of p.tiers) {
      if (totalInput > t.start) {
        usd = t.price;
        tier = t.start;
      }
    }
  }
  return { usd, tier };
}

export interface CostResult {
  nanos: Nanos;
  /** Input-token threshold of the tier applied, 0 for base prices. */
  tier: number;
  /** Price keys that fell back to an ancestor price (cacheRead → input) because the model has none. */
  fallbacks: readonly PriceKey[];
}

const FALLBACK: Record<PriceKey, PriceKey | undefined> = {
  input: undefined,
  output: undefined,
  cacheRead: 'input',
  cacheWrite: 'input',
  cacheWrite1h: 'cacheWrite',
};

/** The key whose price `v` charges for `key`: `key`, or the one it falls back to (cacheRead → input) when `v` has none. */
function priceKeyOf(v: PriceVariant, key: PriceKey): PriceKey | undefined {
  let k: PriceKey | undefined = key;
  while (k !== undefined && v[k] === undefined) k = FALLBACK[k];
  return k;
}

const PRICE_KEYS: readonly PriceKey[] = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h'];
/** Shared by every cost without a fallback (nearly all). */
const NO_FALLBACKS: readonly PriceKey[] = [];

/**
 * Cost of `usage` at `variant`, rounded once to whole nanos.
 * Tiered prices (e.g. Claude above 200k input tokens) switch every token of the request to the tier
 * rate once its total input (uncached + cache read + cache write) exceeds the threshold. An aggregated
 * line (requests > 1, or 0: a source that counts no requests, such as a bill or Anthropic's usage report)
 * cannot know its requests' sizes, so it is priced at the base tier.
 * Returns undefined when a needed price is missing (the record is then unpriced, not $0).
 */
export function computeCost(variant: PriceVariant, usage: TokenUsage, multiplier: Ratio = ONE): CostResult | undefined {
  const totalInput = usage.input + usage.cacheRead + usage.cacheWrite;
  const tiered = usage.requests === 1;
  let fallbacks: readonly PriceKey[] = NO_FALLBACKS;
  let numerator = 0n; // tokens × nano-USD per 1M
  let tier = 0;
  // Every price key in order, without building a list per call (this runs once per ingested row).
  for (let i = 0; i < PRICE_KEYS.length; i++) {
    const key = PRICE_KEYS[i] as PriceKey;
    const tokens =
      i === 0
        ? usage.input
        : i === 1
          ? usage.output
          : i === 2
            ? usage.cacheRead
            : i === 3
              ? usage.cacheWrite - usage.cacheWrite1h
              : usage.cacheWrite1h;
    if (tokens === 0) continue;
    const at = priceKeyOf(variant, key);
    if (at === undefined) return undefined;
    if (at !== key) fallbacks = [...fallbacks, key];
    const r = rate(variant[at] as Price, totalInput, tiered);
    if (r.tier > tier) tier = r.tier;
    numerator += BigInt(tokens) * priceNanos(r.usd);
  }
  const nanos = divRound(numerator * multiplier.num, 1_000_000n * multiplier.den);
  return { nanos, tier, fallbacks };
}
