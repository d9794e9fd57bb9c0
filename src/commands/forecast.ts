/** `llmcost forecast`: month-end (or --horizon) spend forecast with 80 % and 95 % intervals, total and --by. */
import { type Command, InvalidArgumentError } from 'commander';
import { FIT_DAYS, forecast } from '../analysis/forecast.js';
import { DataError, ExitCode } from '../lib/errors.js';
import { dayNumber, dayNumberToIso, isoToWall, localDate, zonedToUtc } from '../lib/time.js';
import { type EntryInput, forecastChart, forecastJson, forecastTables } from '../render/forecast.js';
import { render } from '../render/index.js';
import { aggregateOnPlan, planBasis } from '../store/queries/basis.js';
import type { UsageFilter } from '../store/queries/report.js';
import type { Context } from './context.js';
import { requireRows } from './data-guard.js';
import { openFromFlags, resolveTz } from './open.js';
import { addDbOption, addFormatOptions, type CommonFlags, choiceOption, DIMENSION_NAMES, dimensionName, resolveFormat } from './options.js';
import { billedDaysJson, parseDims } from './report-common.js';

interface ForecastFlags extends CommonFlags {
  by?: string;
  horizon?: number;
  chart?: boolean;
}

/** --horizon: whole days, e.g. 30d. */
function horizonOption(value: string): number {
  const m = /^(\d+)d$/.exec(value.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 366) throw new InvalidArgumentError('Expected whole days from 1d to 366d, e.g. 30d.');
  return n;
}

export function registerForecast(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('forecast')
    .description('month-end (or --horizon) spend forecast, weekday- and trend-aware, with 80 % and 95 % intervals')
    .addOption(choiceOption('--by <dimension>', 'also one forecast per value of this dimension', DIMENSION_NAMES, dimensionName))
    .option('--horizon <days>', 'forecast the next N days (today included) instead of the calendar month, e.g. 30d', horizonOption)
    .option('--tz <zone>', 'IANA time zone for days and months (default: config timezone, else the system zone)')
    .option('--chart', 'draw the daily chart (drawn by default on a terminal)');
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    `
Fitted on the last ${FIT_DAYS} complete days: weekday factors and a trend (Theil–Sen on same-weekday pairs, so
spikes and quiet days do not tilt it); the 80 % and 95 % intervals are calibrated on backtests
(npm run eval:forecast). Today counts with what it has spent so far. No usage in the last ${FIT_DAYS} days and
the period: exit 3.

Examples:
  llmcost forecast
  llmcost forecast --by team --format markdown
  llmcost forecast --horizon 30d --json`,
  );
  cmd.action((flags: ForecastFlags) => run(() => forecastCommand(flags, ctx)));
}

async function forecastCommand(flags: ForecastFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const tz = resolveTz(flags);
  const now = ctx.now();
  const by = flags.by ? parseDims([flags.by])[0] : undefined;
  const today = dayNumber(localDate(now, tz));
  let periodStart = today;
  let endDay = today + (flags.horizon ?? 1) - 1;
  if (flags.horizon === undefined) {
    const iso = dayNumberToIso(today);
    periodStart = dayNumber(`${iso.slice(0, 7)}-01`);
    const [y, m] = iso.split('-').map(Number);
    endDay = dayNumber((m ?? 1) === 12 ? `${(y ?? 0) + 1}-01-01` : `${y}-${String((m ?? 1) + 1).padStart(2, '0')}-01`) - 1;
  }
  const first = Math.min(periodStart, today - FIT_DAYS);
  const filter: UsageFilter = { since: zonedToUtc(isoToWall(dayNumberToIso(first)), tz), until: now };
  const db = openFromFlags(flags, ctx);
  try {
    try {
      requireRows(db, filter, tz);
    } catch (e) {
      // forecast has no --since/--until: say what it needs instead.
      if (e instanceof DataError && e.message.startsWith('No usage between'))
        throw new DataError(e.message, `Ingest recent usage: the forecast is fitted on the ${FIT_DAYS} days before today.`);
      throw e;
    }
    const plan = planBasis(db, filter, tz);
    const daily = (dims: NonNullable<typeof by>[]): Map<string, Map<number, bigint>> => {
      const out = new Map<string, Map<number, bigint>>();
      for (const r of aggregateOnPlan(db, plan, { dims, byDay: true, tz, filter })) {
        const key = r.keys.join('\u241f');
        let days = out.get(key);
        if (!days) {
          days = new Map();
          out.set(key, days);
        }
        const d = r.day ?? 0;
        days.set(d, (days.get(d) ?? 0n) + r.costNanos);
      }
      return out;
    };
    const entry = (name: string | null, days: Map<number, bigint>): EntryInput => {
      // The fit starts at the series' first day of spend: the days before it are "no data yet", not zeros.
      const active = [...days.entries()].filter(([d, v]) => d < today && v > 0n).map(([d]) => d);
      const from = Math.max(today - FIT_DAYS, active.length > 0 ? Math.min(...active) : today);
      const history = Array.from({ length: today - from }, (_, i) => days.get(from + i) ?? 0n);
      let spent = 0n;
      for (let d = periodStart; d <= today; d++) spent += days.get(d) ?? 0n;
      const result = forecast({ history, today, todayNanos: days.get(today) ?? 0n, spentNanos: spent, endDay });
      return { name, result, actual: days };
    };
    const total = entry(null, daily([]).get('') ?? new Map());
    const entities = by ? [...daily([by]).entries()].map(([name, days]) => entry(name, days)) : [];
    const payload = {
      ...forecastJson({
        tz,
        now,
        periodStart,
        endDay,
        today,
        horizon: flags.horizon === undefined ? 'month' : `${flags.horizon}d`,
        by,
        total,
        entities,
      }),
      basis: plan.basis,
      billedDays: billedDaysJson(plan),
    };
    let text = render(format, payload, forecastTables(payload), { color: ctx.color });
    if (format === 'table' && (flags.chart || ctx.stdoutTTY)) text = `${text}\n\n${forecastChart(payload)}`;
    ctx.out(text);
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}
