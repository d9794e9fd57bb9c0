/** The budget report: JSON contract, table, markdown (job summary) and the verdict line. */
import type { ActionCode, BudgetResult, BudgetStatus, Gate, GateCode } from '../analysis/budget.js';
import { breakerText } from '../lib/breaker-text.js';
import type { BudgetConfig } from '../lib/config.js';
import { formatUsd, nanosToDecimal } from '../lib/money.js';
import { dayNumberToIso, isoUtc } from '../lib/time.js';
import { visible } from './cells.js';
import { renderMarkdown } from './markdown.js';
import type { TableData } from './types.js';

const ACTIONS: Record<ActionCode, string> = {
  REVIEW_ALLOCATION: 'Spend is well under pace: the budget may be set too high, or usage is not reaching the database.',
  REVIEW_TOP_DRIVERS: 'See who and what drives the spend: llmcost pareto --since <period start>.',
  ROUTE_CHEAPER_MODEL: 'Route simple requests to a cheaper model (e.g. Haiku / GPT-4o-mini / Nova Lite).',
  ENABLE_CACHING: 'Enable prompt caching for repeated context (cache reads cost 10-25 % of input).',
  THROTTLE_NONCRITICAL: 'Rate-limit non-critical jobs and batch what can wait (batch APIs are 50 % off).',
  FREEZE_NONESSENTIAL: 'Stop non-essential usage until the period ends.',
  RAISE_OR_APPROVE_BUDGET: 'Get the overrun approved, or raise the budget if the growth is intended.',
  INVESTIGATE_RUNAWAY: 'A circuit breaker tripped: look for a runaway loop (llmcost anomalies --granularity hourly --since 24h).',
};

export interface BudgetJson {
  name: string;
  period: BudgetConfig['period'];
  periodStart: string;
  periodEnd: string;
  scope: BudgetConfig['scope'];
  amountNanos: bigint;
  amountUsd: string;
  spentNanos: bigint;
  spentUsd: string;
  used: number;
  expectedNanos: bigint;
  pace: number | null;
  projectedLinearNanos: bigint;
  projectedWeekdayNanos: bigint | null;
  forecastExceeds: boolean;
  remainingNanos: bigint;
  remainingDays: number;
  dailyBudgetLeftNanos: bigint;
  status: BudgetStatus;
  thresholdsCrossed: number[];
  breakers: BudgetResult['breakers'];
  actions: { code: ActionCode; text: string }[];
  /** Why this budget trips the gate under --fail-on, in words, or null; `gateCode` is the same as a code. */
  gate: string | null;
  gateCode: GateCode | null;
  summary: string;
}

