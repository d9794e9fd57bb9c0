/** `llmcost budget export --litellm`: the configured budgets as LiteLLM key/team budget settings. */
import type { Command } from 'commander';
import { litellmBudgets } from '../analysis/litellm-budgets.js';
import { loadConfig } from '../lib/config.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { render } from '../render/index.js';
import type { Context } from './context.js';

interface ExportFlags {
  config?: string;
  litellm?: boolean;
}

export function registerBudgetExport(budget: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  budget
    .command('export')
    .description('write the budgets as gateway settings: --litellm gives LiteLLM /team/update and /key/update bodies')
    .option('--litellm', 'LiteLLM proxy: max_budget, budget_duration and soft_budget per team and key')
    .option('--config <file>', 'config file with budgets (default: ./llmcost.config.json)')
    .action((flags: ExportFlags) => run(() => exportCommand(flags, ctx)));
}

async function exportCommand(flags: ExportFlags, ctx: Context): Promise<number> {
  if (!flags.litellm) throw new UserError('Say which gateway to export for.', { hint: 'Add --litellm (the one supported so far).' });
  const config = loadConfig(flags.config);
  if (config.budgets.length === 0)
    throw new UserError('No budgets to export.', { hint: 'Add "budgets" to llmcost.config.json, or give --config FILE.' });
  const out = litellmBudgets(config.budgets);
  const payload = {
    schemaVersion: 1,
    kind: 'litellm-budgets',
    config: config.file ?? null,
    /** POST each body to the proxy's /team/update. */
    teamUpdate: out.teamUpdates,
    /** POST each body to the proxy's /key/update. */
    keyUpdate: out.keyUpdates,
    /** config.yaml litellm_settings for the proxy as a whole. */
    litellmSettings: out.litellmSettings,
    skipped: out.skipped,
  };
  for (const s of out.skipped) ctx.err(`llmcost: budget "${s.budget}" is not exported: ${s.reason}.\n`);
  ctx.out(render('json', payload, [], { color: false }));
  return ExitCode.Ok;
}
