/** `llmcost reprice`: re-price stored request-level rows with the current catalog and your prices. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, addFormatOptions, addRangeOptions, type CommonFlags, collect } from './options.js';

export interface RepriceFlags extends CommonFlags {
  prices?: string;
  model?: string[];
  dryRun?: boolean;
}

export function registerReprice(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('reprice')
    .description('re-price stored usage with the current catalog and your price file; the bill (Cost Explorer, CUR) is kept')
    .option('--prices <file>', 'user price file: overrides and additions to the catalog (see README "Prices")')
    .option('--model <model>', 'only this model, normalized or as logged (repeatable)', collect)
    .option('--dry-run', 'show what would change, write nothing');
  addRangeOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  llmcost reprice --prices prices.json --dry-run     # what the price file would change
  llmcost reprice --prices prices.json
  llmcost prices update data.json && llmcost reprice --since 2026-10-01`,
  );
  cmd.action((flags: RepriceFlags) => run(async () => (await import('./reprice-run.js')).repriceCommand(flags, ctx)));
}
