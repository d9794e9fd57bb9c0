/** `llmcost limits`: rate limits (rpm/tpm) sized from the busiest minutes of the stored traffic. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import type { LimitsDimension } from '../store/queries/limits.js';
import type { Run } from './calculator-common.js';
import { addDbOption, addFormatOptions, addRangeOptions, type CommonFlags, choiceOption, dimensionName, shareOption } from './options.js';

export interface LimitsFlags extends CommonFlags {
  by?: LimitsDimension;
  headroom?: number;
}

export function registerLimits(program: Command, ctx: Context, run: Run): void {
  const cmd = program
    .command('limits')
    .description('rate limits from observed traffic: busiest minutes per key, team or model, and suggested rpm/tpm limits')
    .addOption(choiceOption('--by <dimension>', 'what to size limits for', ['api-key', 'team', 'model'], dimensionName).default('api-key'))
    .option('--headroom <share>', 'room above the busiest minute for the suggested limits, e.g. 0.5 or 50%', shareOption(0, 10), 0.5);
  addRangeOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.action((flags: LimitsFlags) => run(async () => (await import('./limits-run.js')).limitsCommand(flags, ctx)));
}
