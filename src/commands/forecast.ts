/** `llmcost forecast`: month-end (or --horizon) spend forecast with 80 % and 95 % intervals, total and --by. */
import { type Command, InvalidArgumentError } from 'commander';
import { FIT_DAYS } from '../analysis/forecast.js';
import type { Context } from '../core/context.js';
import { addDbOption, addFormatOptions, byOption, type CommonFlags, spanOption } from './options.js';

export interface ForecastFlags extends CommonFlags {
  by?: string;
  horizon?: number;
  chart?: boolean;
  maxAge?: number;
}

/** --horizon: whole days, e.g. 30d. */
function horizonOption(value: string): number {
  const m = /^(\d+)d$/.exec(value.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 366) throw new InvalidArgumentError('Expected whole days from 1d to 366d, e.g. 30d.');
  return n;
}

/** Days without any usage after which the series is taken as stopped rather than quiet. */
export const DEFAULT_MAX_AGE_DAYS = 7;

export function registerForecast(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('forecast')
    .description('month-end (or --horizon) spend forecast, weekday- and trend-aware, with 80 % and 95 % intervals')
    .addOption(byOption('also one forecast per value of this dimension'))
    .option('--horizon <days>', 'forecast the next N days (today included) instead of the calendar month, e.g. 30d', horizonOption)
    .option('--tz <zone>', 'IANA time zone for days and months (default: config timezone, else the system zone)')
    .option('--chart', 'draw the daily chart (drawn by default on a terminal)')
    .option(
      '--max-age <span>',
      `exit 3 when the newest usage is older than this, e.g. 3d (default ${DEFAULT_MAX_AGE_DAYS}d): days after logs stop would be fitted as $0`,
      spanOption,
    );
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Fitted on the last ${FIT_DAYS} complete days: weekday factors and a trend (Theil–Sen on same-weekday pairs, so
spikes and quiet days do not tilt it); the 80 % and 95 % intervals are calibrated on backtests
(npm run eval:forecast). Today counts with what it has spent so far. No usage in the last ${FIT_DAYS} days and
the period, or none in the last ${DEFAULT_MAX_AGE_DAYS} days (--max-age): exit 3, since a series whose logs stopped
would be forecast as $0.

Examples:
  llmcost forecast
  llmcost forecast --by team --format markdown
  llmcost forecast --horizon 30d --json`,
  );
  cmd.action((flags: ForecastFlags) => run(async () => (await import('./forecast-run.js')).forecastCommand(flags, ctx)));
}
