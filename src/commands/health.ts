/** `llmcost health`: gateway health beside cost — failures, gateway cache hits, prompt-cache share, latency. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import {
  addDbOption,
  addFormatOptions,
  addRangeOptions,
  addScopeOptions,
  type CommonFlags,
  choiceOption,
  DIMENSION_NAMES,
  dimensionName,
  type ScopeFlags,
} from './options.js';

export interface HealthFlags extends CommonFlags, ScopeFlags {
  by?: string;
}

/** --by accepts every report dimension but tags (health sums are kept per row, not per tag), and `key` for api-key. */
const HEALTH_BY: readonly string[] = [...DIMENSION_NAMES.filter((d) => d !== 'tag:KEY'), 'key'];

export function registerHealth(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('health')
    .description('gateway health beside cost: failures, cache hits and the cost they avoided, prompt-cache share, latency p50/p95')
    .addOption(
      choiceOption(
        '--by <dimension>',
        'one row per model, endpoint, team, key or user (default: one row overall)',
        HEALTH_BY,
        dimensionName,
      ),
    );
  addScopeOptions(cmd);
  addRangeOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    '\nFigures a source does not carry (a CSV without a status column, bills) say "not in the data", never 0.\n\nExamples:\n  llmcost health --since 7d\n  llmcost health --by model --json\n  llmcost health --by api-key --team search --tag env=prod',
  );
  cmd.action((flags: HealthFlags) => run(async () => (await import('./health-run.js')).healthCommand(flags, ctx)));
}
