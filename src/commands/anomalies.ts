/** `llmcost anomalies`: explainable anomaly detection over the requested range, with a CI gate. */
import type { Command } from 'commander';
import { DEFAULT_K, DEFAULTS } from '../analysis/anomalies.js';
import type { Context } from '../core/context.js';
import { addNotifyOptions, type NotifyFlags } from './notify-options.js';
import {
  addDbOption,
  addFormatOptions,
  addRangeOptions,
  addTagOption,
  byOption,
  type CommonFlags,
  choiceOption,
  numberOption,
} from './options.js';

export interface AnomalyFlags extends CommonFlags, NotifyFlags {
  config?: string;
  by?: string;
  tag?: string[];
  granularity?: string;
  method?: string;
  sensitivity?: number;
  threshold?: number;
  window?: number;
  minImpact?: number;
  drops?: boolean;
  failOn?: string;
}

/** The hourly baseline window, in hours. */
export const HOURLY_WINDOW = 168;

export function registerAnomalies(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('anomalies')
    .description('find cost spikes, drops, new spenders and level shifts, and name what drove each')
    .addOption(byOption('also one series per value of this dimension'))
    .addOption(choiceOption('--granularity <g>', 'daily, or hourly for runaway loops', ['daily', 'hourly']).default('daily'))
    .addOption(
      choiceOption('--method <m>', 'robust (median/MAD, weekday-aware) or stddev (mean + k·σ)', ['robust', 'stddev']).default('robust'),
    )
    .option(
      '--sensitivity <k>',
      `threshold multiplier k (default ${DEFAULT_K.robust} robust, ${DEFAULT_K.stddev} stddev); alias --threshold`,
      numberOption(0.1),
    )
    .option('--threshold <k>', 'same as --sensitivity', numberOption(0.1))
    .option(
      '--window <n>',
      `baseline window in days (hours when hourly); default ${DEFAULTS.robust.window} days / ${HOURLY_WINDOW} hours`,
      numberOption(2),
    )
    .option(
      '--min-impact <usd>',
      'smallest excess over expected (or new spend) that counts, in USD',
      numberOption(0),
      DEFAULTS.robust.minImpact,
    )
    .option('--drops', 'also report drops')
    .addOption(
      choiceOption(
        '--fail-on <severity>',
        'exit 1 when an anomaly of this severity (warning|critical) is found; 3 when there is too little data',
        ['warning', 'critical'],
      ),
    )
    .option('--config <file>', 'config file with notify targets, timezone and db (default: ./llmcost.config.json)');
  addTagOption(cmd);
  addRangeOptions(cmd);
  addNotifyOptions(cmd);
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
The scored range is --since/--until (default: the last 30 days, or 48 hours when hourly); the baseline comes
from the history before each scored day. Every anomaly of the total names its drivers: the excess split by
user, model, endpoint and team (each entity's actual minus its own expected; for a level shift, over its
first days). Kinds: spike, drop (--drops), new (a user, or --by entity, with no or negligible history
spending at least --min-impact), level-shift (dated at its first day, one finding per shift).

Examples:
  llmcost anomalies
  llmcost anomalies --by user --since 14d --fail-on critical
  llmcost anomalies --granularity hourly --since 24h --min-impact 5`,
  );
  cmd.action((flags: AnomalyFlags) => run(async () => (await import('./anomalies-run.js')).anomaliesCommand(flags, ctx)));
}
