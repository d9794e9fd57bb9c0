/** `llmcost unit-cost`: cost per request and against revenue: cost/revenue ratio, gross margin, health. */
import type { Command } from 'commander';
import type { Run } from './calculator-common.js';
import type { Context } from './context.js';
import { addDbOption, addFormatOptions, addRangeOptions, type CommonFlags, numberOption } from './options.js';

export function registerUnitCost(program: Command, ctx: Context, run: Run): void {
  const unit = program
    .command('unit-cost')
    .description('cost per request and against revenue: cost/revenue ratio, gross margin, health')
    .requiredOption('--revenue <usd>', 'revenue for the same period, USD', numberOption(0));
  addRangeOptions(unit);
  addFormatOptions(unit);
  addDbOption(unit);
  unit.action((flags: CommonFlags & { revenue: number }) => run(async () => (await import('./unit-cost-run.js')).unitCommand(flags, ctx)));
}
