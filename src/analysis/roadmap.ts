/**
 * The phased optimization roadmap, filled in with a team's numbers. Pure. Savings compound: each phase
 * acts on the cost left after the phases before it (30 % then 20 % is 44 %, not 50 %), and the plan stops
 * at the phase that reaches the target.
 */

export type Basis = 'measured' | 'assumed';

export interface RoadmapAction {
  code: string;
  effort: 'low' | 'medium' | 'high';
  timeline: string;
  /** Share of the cost this action removes (of the cost left when its phase starts). */
  savings: { low: number; high: number; estimate: number };
  basis: Basis;
  evidence?: string;
}

export interface RoadmapPhase {
  phase: number;
  code: 'quick-wins' | 'caching' | 'advanced' | 'self-hosting';
  actions: RoadmapAction[];
  /** Combined share removed by the phase's actions (they compound within the phase too). */
  savingsShare: number;
  costBeforeUsd: number;
  savingsUsd: number;
  costAfterUsd: number;
  cumulativeSavingsShare: number;
}

export interface RoadmapInput {
  monthlyCostUsd: number;
  /** Target reduction, 0..1. */
  target: number;
  /** Measured: what re-routing short-output premium traffic to a cheaper model of the same provider saves. */
  routingSavingsUsd?: number | undefined;
  /** Measured: cache reads as a share of all input tokens (high = caching already in place). */
  cacheReadShare?: number | undefined;
  /** Measured: share of cost outside working hours (nights, weekends): batch candidates. */
  offHoursShare?: number | undefined;
  /** Measured: what moving half the off-hours traffic to the models' batch prices saves (whatif --batch-share). */
  batchSavingsUsd?: number | undefined;
  /** compare-selfhost's verdict for this workload, when known. */
  selfhostPays?: boolean | undefined;
  /** `guide`: each phase removes the share the seed guide's phase table gives, not the compounded action estimates. */
  preset?: 'guide' | undefined;
}

/**
 * The seed guide's phase table: on $10,000 a month with a 50 % target, phase 1 saves $2,000 (20 %) and phase 2 takes
 * the cost to $5,000 (37.5 % of the $8,000 left). Later phases keep their action estimates.
 */
const GUIDE_PHASE_SHARES: Partial<Record<RoadmapPhase['code'], number>> = { 'quick-wins': 0.2, caching: 0.375 };

const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

function action(
  code: string,
  effort: RoadmapAction['effort'],
  timeline: string,
  low: number,
  high: number,
  basis: Basis = 'assumed',
  estimate = (low + high) / 2,
  evidence?: string,
): RoadmapAction {
  const a: RoadmapAction = { code, effort, timeline, savings: { low, high, estimate: round(estimate) }, basis };
  if (evidence) a.evidence = evidence;
  return a;
}

