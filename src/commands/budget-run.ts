/** `llmcost budget`: what runs (loaded by the action in budget.ts, so `--help` loads none of it). */
import { appendFileSync } from 'node:fs';
import { type BudgetResult, type FailOn, type Gate, gateOf, isOverrun } from '../analysis/budget.js';
import { breakerWindowsOf, budgetAt, type Period, periodAt, rollingDays, spendWindows } from '../analysis/budget-period.js';
import type { Context } from '../core/context.js';
import { type BudgetConfig, type Config, loadConfig, parseBudget, SCOPE_KEYS } from '../lib/config.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { dayNumberToIso, isoUtc } from '../lib/time.js';
import { type BudgetCheckJson, budgetJson, budgetMarkdown, budgetTables } from '../render/budget.js';
import { visible } from '../render/cells.js';
import { sparkline } from '../render/chart.js';
import { renderLazy } from '../render/lazy.js';
import type { Db } from '../store/db.js';
import type { BasisPlan } from '../store/queries/basis.js';
import { type BudgetSpend, budgetSpend } from '../store/queries/budget.js';
import { aggregate, dataRange, type UsageFilter } from '../store/queries/report.js';
import type { BudgetFlags } from './budget.js';
import { describeMiss, scopeMisses } from './data-guard.js';
import { notifier } from './notify.js';
import { budgetDrivers } from './notify-drivers.js';
import { openFromFlags, resolveTz } from './open.js';
import { resolveFormat, shareText, spanText } from './options.js';
import { budgetScope, budgetScopeAsGiven } from './store-filter.js';

function cliBudgets(flags: BudgetFlags): BudgetConfig[] {
  const out: BudgetConfig[] = [];
  for (const period of ['daily', 'weekly', 'monthly'] as const) {
    const amount = flags[period];
    if (amount === undefined) continue;
    if (!(Number(amount) > 0)) throw new UserError(`--${period} ${amount}: expected a positive amount of USD, e.g. --${period} 500.`);
    const scope: Record<string, string[]> = {};
    for (const s of flags.scope ?? []) {
      const eq = s.indexOf('=');
      if (eq <= 0) throw new UserError(`--scope ${s}: expected KEY=VALUE with KEY one of ${SCOPE_KEYS.join(', ')}.`);
      const key = s
        .slice(0, eq)
        .replace(/[-_]key$/i, 'Key')
        .replace(/^api$/, 'apiKey');
      scope[key] = [...(scope[key] ?? []), s.slice(eq + 1)];
    }
    out.push(
      parseBudget(
        { name: out.length === 0 ? (flags.name ?? 'cli') : `${flags.name ?? 'cli'}-${period}`, period, amountUsd: Number(amount), scope },
        'command line',
        `--${period}`,
      ),
    );
  }
  return out;
}

/**
 * A per-user budget as one budget per user who spent in its scope this period, each held to the whole amount
 * (`name [user=alice]`); with no such user it stays one pooled budget (and reports no data in the period).
 */
function perUserBudgets(db: Db, b: BudgetConfig, now: number, tz: string): BudgetConfig[] {
  if (!b.perUser) return [b];
  const period = periodAt(b.period, now, tz);
  const users = aggregate(db, { dims: ['user'], byDay: false, tz, filter: { ...budgetScope(b), since: period.start, until: now } })
    .map((r) => r.keys[0] ?? '')
    .sort();
  if (users.length === 0) return [b];
  return users.map((u) => ({
    ...b,
    name: `${b.name} [user=${u === '' ? '(none)' : u}]`,
    scope: { ...b.scope, user: [u] },
    perUser: false,
  }));
}

/** Spend, pace and projection of one budget at `now`. */
function evaluateOne(
  db: Db,
  b: BudgetConfig,
  now: number,
  tz: string,
  basis?: 'usage' | 'billed',
): { period: Period; result: BudgetResult; inPeriod: BudgetSpend['inPeriod']; plan: BasisPlan; trend: bigint[] } {
  const period = periodAt(b.period, now, tz);
  const w = spendWindows(now, tz);
  const spend = budgetSpend(db, budgetScope(b), { periodStart: period.start, ...w, breakers: breakerWindowsOf(b, now, tz) }, tz, basis);
  const result = budgetAt(b, period, w, { ...spend, spentNanos: spend.inPeriod.costNanos });
  return { period, result, inPeriod: spend.inPeriod, plan: spend.plan, trend: dailyTrend(spend, w.today) };
}

