/** `llmcost report`: usage and cost by period and by user, team, model, provider, endpoint. */
import type { Command } from 'commander';
import { buildReport, type Period, SORT_KEYS, type SortKey } from '../analysis/report.js';
import { buildUserReport, type UserReport } from '../analysis/user-report.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { dayNumber, dayNumberToIso, localDate } from '../lib/time.js';
import { render } from '../render/index.js';
import { reportJson, reportTable } from '../render/report.js';
import { userReportJson, userReportTables } from '../render/user-report.js';
import type { Db } from '../store/db.js';
import { aggregateOnPlan, type BasisPlan, planBasis } from '../store/queries/basis.js';
import { DIMENSIONS, dataRange, estimatedBillingDays, type UsageFilter, unpricedModels } from '../store/queries/report.js';
import type { Context } from './context.js';
import { requireRows } from './data-guard.js';
import {
  addDbOption,
  addFormatOptions,
  addRangeOptions,
  type CommonFlags,
  choiceOption,
  collect,
  intOption,
  listValues,
  openFromFlags,
  resolveFormat,
  resolveRange,
  resolveTz,
} from './options.js';
import { billedDaysJson, parseDims } from './report-common.js';
import { storeFilter } from './store-filter.js';

/** Rows a grouped report's table shows unless --limit says otherwise: the rest is for CSV and JSON. */
const DEFAULT_LIMIT = 50;

interface ReportFlags extends CommonFlags {
  daily?: boolean;
  weekly?: boolean;
  monthly?: boolean;
  by?: string[];
  user?: string[];
  team?: string[];
  model?: string[];
  endpoint?: string[];
  source?: string[];
  basis?: string;
  provider?: string[];
  sort?: SortKey;
  limit?: number;
}

export function registerReport(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('report')
    .description('cost and usage by day / week / month and by user, team, model, provider, endpoint')
    .option('--daily', 'one row per day')
    .option('--weekly', 'one row per ISO week (Monday first)')
    .option('--monthly', 'one row per calendar month')
    .option('--by <dimension>', `group by ${Object.keys(DIMENSIONS).join('|')} (repeat or comma-separate to combine)`, collect)
    .option('--user <name>', 'only this user (repeatable); alone, prints the user report', collect)
    .option('--team <name>', 'only this team (repeatable)', collect)
    .option('--model <model>', 'only this model, normalized or as logged (repeatable)', collect)
    .option('--endpoint <name>', 'only this endpoint / feature (repeatable)', collect)
    .option('--provider <name>', 'only this provider (repeatable)', collect)
    .option('--source <source>', 'only records from this source: csv, litellm, bedrock-log, … (repeatable)', collect)
    .addOption(
      choiceOption(
        '--basis <basis>',
        'usage (request-level rows) or billed (Cost Explorer / CUR); default: usage when the range has any, else billed',
        ['usage', 'billed'],
      ),
    )
    .addOption(
      choiceOption('--sort <key>', 'order of the rows (within each period): largest cost, requests or tokens first, or by name', SORT_KEYS),
    )
    .option(
      '--limit <n>',
      `table format: show the first n rows (default: ${DEFAULT_LIMIT} with --by, all without; 0: all); JSON, CSV and markdown have every row`,
      intOption(0),
    );
  addRangeOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  llmcost report --daily --since 30d
  llmcost report --monthly --by team
  llmcost report --by user --by model --since 2026-10-01 --until 2026-10-31 --format csv
  llmcost report --user alice            # the user report: totals, average daily cost, days, models`,
  );
  cmd.action((flags: ReportFlags) => run(() => reportCommand(flags, ctx)));
}

