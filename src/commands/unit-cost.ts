/** `llmcost unit-cost`: cost per request and against revenue: cost/revenue ratio, gross margin, health. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import type { Run } from './calculator-common.js';
import { addDbOption, addFormatOptions, addRangeOptions, numberOption } from './options.js';
import type { UnitFlags } from './unit-cost-run.js';

export function registerUnitCost(program: Command, ctx: Context, run: Run): void {
  const unit = program
    .command('unit-cost')
    .description('cost per request and against revenue: cost/revenue ratio, gross margin, health')
    .requiredOption('--revenue <usd>', 'revenue for the same period, USD', numberOption(0))
    .option(
      '--baseline <usd>',
      "cost per request before optimizing, for the guide's target of half of it (default: today's)",
      numberOption(0),
    );
  addRangeOptions(unit);
  addFormatOptions(unit);
  addDbOption(unit);
  unit.action((flags: UnitFlags) => run(async () => (await import('./unit-cost-run.js')).unitCommand(flags, ctx)));
}