/** Spend of each of the last TREND_DAYS local days, today included: the sparkline of `budget status` on a terminal. */
const TREND_DAYS = 14;
function dailyTrend(spend: BudgetSpend, today: number): bigint[] {
  const byDay = new Map(spend.history.map((h) => [h.day, h.costNanos]));
  return Array.from({ length: TREND_DAYS }, (_, i) =>
    i === TREND_DAYS - 1 ? spend.todayNanos : (byDay.get(today - TREND_DAYS + 1 + i) ?? 0n),
  );
}

/** --max-age per basis, and request logs that stopped while the bill goes on: both are data problems. */
function freshness(
  db: Db,
  b: BudgetConfig,
  plan: BasisPlan,
  now: number,
  tz: string,
  maxAge: number | undefined,
  maxAgeText: string | undefined,
  basis: 'usage' | 'billed' | undefined,
): BudgetCheckJson['dataProblems'] {
  const out: BudgetCheckJson['dataProblems'] = [];
  for (const c of plan.coverage) {
    if (c.lastUsageDay === undefined || c.lastBilledDay === undefined || c.lastBilledDay <= c.lastUsageDay) continue;
    out.push({
      code: 'LOGS_STOPPED',
      budget: b.name,
      message: `request logs of ${c.provider} stop at ${dayNumberToIso(c.lastUsageDay)} while its bill goes on to ${dayNumberToIso(c.lastBilledDay)}; the later days are counted from the bill, but the logs are missing (ingest them, check the pipeline that writes them, or judge on the bill alone with --basis billed)`,
    });
  }
  if (maxAge === undefined) return out;
  const scope = budgetScope(b);
  const logged = dataRange(db, { ...scope, basis: 'usage' }, tz);
  for (const which of ['usage', 'billed'] as const) {
    if (basis !== undefined && basis !== which) continue;
    // The bill answers only where there are no logs (it lags them by a day or two): judge it alone only then.
    if (which === 'billed' && basis === undefined && logged) continue;
    const newest = which === 'usage' ? logged?.max : dataRange(db, { ...scope, basis: 'billed' }, tz)?.max;
    if (newest === undefined || now - newest <= maxAge) continue;
    out.push({
      code: 'STALE_DATA',
      budget: b.name,
      message: `the newest ${which === 'usage' ? 'request log' : 'billed usage'} in the budget's scope is from ${isoUtc(newest)}, older than --max-age ${maxAgeText}`,
    });
  }
  return out;
}

