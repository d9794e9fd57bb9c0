/** `llmcost unit-cost`: what runs (loaded by the action in unit-cost.ts, so `--help` loads none of it). */
import { pricedRequests } from '../analysis/report.js';
import { unitEconomics } from '../analysis/unit-economics.js';
import type { Context } from '../core/context.js';
import { ExitCode } from '../lib/errors.js';
import { isoUtc } from '../lib/time.js';
import { render } from '../render/index.js';
import type { TableData } from '../render/types.js';
import { aggregateMixed } from '../store/queries/basis.js';
import { calculatorCsvTable, measuredSpan, measuredWindow, moneyJson, usd } from './calculator-common.js';
import { requireRows } from './data-guard.js';
import { openFromFlags } from './open.js';
import { type CommonFlags, resolveFormat } from './options.js';

export type UnitFlags = CommonFlags & { revenue: number; baseline?: number };

export async function unitCommand(flags: UnitFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const revenue = flags.revenue ?? 0;
  const { tz, since, until } = measuredWindow(flags, ctx);
  const db = openFromFlags(flags, ctx);
  try {
    requireRows(db, { since, until }, tz);
    const span = measuredSpan(db, { since, until }, tz, flags.since === undefined, ctx);
    const [t] = aggregateMixed(db, { dims: [], byDay: false, tz, filter: { since, until } }).rows;
    const r = unitEconomics(
      Number(t?.costNanos ?? 0n) / 1e9,
      { priced: t ? pricedRequests(t) : 0, unpriced: t?.unpricedRequests ?? 0 },
      revenue,
      Number(t?.billedNanos ?? 0n) / 1e9,
      flags.baseline,
    );
    const payload = {
      schemaVersion: 1,
      kind: 'unit-cost',
      // ISO 8601 in UTC, as every command's range (it was epoch milliseconds).
      range: { since: isoUtc(since), until: isoUtc(until) },
      measured: { firstDay: span.first, lastDay: span.last, days: span.days, partial: span.partial },
      ...r,
    };
    const unpriced = r.unpricedRequests.toLocaleString('en-US');
    const table: TableData = {
      title: 'Unit economics',
      columns: [
        { key: 'k', header: 'Metric', kind: 'text' },
        { key: 'v', header: 'Value', kind: 'text' },
        { key: 't', header: 'Target', kind: 'text' },
      ],
      rows: [
        { k: 'API cost', v: usd(r.costUsd), t: '' },
        { k: 'Requests', v: `${r.requests.toLocaleString('en-US')}${r.unpricedRequests > 0 ? ` (${unpriced} unpriced)` : ''}`, t: '' },
        {
          k: 'Cost per request',
          v:
            r.costPerRequestUsd === null
              ? '—'
              : `$${r.costPerRequestUsd}${r.unpricedRequests > 0 ? ` (over the ${r.pricedRequests.toLocaleString('en-US')} priced requests)` : ''}`,
          t: '',
        },
        {
          k: 'Target / request',
          v:
            r.targetCostPerRequestUsd === null
              ? '—'
              : `$${r.targetCostPerRequestUsd}${r.costPerRequestToTarget === null ? '' : `; today is ${r.costPerRequestToTarget}× the target (${r.costPerRequestTargetMet ? 'met' : 'not met'})`}`,
          t: `≤ 50% of ${r.baselineSource === 'given' ? `the baseline $${r.baselineCostPerRequestUsd}` : 'today'}`,
        },
        { k: 'Cost / revenue', v: r.costToRevenue === null ? '' : `${(r.costToRevenue * 100).toFixed(1)}%`, t: '20–30%' },
        { k: 'Gross margin', v: r.grossMargin === null ? '' : `${(r.grossMargin * 100).toFixed(1)}%`, t: '≥ 70%' },
        { k: 'Health', v: r.health ?? '', t: 'healthy ≥ 70%, acceptable ≥ 50%' },
      ],
      notes: [
        `Measured ${span.text}.`,
        ...(r.unpricedRequests > 0 ? [`${unpriced} unpriced requests are not in the cost, nor in the cost per request.`] : []),
      ],
    };
    const data = moneyJson(payload);
    ctx.out(render(format, data, format === 'csv' ? [calculatorCsvTable(data)] : [table], ctx.view));
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}