export interface BudgetCheckJson {
  schemaVersion: 1;
  kind: 'budget-check';
  now: string;
  timezone: string;
  failOn: string | null;
  budgets: BudgetJson[];
  dataProblems: {
    code: 'NO_DATA' | 'NO_DATA_IN_PERIOD' | 'STALE_DATA' | 'LOGS_STOPPED' | 'SCOPE_MATCHES_NOTHING' | 'UNPRICED';
    budget: string | null;
    message: string;
  }[];
  /**
   * ok is false when a budget is exceeded (or a breaker tripped), a gate tripped, or the data cannot be judged,
   * in `budget status` too (whose exit code stays 0); state says which.
   */
  verdict: {
    exitCode: number;
    ok: boolean;
    state: 'ok' | 'warning' | 'exceeded' | 'data-problem';
    exceeded: string[];
    tripped: { budget: string; reason: string; code: GateCode }[];
    message: string;
  };
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** A gate's code in words. */
function gateText(g: Gate): string {
  switch (g.code) {
    case 'exceeded':
      return 'exceeded';
    case 'hourly-limit':
      return 'hourly limit';
    case 'daily-limit':
      return 'daily limit';
    case 'forecast':
      return 'forecast to exceed';
    case 'pace-warning':
      return 'pace warning';
    case 'pace-critical':
      return 'pace critical';
    case 'threshold':
      return `past ${Math.round((g.threshold ?? 0) * 100)}% of the budget`;
  }
}

export function budgetJson(
  results: {
    budget: BudgetConfig;
    period: { start: number; end: number; firstDay: number };
    result: BudgetResult;
    gate: Gate | undefined;
  }[],
  ctx: { now: number; tz: string; failOn: string | null; dataProblems: BudgetCheckJson['dataProblems']; exitCode: number },
): BudgetCheckJson {
  const budgets = results.map(({ budget: b, period, result: r, gate }): BudgetJson => {
    const forecast = r.projectedWeekdayNanos ?? r.projectedLinearNanos;
    return {
      name: b.name,
      period: b.period,
      periodStart: dayNumberToIso(period.firstDay),
      periodEnd: isoUtc(period.end),
      scope: b.scope,
      amountNanos: r.amountNanos,
      amountUsd: nanosToDecimal(r.amountNanos),
      spentNanos: r.spentNanos,
      spentUsd: nanosToDecimal(r.spentNanos),
      used: r.used,
      expectedNanos: r.expectedNanos,
      pace: r.pace,
      projectedLinearNanos: r.projectedLinearNanos,
      projectedWeekdayNanos: r.projectedWeekdayNanos,
      forecastExceeds: r.forecastExceeds,
      remainingNanos: r.remainingNanos,
      remainingDays: r.remainingDays,
      dailyBudgetLeftNanos: r.dailyBudgetLeftNanos,
      status: r.status,
      thresholdsCrossed: r.thresholdsCrossed,
      breakers: r.breakers,
      actions: r.actions.map((code) => ({ code, text: ACTIONS[code] })),
      gate: gate ? gateText(gate) : null,
      gateCode: gate?.code ?? null,
      summary: `${formatUsd(r.spentNanos)} of ${formatUsd(r.amountNanos)} (${pct(r.used)}) ${b.period}, ${r.status}${
        r.pace === null ? '' : `, pace ${r.pace.toFixed(2)}`
      }, forecast ${formatUsd(forecast)}${r.forecastExceeds ? ' (over budget)' : ''}`,
    };
  });
  const tripped = budgets.flatMap((b) => (b.gateCode === null ? [] : [{ budget: b.name, reason: b.gate ?? '', code: b.gateCode }]));
  const exceeded = budgets.filter((b) => b.status === 'exceeded' || Object.values(b.breakers).some((br) => br?.tripped));
  const warned = budgets.filter((b) => !exceeded.includes(b) && (b.status === 'warning' || b.status === 'critical' || b.forecastExceeds));
  const state = ctx.dataProblems.length > 0 ? 'data-problem' : exceeded.length > 0 ? 'exceeded' : warned.length > 0 ? 'warning' : 'ok';
  const over = exceeded.map((b) => `${b.name} exceeded (${formatUsd(b.spentNanos)} of ${formatUsd(b.amountNanos)})`).join(', ');
  let message: string;
  if (ctx.dataProblems.length > 0)
    message = `llmcost: data problem: ${ctx.dataProblems.map((p) => p.message).join('; ')}.${over ? ` Already certain: ${over}.` : ''}`;
  else if (tripped.length > 0) message = `llmcost: budget gate tripped: ${tripped.map((t) => `${t.budget} (${t.reason})`).join(', ')}.`;
  else if (exceeded.length > 0) message = `llmcost: ${over}.`;
  else if (warned.length > 0)
    message = `llmcost: within budget, with warnings: ${warned.map((b) => `${b.name} ${b.status}${b.forecastExceeds ? ', forecast over budget' : ''}`).join(', ')}.`;
  else
    message = `llmcost: ${budgets.length} budget${budgets.length === 1 ? '' : 's'} within limits${ctx.failOn ? ` (--fail-on ${ctx.failOn})` : ''}.`;
  return {
    schemaVersion: 1,
    kind: 'budget-check',
    now: isoUtc(ctx.now),
    timezone: ctx.tz,
    failOn: ctx.failOn,
    budgets,
    dataProblems: ctx.dataProblems,
    verdict: {
      exitCode: ctx.exitCode,
      ok: ctx.exitCode === 0 && state !== 'exceeded' && state !== 'data-problem',
      state,
      exceeded: exceeded.map((b) => b.name),
      tripped,
      message,
    },
  };
}

/** `trends`: one sparkline per budget (spend of its last 14 days), drawn on a terminal only. */
export function budgetTables(j: BudgetCheckJson, trends?: string[]): TableData[] {
  const notes: string[] = [];
  for (const b of j.budgets) {
    if (b.actions.length > 0) notes.push(`${b.name}: ${b.actions.map((a) => a.text).join(' ')}`);
    for (const [kind, br] of Object.entries(b.breakers)) {
      if (br?.tripped) notes.push(`${b.name}: ${breakerText(kind, br, j.now)}.`);
    }
  }
  for (const p of j.dataProblems) notes.push(`Data problem${p.budget ? ` (${p.budget})` : ''}: ${p.message}.`);
  return [
    {
      title: `Budgets (${j.timezone}, ${j.now.slice(0, 16)}Z)`,
      columns: [
        { key: 'name', header: 'Budget', kind: 'text' },
        { key: 'period', header: 'Period', kind: 'text' },
        { key: 'spent', header: 'Spent', kind: 'usd' },
        { key: 'amount', header: 'Budget', kind: 'usd' },
        { key: 'used', header: 'Used', kind: 'pct' },
        { key: 'expected', header: 'Expected now', kind: 'usd' },
        { key: 'pace', header: 'Pace', kind: 'text' },
        { key: 'forecast', header: 'Forecast', kind: 'usd' },
        { key: 'left', header: 'Left/day', kind: 'usd' },
        { key: 'days', header: 'Days left', kind: 'int' },
        ...(trends ? [{ key: 'trend', header: 'Last 14 days', kind: 'text' as const, drop: 1 }] : []),
        { key: 'status', header: 'Status', kind: 'text' },
      ],
      rows: j.budgets.map((b, i) => ({
        name: b.name,
        period: `${b.period} from ${b.periodStart}`,
        spent: b.spentNanos,
        amount: b.amountNanos,
        used: b.used,
        expected: b.expectedNanos,
        pace: b.pace === null ? '' : b.pace.toFixed(2),
        forecast: b.projectedWeekdayNanos ?? b.projectedLinearNanos,
        left: b.dailyBudgetLeftNanos,
        days: b.remainingDays,
        trend: trends?.[i],
        status: b.gate ? `${b.status} ✗ ${b.gate}` : b.status,
      })),
      notes,
    },
  ];
}

/** The job-summary report (GITHUB_STEP_SUMMARY). */
export function budgetMarkdown(j: BudgetCheckJson): string {
  const head = j.verdict.ok ? '✅' : j.verdict.exitCode === 3 ? '⚠️' : '❌';
  return `## ${head} llmcost budgets\n\n${renderMarkdown(budgetTables(j)[0] ?? { columns: [], rows: [] })}\n\n${visible(j.verdict.message.replace(/^llmcost: /, ''))}\n`;
}
