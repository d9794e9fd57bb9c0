/** `llmcost roadmap`: what runs (loaded by the action in roadmap.ts, so `--help` loads none of it). */
import { buildRoadmap } from '../analysis/roadmap.js';
import { batchSavings, offHoursShare, routingSavings } from '../analysis/roadmap-evidence.js';
import type { Context } from '../core/context.js';
import { ExitCode } from '../lib/errors.js';
import { makePricer } from '../pricing/load.js';
import { render } from '../render/index.js';
import type { TableData } from '../render/types.js';
import { aggregateMixed } from '../store/queries/basis.js';
import { aggregate } from '../store/queries/report.js';
import { whatifRows } from '../store/queries/whatif.js';
import { calculatorCsvTable, measuredSpan, measuredWindow, moneyJson, usd } from './calculator-common.js';
import { requireRows } from './data-guard.js';
import { openFromFlags, projectConfig } from './open.js';
import { type CommonFlags, resolveFormat } from './options.js';
import { priceAsWith } from './price-as.js';

const ACTION_TEXT: Record<string, string> = {
  MAX_TOKENS_LIMITS: 'Set max_tokens per endpoint from its real output lengths',
  PROMPT_TRIMMING: 'Trim system prompts and retrieved context',
  BASIC_MODEL_ROUTING: 'Route short, simple requests to a cheaper model of the same provider',
  PROVIDER_PROMPT_CACHING: "Use the provider's prompt caching for repeated context",
  EXACT_MATCH_CACHE: 'Cache identical requests in the gateway',
  SEMANTIC_CACHE: 'Cache semantically similar requests',
  CASCADE_ROUTING: 'Cascade: try the cheap model first, escalate on low confidence',
  BATCH_PROCESSING: 'Move non-interactive traffic to batch APIs (50% off)',
  BUDGET_AUTOMATION: 'Gate spend in CI: llmcost budget check --fail-on forecast',
  SELF_HOST_OPEN_MODEL: 'Serve an open model on your own GPUs (see llmcost compare-selfhost)',
};

export type RoadmapFlags = CommonFlags & { target?: number; monthlyCost?: number; preset?: 'guide' };

export async function roadmapCommand(flags: RoadmapFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const target = flags.target ?? 0.5;
  const { tz, since, until } = measuredWindow(flags, ctx);
  const filter = { since, until };
  const byHand = flags.monthlyCost;
  const preset = flags.preset;
  let monthly = byHand ?? 0;
  let measured: { routingSavingsUsd?: number; cacheReadShare?: number; offHoursShare?: number; batchSavingsUsd?: number } = {};
  let unpricedRequests = 0;
  // A cost given by hand is planned on its own: no dollars measured from whatever database is present are mixed in.
  if (byHand === undefined) {
    const db = openFromFlags(flags, ctx);
    try {
      requireRows(db, filter, tz);
      const span = measuredSpan(db, filter, tz, flags.since === undefined, ctx);
      const factor = 30 / span.days;
      const [t] = aggregateMixed(db, { dims: [], byDay: false, tz, filter }).rows;
      unpricedRequests = t?.unpricedRequests ?? 0;
      monthly = (Number(t?.costNanos ?? 0n) / 1e9) * factor;
      // The guide preset uses the guide's shares: measured evidence would not change them.
      if (t && t.requests > 0 && preset === undefined) {
        const input = t.inputTokens + t.cacheReadTokens + t.cacheWriteTokens;
        const priceAs = priceAsWith(makePricer(db, projectConfig().prices, projectConfig()));
        // The same rows and arithmetic as `whatif --route` and `whatif --batch-share`, so the figures agree.
        const rows = whatifRows(db, filter);
        const usd = (n: bigint): number => (Number(n) / 1e9) * factor;
        const off = offHoursShare(aggregate(db, { dims: [], byDay: true, hourly: true, tz, filter }));
        measured = {
          routingSavingsUsd: usd(routingSavings(rows, priceAs)),
          cacheReadShare: input > 0 ? t.cacheReadTokens / input : 0,
          ...(off !== undefined ? { offHoursShare: off, batchSavingsUsd: usd(batchSavings(rows, off * 0.5, priceAs)) } : {}),
        };
      }
    } finally {
      db.close();
    }
  }
  const plan = buildRoadmap({ monthlyCostUsd: monthly, target, preset, ...measured });
  const payload = {
    schemaVersion: 1,
    kind: 'roadmap',
    monthlyCostUsd: Math.round(monthly * 100) / 100,
    target,
    preset: preset ?? null,
    monthlyCostSource: byHand === undefined ? 'measured' : 'given',
    measured,
    unpricedRequests,
    ...plan,
  };
  const rows = plan.phases.flatMap((p) =>
    p.actions.map((a, i) => ({
      phase: i === 0 ? `${p.phase}. ${p.code}` : '',
      action: ACTION_TEXT[a.code] ?? a.code,
      effort: a.effort,
      timeline: a.timeline,
      savings: `${Math.round(a.savings.estimate * 100)}% (${Math.round(a.savings.low * 100)}-${Math.round(a.savings.high * 100)}%)`,
      basis: a.basis === 'measured' ? `measured: ${a.evidence ?? ''}` : preset === 'guide' ? 'guide' : 'assumed',
      phaseUsd: i === 0 ? `-${usd(p.savingsUsd)}/mo → ${usd(p.costAfterUsd)}` : '',
    })),
  );
  const table: TableData = {
    title: `Optimization roadmap: ${usd(monthly)}/month → target ${usd(plan.targetCostUsd)} (-${Math.round(target * 100)}%)`,
    columns: [
      { key: 'phase', header: 'Phase', kind: 'text' },
      { key: 'action', header: 'Action', kind: 'text' },
      { key: 'effort', header: 'Effort', kind: 'text' },
      { key: 'timeline', header: 'Timeline', kind: 'text' },
      { key: 'savings', header: 'Savings (range)', kind: 'text' },
      { key: 'basis', header: 'Basis', kind: 'text' },
      { key: 'phaseUsd', header: 'Phase result', kind: 'text' },
    ],
    rows,
    notes: [
      ...(preset === 'guide'
        ? ["Preset guide: phase 1 removes 20% and phase 2 37.5% of what is left (the seed guide's phase table), whatever the data says."]
        : []),
      ...(byHand !== undefined
        ? ['The monthly cost is the one given (--monthly-cost): no database was read, so every estimate is assumed.']
        : []),
      `Savings compound: each phase acts on the cost the earlier phases leave. ${plan.reached ? `The target is reached after phase ${plan.phases.length}` : 'The target is not reached by these phases'}: ${usd(plan.finalCostUsd)}/month.`,
      ...(unpricedRequests > 0 && flags.monthlyCost === undefined
        ? [
            `${unpricedRequests.toLocaleString('en-US')} unpriced requests in the range are not in the monthly cost (their cost is unknown).`,
          ]
        : []),
    ],
  };
  const data = moneyJson(payload);
  ctx.out(render(format, data, format === 'csv' ? [calculatorCsvTable(data)] : [table], ctx.view));
  return ExitCode.Ok;
}
