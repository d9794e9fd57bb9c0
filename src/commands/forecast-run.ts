/** `llmcost forecast`: what runs (loaded by the action in forecast.ts, so `--help` loads none of it). */
import { FIT_DAYS, forecast } from '../analysis/forecast.js';
import type { Context } from '../core/context.js';
import { DataError, ExitCode } from '../lib/errors.js';
import { DAY_MS, dayNumber, dayNumberToIso, isoToWall, localDate, zonedToUtc } from '../lib/time.js';
import { type EntryInput, type ForecastJson, forecastChart, forecastJson, forecastTables } from '../render/forecast.js';
import { render } from '../render/index.js';
import type { Db } from '../store/db.js';
import { aggregateOnPlan, type BasisPlan, planBasis } from '../store/queries/basis.js';
import { dataRange, type UsageFilter } from '../store/queries/report.js';
import { requireRows } from './data-guard.js';
import { DEFAULT_MAX_AGE_DAYS, type ForecastFlags } from './forecast.js';
import { openFromFlags, resolveTz } from './open.js';
import { resolveFormat } from './options.js';
import { billedDaysJson, parseDims } from './report-common.js';

/**
 * The figures of `forecast` at `now`: what the command prints and what the HTML report shows. `scope` narrows
 * the series (the HTML report's filters; the command has none). Throws a DataError when there is nothing recent to fit.
 */
export function forecastPayload(
  db: Db,
  flags: ForecastFlags,
  tz: string,
  now: number,
  scope: UsageFilter = {},
): ForecastJson & { basis: BasisPlan['basis']; billedDays: ReturnType<typeof billedDaysJson> } {
  const by = flags.by ? parseDims([flags.by], true)[0] : undefined;
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
  const filter: UsageFilter = { ...scope, since: zonedToUtc(isoToWall(dayNumberToIso(first)), tz), until: now };
  try {
    requireRows(db, filter, tz);
  } catch (e) {
    // forecast has no --since/--until: say what it needs instead.
    if (e instanceof DataError && e.message.startsWith('No usage between'))
      throw new DataError(e.message, `Ingest recent usage: the forecast is fitted on the ${FIT_DAYS} days before today.`);
    throw e;
  }
  // Days after the logs stop are not $0 days: a series that stopped is not forecast from zeros.
  const newest = dataRange(db, scope, tz)?.max;
  const maxAge = flags.maxAge ?? DEFAULT_MAX_AGE_DAYS * DAY_MS;
  if (newest !== undefined && now - newest > maxAge) {
    const newestDay = localDate(newest, tz);
    throw new DataError(
      `The newest usage is from ${newestDay} (${Math.floor((now - newest) / DAY_MS)} days before now): a forecast would fit the days since as $0 spend.`,
      'Ingest the newer usage (or check the pipeline that writes it), or give --max-age to accept a longer gap.',
    );
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
  return payload;
}

export async function forecastCommand(flags: ForecastFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const tz = resolveTz(flags);
  const now = ctx.now();
  const db = openFromFlags(flags, ctx);
  try {
    const payload = forecastPayload(db, flags, tz, now);
    let text = render(format, payload, forecastTables(payload), ctx.view);
    if (format === 'table' && (flags.chart || ctx.view.columns !== undefined)) text = `${text}\n\n${forecastChart(payload)}`;
    ctx.out(text);
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}
