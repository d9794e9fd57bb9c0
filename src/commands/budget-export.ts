/** `llmcost budget export --litellm`: the configured budgets as LiteLLM key/team budget settings. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, addRangeOptions, type CommonFlags, shareOption } from './options.js';

export interface ExportFlags extends CommonFlags {
  config?: string;
  litellm?: boolean;
  limits?: boolean;
  headroom?: number;
}

export function registerBudgetExport(budget: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = budget
    .command('export')
    .description('write the budgets as gateway settings: --litellm gives LiteLLM /team/update and /key/update bodies')
    .option('--litellm', 'LiteLLM proxy: max_budget, budget_duration and soft_budget per team and key')
    .option('--config <file>', 'config file with budgets (default: ./llmcost.config.json)')
    .option('--limits', 'add rpm_limit / tpm_limit per team and key from the busiest minutes in the database (as llmcost limits)')
    .option('--headroom <share>', 'with --limits: room above the busiest minute, e.g. 0.5 or 50%', shareOption(0, 10), 0.5);
  addRangeOptions(cmd);
  addDbOption(cmd);
  cmd.action((flags: ExportFlags) => run(async () => (await import('./budget-export-run.js')).exportCommand(flags, ctx)));
}