/** The candidate actions, with measured estimates where the data allows. */
export function candidatePhases(i: RoadmapInput): { code: RoadmapPhase['code']; actions: RoadmapAction[] }[] {
  const routing =
    i.routingSavingsUsd !== undefined && i.monthlyCostUsd > 0
      ? action(
          'BASIC_MODEL_ROUTING',
          'low',
          '1-2 weeks',
          0,
          0.4,
          'measured',
          Math.min(0.4, (0.5 * i.routingSavingsUsd) / i.monthlyCostUsd),
          `premium-model traffic with short outputs would cost ${Math.round((i.routingSavingsUsd / i.monthlyCostUsd) * 100)}% less on the cheaper model of its provider; assumed half of it can move`,
        )
      : action('BASIC_MODEL_ROUTING', 'low', '1-2 weeks', 0.05, 0.2);
  const cacheShare = i.cacheReadShare ?? 0;
  // Caching saves less where cache reads are already a large share of input.
  const cacheEstimate = Math.max(0, 0.2 * (1 - cacheShare));
  const caching = [
    action(
      'PROVIDER_PROMPT_CACHING',
      'low',
      '1 week',
      0.05,
      0.3,
      i.cacheReadShare === undefined ? 'assumed' : 'measured',
      i.cacheReadShare === undefined ? 0.15 : cacheEstimate,
      i.cacheReadShare === undefined ? undefined : `cache reads are ${Math.round(cacheShare * 100)}% of input tokens today`,
    ),
    action('EXACT_MATCH_CACHE', 'medium', '2-3 weeks', 0.02, 0.1),
    action('SEMANTIC_CACHE', 'high', '4-6 weeks', 0.05, 0.15),
  ];
  const measuredBatch = (estimate: number, evidence: string): RoadmapAction =>
    action('BATCH_PROCESSING', 'medium', '2-4 weeks', 0, 0.5, 'measured', estimate, evidence);
  const batch =
    i.offHoursShare !== undefined && i.batchSavingsUsd !== undefined && i.monthlyCostUsd > 0
      ? measuredBatch(
          Math.min(0.5, i.batchSavingsUsd / i.monthlyCostUsd),
          `${Math.round(i.offHoursShare * 100)}% of cost runs outside working hours; half of it at the models' batch prices saves ${Math.round((i.batchSavingsUsd / i.monthlyCostUsd) * 1000) / 10}% (as whatif --batch-share ${Math.round(i.offHoursShare * 50) / 100})`,
        )
      : i.offHoursShare !== undefined
        ? measuredBatch(
            i.offHoursShare * 0.5 * 0.5,
            `${Math.round(i.offHoursShare * 100)}% of cost runs outside working hours; assumed half of it can wait for the 50% batch discount`,
          )
        : action('BATCH_PROCESSING', 'medium', '2-4 weeks', 0.05, 0.2);
  const phases: { code: RoadmapPhase['code']; actions: RoadmapAction[] }[] = [
    {
      code: 'quick-wins',
      actions: [action('MAX_TOKENS_LIMITS', 'low', '1-3 days', 0.03, 0.1), action('PROMPT_TRIMMING', 'low', '1 week', 0.05, 0.15), routing],
    },
    { code: 'caching', actions: caching },
    {
      code: 'advanced',
      actions: [action('CASCADE_ROUTING', 'high', '4-8 weeks', 0.1, 0.3), batch, action('BUDGET_AUTOMATION', 'low', '1 week', 0.02, 0.05)],
    },
  ];
  if (i.monthlyCostUsd >= 5000 || i.selfhostPays) {
    phases.push({
      code: 'self-hosting',
      actions: [action('SELF_HOST_OPEN_MODEL', 'high', '2-3 months', 0.3, 0.6, i.selfhostPays ? 'measured' : 'assumed')],
    });
  }
  return phases;
}

export function buildRoadmap(i: RoadmapInput): { phases: RoadmapPhase[]; reached: boolean; targetCostUsd: number; finalCostUsd: number } {
  const phases: RoadmapPhase[] = [];
  let cost = i.monthlyCostUsd;
  const targetCost = i.monthlyCostUsd * (1 - i.target);
  for (const [n, p] of candidatePhases(i).entries()) {
    if (cost <= targetCost + 1e-9) break;
    const fixed = i.preset === 'guide' ? GUIDE_PHASE_SHARES[p.code] : undefined;
    const kept = fixed !== undefined ? 1 - fixed : p.actions.reduce((k, a) => k * (1 - a.savings.estimate), 1);
    const share = round(1 - kept);
    const after = cost * kept;
    phases.push({
      phase: n + 1,
      code: p.code,
      actions: p.actions,
      savingsShare: share,
      costBeforeUsd: round(cost, 2),
      savingsUsd: round(cost - after, 2),
      costAfterUsd: round(after, 2),
      cumulativeSavingsShare: i.monthlyCostUsd > 0 ? round(1 - after / i.monthlyCostUsd) : 0,
    });
    cost = after;
  }
  return { phases, reached: cost <= targetCost + 1e-9, targetCostUsd: round(targetCost, 2), finalCostUsd: round(cost, 2) };
}
