/** `llmcost dashboard [FILE]`: the HTML report (`report --html FILE`) under a short name. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, addRangeOptions } from './options.js';
import { addHtmlOptions, addReportOptions, type ReportFlags } from './report.js';

/** Where `dashboard` writes without a FILE: the current directory. */
const DEFAULT_HTML_FILE = 'llmcost-report.html';

export function registerDashboard(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = addReportOptions(
    program
      .command('dashboard')
      .argument('[file]', `where to write the HTML report (default: ./${DEFAULT_HTML_FILE})`)
      .description('write the HTML cost report: one self-contained file with charts and their tables (report --html FILE)'),
  );
  addHtmlOptions(cmd);
  addRangeOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
The range defaults to the last 30 days. The page: spend, change against the span before, month forecast and
unpriced share; spend per day stacked by model (or --by) with anomalies marked; Pareto charts by team, user,
model and endpoint; a burn-down per budget of the config; logged vs billed when there is a bill. It needs no
network, prints its path, and its figures equal the JSON of report, pareto, anomalies and budget status.

Examples:
  llmcost dashboard
  llmcost dashboard cost.html --since 2026-10-01 --until 2026-10-31 --by team --config llmcost.config.json`,
  );
  cmd.action((file: string | undefined, flags: ReportFlags) =>
    run(async () => (await import('./html-run.js')).htmlReportCommand(flags, file ?? DEFAULT_HTML_FILE, ctx)),
  );
}
