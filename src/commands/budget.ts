/** `llmcost budget check | status`: budgets with pace, forecasts and distinct exit codes, for CI. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { SCOPE_KEYS } from '../lib/config.js';
import { registerBudgetExport } from './budget-export.js';
import { addNotifyOptions, type NotifyFlags } from './notify-options.js';
import { addDbOption, addFormatOptions, type CommonFlags, choiceOption, collect, shareOption, spanOption } from './options.js';

export interface BudgetFlags extends CommonFlags, NotifyFlags {
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
    if (mode === 'check') addNotifyOptions(cmd);
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
    cmd.action((flags: BudgetFlags) => run(async () => (await import('./budget-run.js')).budgetCommand(mode, flags, ctx)));
  }
  registerBudgetExport(budget, ctx, run);
}
