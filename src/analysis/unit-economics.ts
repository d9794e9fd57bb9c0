/** Unit economics of the measured usage: USD here are estimates (floats rounded to cents), not ledger money. */

const cents = (x: number): number => Math.round(x * 100) / 100;

/**
 * Unit economics: cost against revenue, with the seed guide's targets (cost/revenue 20-30 %, margin ≥ 70 %).
 * `costUsd` is the priced cost, so cost per request divides it by the priced requests only (null when none is
 * priced): an unpriced request's cost is unknown, not $0.
 */
/** `billedUsd`: the part of the cost taken from the bill (no requests behind it), left out of the per-request cost. */
export function unitEconomics(costUsd: number, requests: { priced: number; unpriced: number }, revenueUsd: number, billedUsd = 0) {
  const ratio = revenueUsd > 0 ? costUsd / revenueUsd : null;
  const margin = revenueUsd > 0 ? (revenueUsd - costUsd) / revenueUsd : null;
  const health = margin === null ? null : margin >= 0.7 ? 'healthy' : margin >= 0.5 ? 'acceptable' : 'unhealthy';
  return {
    costUsd: cents(costUsd),
    requests: requests.priced + requests.unpriced,
    pricedRequests: requests.priced,
    unpricedRequests: requests.unpriced,
    costPerRequestUsd: requests.priced > 0 ? Math.round(((costUsd - billedUsd) / requests.priced) * 1e6) / 1e6 : null,
    revenueUsd,
    costToRevenue: ratio === null ? null : Math.round(ratio * 10000) / 10000,
    grossMargin: margin === null ? null : Math.round(margin * 10000) / 10000,
    health,
    targets: { costToRevenue: [0.2, 0.3] as const, grossMargin: 0.7 },
  };
}
