/** `llmcost pareto`: which users, teams, models or endpoints drive the cost, and how concentrated it is. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, addFormatOptions, addRangeOptions, addTagOption, byOption, type CommonFlags, intOption } from './options.js';

export interface ParetoFlags extends CommonFlags {
  by?: string;
  tag?: string[];
  top?: number;
  chart?: boolean;
}

export function registerPareto(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('pareto')
    .description('rank cost drivers: shares, cumulative share, the 80 % line, concentration, peak hour, biggest movers')
    .addOption(byOption('what to rank').default('user'))
    .option('--top <n>', 'rows to show (the summary always covers everyone)', intOption(1), 20)
    .option('--chart', 'draw the Pareto chart (drawn by default on a terminal)');
  addTagOption(cmd);
  addRangeOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    '\nExamples:\n  llmcost pareto --since 30d\n  llmcost pareto --by endpoint --top 10 --format markdown\n  llmcost pareto --by tag:project --tag env=prod',
  );
  cmd.action((flags: ParetoFlags) => run(async () => (await import('./pareto-run.js')).paretoCommand(flags, ctx)));
}
