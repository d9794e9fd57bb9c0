/** `llmcost pareto`: what runs (loaded by the action in pareto.ts, so `--help` loads none of it). */
import { type ParetoInput, pareto, peakHour } from '../analysis/pareto.js';
import type { Context } from '../core/context.js';
import { ExitCode } from '../lib/errors.js';
import { renderLazy } from '../render/lazy.js';
import { type ParetoJson, paretoChart, paretoJson, paretoTables } from '../render/pareto.js';
import type { Db } from '../store/db.js';
import { aggregateOnPlan, type BasisPlan, planBasis } from '../store/queries/basis.js';
import type { Dimension, UsageFilter } from '../store/queries/report.js';
import { unpricedModels } from '../store/queries/report.js';
import { coverageNote, requireRows, windowCoverage } from './data-guard.js';
import { openFromFlags, resolveTz } from './open.js';
import { DEFAULT_SINCE, resolveFormat, resolveRange } from './options.js';
import type { ParetoFlags } from './pareto.js';
import { billedDaysJson, parseDims, tagFilters } from './report-common.js';

function inputs(db: Db, plan: BasisPlan, dim: Dimension, filter: UsageFilter, tz: string): ParetoInput[] {
  return aggregateOnPlan(db, plan, { dims: [dim], byDay: false, tz, filter }).map((r) => ({
    key: r.keys[0] ?? '',
    costNanos: r.costNanos,
    requests: r.requests,
    unpricedRequests: r.unpricedRequests,
    tokens: r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens,
  }));
}

/**
 * The figures of `pareto` over [since, until) against the span before it: what the command prints and what the
 * HTML report shows. `scope` narrows both periods (the HTML report's filters; the command has none).
 */
export function paretoPayload(
  db: Db,
  o: { dim: Dimension; top: number; tz: string; since: number; until: number; scope?: UsageFilter },
): ParetoJson & { basis: BasisPlan['basis']; billedDays: ReturnType<typeof billedDaysJson> } {
  const { dim, tz, since, until } = o;
  const filter: UsageFilter = { ...o.scope, since, until };
  const previous: UsageFilter = { ...o.scope, since: since - (until - since), until: since };
  // Each day of each provider from its request logs, else from the bill: never both, never neither.
  const plan = planBasis(db, filter, tz);
  const previousPlan = planBasis(db, previous, tz);
  const result = pareto(inputs(db, plan, dim, filter, tz), inputs(db, previousPlan, dim, previous, tz));
  const endpoints = dim === 'endpoint' ? result : pareto(inputs(db, plan, 'endpoint', filter, tz));
  const hours = aggregateOnPlan(db, plan, { dims: [], byDay: true, hourly: true, tz, filter }).map((r) => ({
    hour: r.day ?? 0,
    costNanos: r.costNanos,
  }));
  const payload = paretoJson(result, {
    by: dim,
    tz,
    since,
    until,
    previous: { since: previous.since ?? 0, until: previous.until ?? 0 },
    top: o.top,
    topEndpoints: endpoints.rows.slice(0, 5),
    peak: peakHour(hours),
    unpriced: unpricedModels(db, { ...filter, basis: plan.basis === 'billed' ? 'billed' : 'usage' }, tz),
  });
  return { ...payload, basis: plan.basis, billedDays: billedDaysJson(plan) };
}

export async function paretoCommand(flags: ParetoFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const tz = resolveTz(flags);
  const dim = parseDims([flags.by ?? 'user'], true)[0] ?? 'user';
  const tags = tagFilters(flags.tag);
  const top = flags.top ?? 20;
  const now = ctx.now();
  const range = resolveRange(flags, tz, now, DEFAULT_SINCE);
  const since = range.since ?? now;
  const until = range.until ?? now;
  const filter: UsageFilter = { since, until, tags };
  const db = openFromFlags(flags, ctx);
  try {
    requireRows(db, filter, tz);
    const coverage = flags.since === undefined ? windowCoverage(db, { ...filter, since, until }, tz) : undefined;
    if (coverage?.partial && format === 'table') ctx.err(`llmcost: ${coverageNote(coverage, 'the last 30 days')}\n`);
    const payload = { ...paretoPayload(db, { dim, top, tz, since, until, scope: { tags } }), coverage: coverage ?? null };
    let text = await renderLazy(format, payload, () => paretoTables(payload), ctx.view);
    if (format === 'table' && (flags.chart || ctx.view.columns !== undefined)) text = `${text}\n\n${paretoChart(payload)}`;
    ctx.out(text);
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}
