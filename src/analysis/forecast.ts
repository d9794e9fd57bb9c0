/**
 * Spend forecast from a daily series: weekday-aware, trend-aware, with 80 % and 95 % intervals. Pure: the
 * history, today's spend and the period are passed in; no clock, no I/O. `llmcost forecast` and the
 * budgets' projections both use it.
 *
 * Model, on the last `FIT_DAYS` complete days (fewer when the history is shorter):
 * - the trend is Theil–Sen on pairs of days of the same weekday (the median of their slopes: neither the
 *   weekly rhythm nor a spike or a quiet day tilts it);
 * - on the detrended days, weekday w's median m_w; the level (of the last complete day) is the mean of the
 *   seven m_w, and the weekday factors S_w = m_w / level;
 * - a future day f is predicted as (level + slope·(f − last day)) · S_w, never below 0.
 * Intervals: with σ the robust relative spread of the fit's residuals, the remaining sum R = Σ p_f has
 * variance σ²·(Σ p_f² + (Σ p_f)²/n + (Σ p_f·(f − t̄))²/Sxx) (day noise, level and slope uncertainty),
 * then Z80 / Z95 of it, calibrated by `npm run eval:forecast` on backtests (day-to-day errors of real
 * spend are correlated and heavier-tailed than the independent-noise formula assumes).
 */
import { weekdayOf } from '../lib/time.js';
import { median, robustSigma } from './anomalies.js';

/** Complete days the model is fitted on. */
export const FIT_DAYS = 28;
/**
 * Interval half-widths in units of the parametric sd: the normal z (1.2816, 1.96) widened by factors that
 * `npm run eval:forecast` calibrated on its tuning seeds so the intervals hold the actual month end about as
 * often as they claim (real spend has correlated, heavy-tailed errors: spikes, shifts, new spenders).
 */
const Z80 = 1.2816 * 1.5;
const Z95 = 1.96 * 2.2;

export interface ForecastInput {
  /** Spend per complete local day before today, oldest first: the last entry is yesterday. */
  history: readonly bigint[];
  /** Local day number (days since 1970-01-01) of today. */
  today: number;
  /** Spend so far today. */
  todayNanos: bigint;
  /** Spend in the forecast period so far, today included: the forecast adds to it exactly. */
  spentNanos: bigint;
  /** Last day of the period, inclusive (≥ today). */
  endDay: number;
}

export interface ForecastDay {
  day: number;
  /** Predicted spend of the whole day (today: at least what it has spent). */
  forecastNanos: bigint;
  low80Nanos: bigint;
  high80Nanos: bigint;
  low95Nanos: bigint;
  high95Nanos: bigint;
}

export interface Interval {
  low80Nanos: bigint;
  high80Nanos: bigint;
  low95Nanos: bigint;
  high95Nanos: bigint;
}

export interface ForecastResult extends Interval {
  /** `weekday-trend` with 7+ complete days of history, `flat` (the mean day) with fewer, `none` with no history. */
  method: 'weekday-trend' | 'flat' | 'none';
  spentNanos: bigint;
  /** Spent so far plus the predicted rest of the period. */
  forecastNanos: bigint;
  days: ForecastDay[];
  model: {
    historyDays: number;
    /** The fitted level of the last complete day, in nanos (before weekday factors). */
    levelNanos: bigint;
    /** Trend as a share of the level per day (0.01 = +1 % of the level a day). */
    trendPerDay: number;
    /** Weekday factors, Monday first; all 1 without a weekly fit. */
    weekdayFactors: number[];
    /** Relative spread of a day around the fit. */
    sigma: number;
  };
}

const toNanos = (usd: number): bigint => BigInt(Math.round(Math.max(0, usd) * 1e9));
const usdOf = (n: bigint): number => Number(n) / 1e9;