/** What `budget check` and `budget status` print: every budget at `now`, its data problems and the exit code. */
export function evaluateBudgets(
  db: Db,
  budgets: BudgetConfig[],
  o: {
    mode: 'check' | 'status';
    now: number;
    tz: string;
    failOn: FailOn;
    maxAge?: number | undefined;
    maxUnpriced?: number | undefined;
    basis?: 'usage' | 'billed' | undefined;
  },
): {
  payload: BudgetCheckJson;
  results: { budget: BudgetConfig; period: Period; result: BudgetResult; gate: Gate | undefined }[];
  exitCode: number;
  /** Each budget's last days of spend, oldest first (the terminal's sparklines). */
  trends: bigint[][];
} {
  const { mode, now, tz, failOn, maxAge, maxUnpriced, basis } = o;
  const newest = dataRange(db, {}, tz)?.max;
  const dataProblems: BudgetCheckJson['dataProblems'] = [];
  if (newest === undefined) dataProblems.push({ code: 'NO_DATA', budget: null, message: 'the database has no usage at all' });
  const results: { budget: BudgetConfig; period: Period; result: BudgetResult; gate: Gate | undefined }[] = [];
  const trends: bigint[][] = [];
  for (const b of budgets.flatMap((x) => perUserBudgets(db, x, now, tz))) {
    const misses = newest === undefined ? [] : scopeMisses(db, budgetScopeAsGiven(b));
    for (const m of misses) {
      dataProblems.push({ code: 'SCOPE_MATCHES_NOTHING', budget: b.name, message: `the scope's ${describeMiss(m)}` });
    }
    const { period, result, inPeriod, plan, trend } = evaluateOne(db, b, now, tz, basis);
    trends.push(trend);
    const scoped: UsageFilter = { ...budgetScope(b), since: period.start, until: now };
    if (newest !== undefined && misses.length === 0 && dataRange(db, scoped, tz) === undefined) {
      dataProblems.push({
        code: 'NO_DATA_IN_PERIOD',
        budget: b.name,
        message: `no usage in the budget's scope since the ${rollingDays(b.period) === undefined ? `${b.period} period` : `rolling ${b.period} window`} began (${isoUtc(period.start)})`,
      });
    }
    if (misses.length === 0)
      dataProblems.push(...freshness(db, b, plan, now, tz, maxAge, maxAge === undefined ? undefined : spanText(maxAge), basis));
    if (maxUnpriced !== undefined && inPeriod.requests > 0 && inPeriod.unpriced / inPeriod.requests > maxUnpriced) {
      dataProblems.push({
        code: 'UNPRICED',
        budget: b.name,
        message: `${inPeriod.unpriced} of ${inPeriod.requests} requests in the period are unpriced (over --max-unpriced ${shareText(maxUnpriced)}): their cost is missing from the spend`,
      });
    }
    results.push({ budget: b, period, result, gate: mode === 'check' ? gateOf(result, failOn) : undefined });
  }
  const tripped = results.flatMap((r) => (r.gate === undefined ? [] : [r.gate]));
  const exceeded = tripped.some(isOverrun);
  // An overrun is certain even on stale data; otherwise a data problem means "cannot judge" (exit 3).
  const exitCode =
    mode === 'status'
      ? ExitCode.Ok
      : exceeded
        ? ExitCode.GateTripped
        : dataProblems.length > 0
          ? ExitCode.Data
          : tripped.length > 0
            ? ExitCode.GateTripped
            : ExitCode.Ok;
  const payload = budgetJson(results, { now, tz, failOn: mode === 'check' ? failOn : null, dataProblems, exitCode });
  return { payload, results, exitCode, trends };
}

export async function budgetCommand(mode: 'check' | 'status', flags: BudgetFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const config: Config = loadConfig(flags.config);
  const tz = resolveTz(flags, config);
  const failOn = (flags.failOn ?? 'exceeded') as FailOn;
  const maxAge = flags.maxAge;
  const maxUnpriced = flags.maxUnpriced;
  const basis = flags.basis as 'usage' | 'billed' | undefined;
  const budgets = [...cliBudgets(flags), ...config.budgets];
  if (budgets.length === 0) {
    throw new UserError('No budgets to check.', {
      hint: 'Add "budgets" to llmcost.config.json (or give --config FILE), or pass one on the command line: --monthly 500 [--scope team=search].',
    });
  }
  const now = ctx.now();
  const notify = mode === 'check' ? notifier('budget', flags, ctx, config) : undefined;
  const db = openFromFlags(flags, ctx, config);
  try {
    const { payload, results, exitCode, trends } = evaluateBudgets(db, budgets, { mode, now, tz, failOn, maxAge, maxUnpriced, basis });
    // On a terminal, each budget's last 14 days as a sparkline.
    const terminal = format === 'table' && ctx.view.columns !== undefined;
    ctx.out(
      await renderLazy(format, payload, () => budgetTables(payload, terminal ? trends.map((t) => sparkline(t)) : undefined), ctx.view),
    );
    if (ctx.env.githubStepSummary) appendFileSync(ctx.env.githubStepSummary, `${budgetMarkdown(payload)}\n`);
    if (ctx.env.githubActions) {
      for (const b of payload.budgets) {
        // Control characters made visible: a newline in a name would start a workflow command of its own.
        const name = visible(b.name);
        const line = visible(`Budget ${b.name}: ${b.summary}`);
        if (b.status === 'exceeded' || b.gate) ctx.err(`::error title=llmcost budget ${name}::${line}\n`);
        else if (b.status === 'warning' || b.status === 'critical' || b.forecastExceeds)
          ctx.err(`::warning title=llmcost budget ${name}::${line}\n`);
      }
      for (const p of payload.dataProblems) ctx.err(`::error title=llmcost data problem::${visible(p.message)}\n`);
    }
    ctx.err(`${visible(payload.verdict.message)}\n`);
    notify?.budget(payload, budgetDrivers(db, results, { now, tz, basis }));
    return exitCode;
  } finally {
    db.close();
    // After the close: a webhook's retries never hold the database's read snapshot open.
    await notify?.send();
  }
}
