/**
 * A budget at one instant: the calendar period containing `now`, and the inputs of evaluateBudget built from
 * the spend the store measured. Pure: `now`, the zone and the measured sums are passed in.
 */
import type { BudgetConfig, BudgetPeriod } from '../lib/config.js';
import { dayNumber, dayNumberToIso, isoToWall, localDate, weekStart, zonedToUtc } from '../lib/time.js';
import { type BreakerKind, type BreakerState, type BreakerWindow, breakerWindows, replayBreaker } from './breaker.js';
import { type BudgetResult, evaluateBudget } from './budget.js';
import { forecast } from './forecast.js';

export interface Period {
  start: number;
  end: number;
  firstDay: number;
  days: number;
}

/** The days of a rolling period (`30d` → 30), undefined for a calendar one. */
export function rollingDays(period: BudgetPeriod): number | undefined {
  const m = /^(\d+)d$/.exec(period);
  return m ? Number(m[1]) : undefined;
}

/**
 * The period containing `now` in `tz`: today, this ISO week, this month, or for a rolling `Nd` budget the N local
 * days ending today (`30d` = today and the 29 days before, as `--since 30d` reads).
 */
export function periodAt(period: BudgetPeriod, now: number, tz: string): Period {
  const today = dayNumber(localDate(now, tz));
  let first = today;
  let next = today + 1;
  const rolling = rollingDays(period);
  if (rolling !== undefined) {
    first = today - (rolling - 1);
  } else if (period === 'weekly') {
    first = weekStart(today);
    next = first + 7;
  } else if (period === 'monthly') {
    const iso = dayNumberToIso(today);
    first = dayNumber(`${iso.slice(0, 7)}-01`);
    const [y, m] = iso.split('-').map(Number);
    next = dayNumber((m ?? 1) === 12 ? `${(y ?? 0) + 1}-01-01` : `${y}-${String((m ?? 1) + 1).padStart(2, '0')}-01`);
  }
  const at = (day: number): number => zonedToUtc(isoToWall(dayNumberToIso(day)), tz);
  return { start: at(first), end: at(next), firstDay: first, days: next - first };
}

/** The instants a budget's spend is measured between: today, the last hour, and 28 days of history. */
export interface SpendWindows {
  now: number;
  /** Local day number of `now`. */
  today: number;
  startOfToday: number;
  /** Start of the 28 days before today, the history of the weekday-aware projection. */
  historyStart: number;
}

export function spendWindows(now: number, tz: string): SpendWindows {
  const today = dayNumber(localDate(now, tz));
  const at = (day: number): number => zonedToUtc(isoToWall(dayNumberToIso(day)), tz);
  return { now, today, startOfToday: at(today), historyStart: at(today - 28) };
}

/** The look-back windows of the circuit breakers a budget sets (none without `limits`). */
export function breakerWindowsOf(b: BudgetConfig, now: number, tz: string): { hourly?: BreakerWindow[]; daily?: BreakerWindow[] } {
  return {
    ...(b.limits.hourlyUsd !== undefined ? { hourly: breakerWindows('hourly', now, tz) } : {}),
    ...(b.limits.dailyUsd !== undefined ? { daily: breakerWindows('daily', now, tz) } : {}),
  };
}

/** What the store measured for a budget's scope. */
export interface MeasuredSpend {
  spentNanos: bigint;
  todayNanos: bigint;
  /** Cost per local day of the 28 days before today; days without a row spent nothing. */
  history: readonly { day?: number | undefined; costNanos: bigint }[];
  /** Spend per window of each breaker's look-back (breakerWindowsOf), replayed into the breaker's state. */
  breakers?: { hourly?: readonly (BreakerWindow & { spendNanos: bigint })[]; daily?: readonly (BreakerWindow & { spendNanos: bigint })[] };
}

const usdToNanos = (usd: number): bigint => BigInt(Math.round(usd * 1e6)) * 1000n;

/**
 * Spend, pace and projection of one budget. The projection is the forecaster's (src/analysis/forecast.ts,
 * the one `llmcost forecast` uses) from the 28 days before today, when 14 of them have data; else linear.
 */
export function budgetAt(b: BudgetConfig, period: Period, w: SpendWindows, spend: MeasuredSpend): BudgetResult {
  const { today } = w;
  let projected: bigint | undefined;
  if (spend.history.length >= 14) {
    const costs = new Map(spend.history.map((r) => [r.day ?? 0, r.costNanos]));
    const history = Array.from({ length: 28 }, (_, i) => costs.get(today - 28 + i) ?? 0n);
    projected = forecast({
      history,
      today,
      todayNanos: spend.todayNanos,
      spentNanos: spend.spentNanos,
      endDay: period.firstDay + period.days - 1,
    }).forecastNanos;
  }
  const states: Partial<Record<BreakerKind, BreakerState>> = {};
  for (const kind of ['hourly', 'daily'] as const) {
    const limit = kind === 'hourly' ? b.limits.hourlyUsd : b.limits.dailyUsd;
    const windows = spend.breakers?.[kind];
    if (limit !== undefined && windows) states[kind] = replayBreaker(windows, usdToNanos(limit), w.now);
  }
  return evaluateBudget({
    amountNanos: usdToNanos(b.amountUsd),
    periodDays: period.days,
    dayIndex: today - period.firstDay,
    spentNanos: spend.spentNanos,
    todayNanos: spend.todayNanos,
    projectedNanos: projected,
    warnAt: b.warnAt,
    limits: {
      ...(b.limits.hourlyUsd !== undefined ? { hourlyNanos: usdToNanos(b.limits.hourlyUsd) } : {}),
      ...(b.limits.dailyUsd !== undefined ? { dailyNanos: usdToNanos(b.limits.dailyUsd) } : {}),
    },
    breakerStates: states,
  });
}