export function forecast(input: ForecastInput): ForecastResult {
  const hist = input.history.slice(-FIT_DAYS).map(usdOf);
  const n = hist.length;
  const last = input.today - 1; // day number of hist[n - 1]
  const dayOf = (j: number): number => last - (n - 1) + j;
  let factors = [1, 1, 1, 1, 1, 1, 1];
  let level = 0;
  let slope = 0;
  let sigma = 0;
  let method: ForecastResult['method'] = 'none';
  let tMean = 0;
  let sxx = 0;
  const fitN = n;
  if (n >= 7) {
    method = 'weekday-trend';
    const xs = hist.map((_, j) => j - (n - 1));
    // The trend from pairs of the same weekday (7, 14, 21 days apart): the weekly rhythm cannot tilt it.
    const slopes: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 7; j < n; j += 7) slopes.push(((hist[j] ?? 0) - (hist[i] ?? 0)) / (j - i));
    slope = slopes.length > 0 ? median(slopes) : 0;
    const byWeekday: number[][] = Array.from({ length: 7 }, () => []);
    hist.forEach((v, j) => {
      byWeekday[weekdayOf(dayOf(j))]?.push(v - slope * (xs[j] ?? 0));
    });
    const meds = byWeekday.map((l) => Math.max(0, median(l)));
    level = meds.reduce((a, b) => a + b, 0) / 7;
    if (level > 0) factors = meds.map((m) => m / level);
    tMean = xs.reduce((a, b) => a + b, 0) / n;
    sxx = xs.reduce((a, x) => a + (x - tMean) ** 2, 0);
    const residuals: number[] = [];
    hist.forEach((v, j) => {
      const fit = (level + slope * (xs[j] ?? 0)) * (factors[weekdayOf(dayOf(j))] ?? 1);
      if (fit > 0) residuals.push(v / fit - 1);
    });
    sigma = robustSigma(residuals);
  } else if (n > 0) {
    method = 'flat';
    level = hist.reduce((a, b) => a + b, 0) / n;
    sigma = level > 0 ? robustSigma(hist.map((v) => v / level - 1)) : 0;
    // A handful of days says little about the spread: at least 25 % a day.
    sigma = Math.max(sigma, 0.25);
  }
  const predict = (day: number): number => {
    const h = day - last;
    const s = factors[weekdayOf(day)] ?? 1;
    return Math.max(0, (level + slope * h) * s);
  };
  const days: ForecastDay[] = [];
  let rest = 0n;
  let sumP = 0;
  let sumP2 = 0;
  let sumPt = 0;
  const todayUsd = usdOf(input.todayNanos);
  for (let day = input.today; day <= input.endDay; day++) {
    const p = predict(day);
    // Today: the rest of the day is what the model expects beyond what it has already spent.
    const remaining = day === input.today ? Math.max(0, p - todayUsd) : p;
    sumP += remaining;
    sumP2 += remaining * remaining;
    sumPt += remaining * (day - last - tMean);
    const sd = sigma * p * Math.sqrt(1 + (fitN > 0 ? 1 / fitN : 0));
    const floor = day === input.today ? todayUsd : 0;
    const whole = day === input.today ? Math.max(p, todayUsd) : p;
    days.push({
      day,
      forecastNanos: toNanos(whole),
      low80Nanos: toNanos(Math.max(floor, whole - Z80 * sd)),
      high80Nanos: toNanos(Math.max(floor, whole + Z80 * sd)),
      low95Nanos: toNanos(Math.max(floor, whole - Z95 * sd)),
      high95Nanos: toNanos(Math.max(floor, whole + Z95 * sd)),
    });
    rest += toNanos(remaining);
  }
  const variance = sigma ** 2 * (sumP2 + (fitN > 0 ? sumP ** 2 / fitN : 0) + (sxx > 0 ? sumPt ** 2 / sxx : 0));
  const sd = Math.sqrt(variance);
  const spent = input.spentNanos;
  const forecastNanos = spent + rest;
  // The period cannot end below what is already spent.
  const bound = (z: number): bigint => spent + toNanos(usdOf(rest) + z * sd);
  return {
    method,
    spentNanos: spent,
    forecastNanos,
    low80Nanos: bound(-Z80),
    high80Nanos: bound(Z80),
    low95Nanos: bound(-Z95),
    high95Nanos: bound(Z95),
    days,
    model: { historyDays: n, levelNanos: toNanos(level), trendPerDay: level > 0 ? slope / level : 0, weekdayFactors: factors, sigma },
  };
}
