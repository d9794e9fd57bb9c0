/** `llmcost roadmap`: a phased optimization plan with your numbers, compounding savings per phase. */
import { type Command, Option } from 'commander';
import type { Context } from '../core/context.js';
import type { Run } from './calculator-common.js';
import { addDbOption, addFormatOptions, addRangeOptions, numberOption, shareOption } from './options.js';
import type { RoadmapFlags } from './roadmap-run.js';

export function registerRoadmap(program: Command, ctx: Context, run: Run): void {
  const roadmap = program
    .command('roadmap')
    .description('a phased optimization plan with your numbers: compounding savings per phase, stopping at the target')
    .option('--target <share>', 'reduction to plan for, e.g. 50% or 0.5', shareOption(0.01, 0.99), 0.5)
    .option('--monthly-cost <usd>', 'current monthly cost, instead of measuring it (no database is read)', numberOption(0))
    .addOption(
      new Option(
        '--preset <name>',
        "the seed guide's phase table (20% in phase 1, to 50% in phase 2) instead of measured estimates",
      ).choices(['guide']),
    );
  addRangeOptions(roadmap);
  addFormatOptions(roadmap);
  addDbOption(roadmap);
  roadmap.action((flags: RoadmapFlags) => run(async () => (await import('./roadmap-run.js')).roadmapCommand(flags, ctx)));
}
