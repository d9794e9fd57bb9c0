/** Unit economics of the measured usage: USD here are estimates (floats rounded to cents), not ledger money. */

const cents = (x: number): number => Math.round(x * 100) / 100;

/** The seed guide's per-request target: at most half the cost per request before optimizing. */
const TARGET_SHARE_OF_BASELINE = 0.5;

/**
 * Unit economics: cost against revenue, with the seed guide's targets (cost/revenue 20-30 %, margin ≥ 70 %).
 * `costUsd` is the priced cost, so cost per request divides it by the priced requests only (null when none is
 * priced): an unpriced request's cost is unknown, not $0.
 */
/**
 * `billedUsd`: the part of the cost taken from the bill (no requests behind it), left out of the per-request cost.
 * The guide's per-request target is at most half the cost per request before optimizing: `baselineCostPerRequestUsd`,
 * else today's; `costPerRequestToTarget` is today's cost per request over that target (1 or less: met).
 */
export function unitEconomics(
  costUsd: number,
  requests: { priced: number; unpriced: number },
  revenueUsd: number,
  billedUsd = 0,
  baselineCostPerRequestUsd?: number,
) {
  const perRequest = requests.priced > 0 ? Math.round(((costUsd - billedUsd) / requests.priced) * 1e6) / 1e6 : null;
  const baseline = baselineCostPerRequestUsd ?? perRequest;
  const target = baseline === null ? null : baseline * TARGET_SHARE_OF_BASELINE;
  const toTarget = perRequest === null || target === null || target === 0 ? null : Math.round((perRequest / target) * 10000) / 10000;
  const ratio = revenueUsd > 0 ? costUsd / revenueUsd : null;
  const margin = revenueUsd > 0 ? (revenueUsd - costUsd) / revenueUsd : null;
  const health = margin === null ? null : margin >= 0.7 ? 'healthy' : margin >= 0.5 ? 'acceptable' : 'unhealthy';
  return {
    costUsd: cents(costUsd),
    requests: requests.priced + requests.unpriced,
    pricedRequests: requests.priced,
    unpricedRequests: requests.unpriced,
    costPerRequestUsd: perRequest,
    baselineCostPerRequestUsd: baseline,
    baselineSource: baselineCostPerRequestUsd === undefined ? 'today' : 'given',
    targetCostPerRequestUsd: target === null ? null : Math.round(target * 1e9) / 1e9,
    costPerRequestToTarget: toTarget,
    costPerRequestTargetMet: toTarget === null ? null : toTarget <= 1,
    revenueUsd,
    costToRevenue: ratio === null ? null : Math.round(ratio * 10000) / 10000,
    grossMargin: margin === null ? null : Math.round(margin * 10000) / 10000,
    health,
    targets: { costToRevenue: [0.2, 0.3] as const, grossMargin: 0.7, costPerRequestShareOfBaseline: TARGET_SHARE_OF_BASELINE },
  };
}