async function reportCommand(flags: ReportFlags, ctx: Context): Promise<number> {
  const periods = (['daily', 'weekly', 'monthly'] as const).filter((p) => flags[p]);
  if (periods.length > 1)
    throw new UserError(`Choose one of --daily, --weekly, --monthly (got ${periods.map((p) => `--${p}`).join(' ')}).`);
  const period: Period | undefined = periods[0];
  const dims = parseDims(listValues(flags.by));
  const format = resolveFormat(flags);
  const tz = resolveTz(flags);
  const now = ctx.now();
  const range = resolveRange(flags, tz, now);
  const given: UsageFilter = {
    since: range.since,
    until: range.until,
    user: listValues(flags.user),
    team: listValues(flags.team),
    model: listValues(flags.model),
    endpoint: listValues(flags.endpoint),
    source: listValues(flags.source),
    provider: listValues(flags.provider),
  };
  const db = openFromFlags(flags, ctx);
  try {
    requireRows(db, given, tz);
    const filter = storeFilter(given);
    // Never double count: each day of each provider comes from its request logs, or else from the bill.
    const plan = planBasis(db, filter, tz, flags.basis as 'usage' | 'billed' | undefined);
    // Unpriced usage exists only in request-level rows (billing rows carry their billed cost).
    const unpricedFilter: UsageFilter = {
      ...filter,
      basis: plan.basis === 'mixed' ? 'usage' : plan.basis === 'all' ? undefined : plan.basis,
    };
    const basisJson = { basis: plan.basis, billedDays: billedDaysJson(plan) };
    if (!period && dims.length === 0 && filter.user?.length === 1) {
      const user = filter.user[0] ?? '';
      const result = userReport(db, plan, user, filter, tz);
      const unpriced = unpricedModels(db, unpricedFilter, tz);
      const json = { ...userReportJson(result, { tz, range, unpriced }), ...basisJson };
      ctx.out(render(format, json, userReportTables(result, unpriced), { color: ctx.color }));
      return ExitCode.Ok;
    }
    const effectivePeriod = period ?? (dims.length === 0 ? 'daily' : undefined);
    const rows = aggregateOnPlan(db, plan, { dims, byDay: effectivePeriod !== undefined, tz, filter });
    const days = dayBounds(db, filter, range, tz);
    const report = buildReport(rows, {
      period: effectivePeriod,
      dims,
      firstDay: days?.first,
      lastDay: days?.last,
      ...(flags.sort ? { sort: flags.sort } : {}),
    });
    const unpriced = unpricedModels(db, unpricedFilter, tz);
    const basisTitle = plan.basis === 'billed' ? ', billed' : plan.basis === 'mixed' ? ', logs + bill' : '';
    const title = `LLM cost${effectivePeriod ? ` ${effectivePeriod}` : ''}${dims.length ? ` by ${dims.join(' × ')}` : ''} (${tz}${basisTitle})`;
    const estimated = plan.basis === 'billed' || plan.basis === 'mixed' ? estimatedBillingDays(db, filter, tz) : [];
    if (format === 'json') {
      // Only the payload the format prints is built: 20k rows as both JSON and table cells doubled the work.
      const json = { ...reportJson(report, { tz, range, unpriced }), ...basisJson, estimatedBillingDays: estimated };
      ctx.out(render(format, json, [], { color: ctx.color }));
      return ExitCode.Ok;
    }
    const table = reportTable(report, title, unpriced);
    const notes = [...(table.notes ?? [])];
    for (const b of plan.basis === 'mixed' ? plan.billed : [])
      notes.push(`No request logs for ${b.provider} on ${b.days.length} day(s): taken from the bill (${spanText(b.days)}).`);
    if (estimated.length > 0) notes.push(`Estimated by Cost Explorer (may be restated): ${estimated.join(', ')}.`);
    table.notes = notes;
    const limit = flags.limit ?? (dims.length > 0 ? DEFAULT_LIMIT : 0);
    if (limit > 0) table.limit = limit;
    ctx.out(render(format, undefined, [table], { color: ctx.color }));
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}

/** "2026-10-01, 2026-10-03" for a few days; "2026-10-01 to 2026-10-14" only when the days are consecutive. */
function spanText(days: number[]): string {
  const first = days[0];
  const last = days.at(-1);
  if (first === undefined || last === undefined) return '';
  if (last - first + 1 === days.length && days.length > 2) return `${dayNumberToIso(first)} to ${dayNumberToIso(last)}`;
  if (days.length <= 5) return days.map(dayNumberToIso).join(', ');
  return `${days.length} days from ${dayNumberToIso(first)} to ${dayNumberToIso(last)}`;
}

/** The local days a report spans: the requested range, else the data's first and last day. */
function dayBounds(
  db: Db,
  filter: UsageFilter,
  range: { since?: number; until?: number },
  tz: string,
): { first: number; last: number } | undefined {
  const data = dataRange(db, filter, tz);
  if (!data) return undefined;
  const first = dayNumber(localDate(range.since ?? data.min, tz));
  const last = dayNumber(localDate(range.until !== undefined ? range.until - 1 : data.max, tz));
  return { first, last };
}

function userReport(db: Db, plan: BasisPlan, user: string, filter: UsageFilter, tz: string): UserReport {
  const daily = aggregateOnPlan(db, plan, { dims: [], byDay: true, tz, filter });
  const models = aggregateOnPlan(db, plan, { dims: ['model'], byDay: false, tz, filter });
  const days = dayBounds(
    db,
    filter,
    { ...(filter.since !== undefined ? { since: filter.since } : {}), ...(filter.until !== undefined ? { until: filter.until } : {}) },
    tz,
  );
  return buildUserReport(user, daily, models, days);
}
