/** `llmcost budget check | status`: budgets with pace, forecasts and distinct exit codes, for CI. */
import { appendFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type BudgetResult, type FailOn, type Gate, gateOf, isOverrun } from '../analysis/budget.js';
import { budgetAt, type Period, periodAt, spendWindows } from '../analysis/budget-period.js';
import { type BudgetConfig, type Config, loadConfig, parseBudget, SCOPE_KEYS } from '../lib/config.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { dayNumberToIso, isoUtc } from '../lib/time.js';
import { type BudgetCheckJson, budgetJson, budgetMarkdown, budgetTables } from '../render/budget.js';
import { visible } from '../render/cells.js';
import { render } from '../render/index.js';
import type { Db } from '../store/db.js';
import type { BasisPlan } from '../store/queries/basis.js';
import { type BudgetSpend, budgetSpend } from '../store/queries/budget.js';
import { dataRange, type UsageFilter } from '../store/queries/report.js';
import type { Context } from './context.js';
import { describeMiss, scopeMisses } from './data-guard.js';
import {
  addDbOption,
  addFormatOptions,
  type CommonFlags,
  choiceOption,
  collect,
  openFromFlags,
  resolveFormat,
  resolveTz,
  shareOption,
  shareText,
  spanOption,
  spanText,
} from './options.js';
import { budgetScope, budgetScopeAsGiven } from './store-filter.js';

interface BudgetFlags extends CommonFlags {
  config?: string;
  daily?: string;
  weekly?: string;
  monthly?: string;
  scope?: string[];
  name?: string;
  failOn?: string;
  maxAge?: number;
  maxUnpriced?: number;
  basis?: string;
}

export function registerBudget(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const budget = program.command('budget').description('budgets with pace and forecasts; `budget check` gates CI with exit codes');
  for (const mode of ['check', 'status'] as const) {
    const cmd = budget
      .command(mode)
      .description(
        mode === 'check'
          ? 'evaluate every budget; exit 1 when one is exceeded (or forecast to be, with --fail-on), 3 on a data problem'
          : 'the same report, always exit 0 unless llmcost cannot run',
      )
      .option('--config <file>', 'config file with budgets (default: ./llmcost.config.json)')
      .option('--daily <usd>', 'a one-off daily budget')
      .option('--weekly <usd>', 'a one-off weekly budget (ISO weeks, Monday first)')
      .option('--monthly <usd>', 'a one-off monthly budget')
      .option('--scope <key=value>', `limit the one-off budget: ${SCOPE_KEYS.join('|')}=VALUE (repeatable)`, collect)
      .option('--name <name>', 'name of the one-off budget', 'cli')
      .option('--max-age <span>', 'data problem (exit 3) when the newest usage is older than this, e.g. 2d, 12h', spanOption)
      .option(
        '--max-unpriced <share>',
        'data problem (exit 3) when more than this share of requests is unpriced, e.g. 0.05 or 5%',
        shareOption(),
      )
      .option('--tz <zone>', 'time zone for calendar periods (default: config timezone, else the system zone)')
      .addOption(
        choiceOption(
          '--basis <basis>',
          'usage (request logs only) or billed (the bill only); default: each day of each provider from its logs, else from the bill',
          ['usage', 'billed'],
        ),
      );
    if (mode === 'check')
      cmd.addOption(
        choiceOption('--fail-on <level>', 'exceeded (default), forecast, or warning', ['exceeded', 'forecast', 'warning']).default(
          'exceeded',
        ),
      );
    addFormatOptions(cmd);
    addDbOption(cmd);
    cmd.addHelpText(
      'after',
      `
Exit codes: 0 within budget · 1 a gate tripped (exceeded, circuit breaker, or --fail-on forecast|warning) ·
2 bad flags or config · 3 data problem (no data in the period, data older than --max-age, unpriced over
--max-unpriced) · 4 remote failure. The verdict line goes to stderr; with GITHUB_STEP_SUMMARY set the markdown
report is appended to it, and under GitHub Actions warnings and errors are printed as annotations.

Examples:
  llmcost budget check --fail-on forecast --max-age 2d
  llmcost budget check --monthly 500 --scope team=search --format markdown`,
    );
    cmd.action((flags: BudgetFlags) => run(() => budgetCommand(mode, flags, ctx)));
  }
}

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

/** Spend, pace and projection of one budget at `now`. */
function evaluateOne(
  db: Db,
  b: BudgetConfig,
  now: number,
  tz: string,
  basis?: 'usage' | 'billed',
): { period: Period; result: BudgetResult; inPeriod: BudgetSpend['inPeriod']; plan: BasisPlan } {
  const period = periodAt(b.period, now, tz);
  const w = spendWindows(now, tz);
  const spend = budgetSpend(db, budgetScope(b), { now, periodStart: period.start, ...w }, tz, basis);
  const result = budgetAt(b, period, w, { ...spend, spentNanos: spend.inPeriod.costNanos });
  return { period, result, inPeriod: spend.inPeriod, plan: spend.plan };
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

async function budgetCommand(mode: 'check' | 'status', flags: BudgetFlags, ctx: Context): Promise<number> {
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
  const db = openFromFlags(flags, ctx, config);
  try {
    const newest = dataRange(db, {}, tz)?.max;
    const dataProblems: BudgetCheckJson['dataProblems'] = [];
    if (newest === undefined) dataProblems.push({ code: 'NO_DATA', budget: null, message: 'the database has no usage at all' });
    const results: { budget: BudgetConfig; period: Period; result: BudgetResult; gate: Gate | undefined }[] = [];
    for (const b of budgets) {
      const misses = newest === undefined ? [] : scopeMisses(db, budgetScopeAsGiven(b));
      for (const m of misses) {
        dataProblems.push({ code: 'SCOPE_MATCHES_NOTHING', budget: b.name, message: `the scope's ${describeMiss(m)}` });
      }
      const { period, result, inPeriod, plan } = evaluateOne(db, b, now, tz, basis);
      const scoped: UsageFilter = { ...budgetScope(b), since: period.start, until: now };
      if (newest !== undefined && misses.length === 0 && dataRange(db, scoped, tz) === undefined) {
        dataProblems.push({
          code: 'NO_DATA_IN_PERIOD',
          budget: b.name,
          message: `no usage in the budget's scope since the ${b.period} period began (${isoUtc(period.start)})`,
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
    ctx.out(render(format, payload, budgetTables(payload), { color: ctx.color }));
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
      for (const p of dataProblems) ctx.err(`::error title=llmcost data problem::${visible(p.message)}\n`);
    }
    ctx.err(`${visible(payload.verdict.message)}\n`);
    return exitCode;
  } finally {
    db.close();
  }
}
