/** `llmcost report`: usage and cost by period and by user, team, model, provider, endpoint. */
import type { Command } from 'commander';
import { SORT_KEYS, type SortKey } from '../analysis/report.js';
import type { Context } from '../core/context.js';
import { DIMENSION_LIST } from '../core/types.js';
import {
  addDbOption,
  addFormatOptions,
  addRangeOptions,
  addScopeOptions,
  type CommonFlags,
  choiceOption,
  collect,
  intOption,
  type ScopeFlags,
} from './options.js';

/** Rows a grouped report's table shows unless --limit says otherwise: the rest is for CSV and JSON. */
export const DEFAULT_LIMIT = 50;

export interface ReportFlags extends CommonFlags, ScopeFlags {
  daily?: boolean;
  weekly?: boolean;
  monthly?: boolean;
  by?: string[];
  basis?: string;
  sort?: SortKey;
  limit?: number;
  html?: string;
  config?: string;
  /** --chart / --no-chart: the chart of a report by period (default: on a terminal). */
  chart?: boolean;
  metrics?: boolean;
}

/** The period, --by and filter flags that `report` and `dashboard` share. */
export function addReportOptions(cmd: Command): Command {
  cmd
    .option('--daily', 'one row per day')
    .option('--weekly', 'one row per ISO week (Monday first)')
    .option('--monthly', 'one row per calendar month')
    .option(
      '--by <dimension>',
      `group by ${DIMENSION_LIST.join('|')}|tag:KEY|tag (repeat or comma-separate to combine; tag: every tag, overlapping)`,
      collect,
    );
  addScopeOptions(cmd, 'only this user (repeatable); alone, prints the user report');
  return cmd.addOption(
    choiceOption(
      '--basis <basis>',
      'usage (request-level rows) or billed (Cost Explorer / CUR); default: usage when the range has any, else billed',
      ['usage', 'billed'],
    ),
  );
}

/** The flags only the HTML report reads: the file and the config with budgets. */
export function addHtmlOptions(cmd: Command): Command {
  return cmd.option('--config <file>', 'config file with budgets for the HTML report (default: ./llmcost.config.json)');
}

export function registerReport(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = addReportOptions(
    program.command('report').description('cost and usage by day / week / month and by user, team, model, provider, endpoint'),
  )
    .addOption(
      choiceOption('--sort <key>', 'order of the rows (within each period): largest cost, requests or tokens first, or by name', SORT_KEYS),
    )
    .option('--chart', 'table format: draw the cost per period under the table (default on a terminal), also when piped')
    .option('--no-chart', 'no chart under the table')
    .option(
      '--limit <n>',
      `table format: show the first n rows (default: ${DEFAULT_LIMIT} with --by, all without; 0: all); JSON, CSV and markdown have every row`,
      intOption(0),
    )
    .option('--metrics', 'with one --by: failures, failure rate, gateway cache hit rate and p95 latency beside cost (see `llmcost health`)')
    .option('--html <file>', 'write the self-contained HTML report (charts and tables; default range: the last 30 days) to FILE');
  addHtmlOptions(cmd);
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
  llmcost report --by tag:project --tag env=prod   # spend per project (untagged spend as "(untagged)")
  llmcost report --by model --metrics     # failures, cache hit rate and p95 latency beside cost
  llmcost report --user alice            # the user report: totals, average daily cost, days, models
  llmcost report --html cost.html --since 30d --config llmcost.config.json   # the HTML report (also: llmcost dashboard)`,
  );
  cmd.action((flags: ReportFlags) =>
    run(async () =>
      flags.html === undefined
        ? (await import('./report-run.js')).reportCommand(flags, ctx)
        : (await import('./html-run.js')).htmlReportCommand(flags, flags.html, ctx),
    ),
  );
}
