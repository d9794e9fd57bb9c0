/** Pricing decided once per (model, provider, region, tier, geo): see Pricer.planOf. Pure. */
import { DAY_MS } from '../lib/time.js';
import { type Ratio, selectVariant } from './price.js';
import type { PriceOutcome } from './pricer.js';
import type { CatalogProvider, PriceVariant, ServiceTier } from './types.js';

export type Unpriced = Extract<PriceOutcome, { priced: false }>;

/** Models whose plans are kept, and plans per model (a few regions and tiers): bounded whatever the data. */
export const MAX_PLANNED_MODELS = 10_000;
export const MAX_PLANS_PER_MODEL = 64;

/** Pricing of one (model, provider, region, tier, geo): see Pricer.planOf. */
export interface Plan {
  provider: CatalogProvider;
  variants: readonly PriceVariant[];
  /** The prices of the service tier, when the catalog has them. */
  tierVariants: readonly PriceVariant[] | undefined;
  tier: ServiceTier | undefined;
  /** The batch multiplier (times the geo one) for a tier priced at batch rates without prices of its own. */
  batch: Ratio | undefined;
  geo: Ratio;
  geoTag: string;
  regionTag: string;
  profileTag: string;
  refHead: string;
  perDay: boolean;
  /** The UTC day whose variants `standard` and `tierVariant` are. */
  day: number;
  standard: PriceVariant | undefined;
  tierVariant: PriceVariant | undefined;
  lastRef:
    | { variant: PriceVariant; tier: number; tierTag: string; unpriced: string | undefined; fallback1h: boolean; ref: string }
    | undefined;
}

/** The standard and tier variants in force at `ts`, chosen once per UTC day when no price has a time-of-day window. */
export function variantsAt(plan: Plan, ts: number): { standard: PriceVariant | undefined; tierVariant: PriceVariant | undefined } {
  if (!plan.perDay) {
    return { standard: selectVariant(plan.variants, ts), tierVariant: plan.tierVariants && selectVariant(plan.tierVariants, ts) };
  }
  const day = Math.floor(ts / DAY_MS);
  if (day !== plan.day) {
    plan.standard = selectVariant(plan.variants, ts);
    plan.tierVariant = plan.tierVariants && selectVariant(plan.tierVariants, ts);
    plan.day = day;
  }
  return plan;
}
