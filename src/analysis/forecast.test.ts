import { describe, expect, it } from 'vitest';
import { dayNumber, weekdayOf } from '../lib/time.js';
import { forecast } from './forecast.js';

const USD = 1_000_000_000n;
const MONDAY = dayNumber('2026-10-05');
const usd = (n: number): bigint => BigInt(Math.round(n * 1e9));

describe('forecast', () => {
  it('a constant series gives a flat forecast with zero-width intervals, and adds exactly to the spend so far', () => {
    // 28 days of $10, forecast on a Monday at midnight through the next Sunday.
    const r = forecast({ history: Array(28).fill(10n * USD), today: MONDAY, todayNanos: 0n, spentNanos: 40n * USD, endDay: MONDAY + 6 });
    expect(r.method).toBe('weekday-trend');
    expect(r.days.map((d) => d.forecastNanos)).toEqual(Array(7).fill(10n * USD));
    expect(r.forecastNanos).toBe(110n * USD);
    expect([r.low80Nanos, r.high80Nanos, r.low95Nanos, r.high95Nanos]).toEqual(Array(4).fill(110n * USD));
    expect(r.model).toMatchObject({ levelNanos: 10n * USD, trendPerDay: 0, sigma: 0 });
  });

  it('reproduces a weekly pattern', () => {
    // Working days $100, weekends $20; four weeks ending on a Sunday.
    const history = Array.from({ length: 28 }, (_, i) => (weekdayOf(MONDAY - 28 + i) >= 5 ? 20n : 100n) * USD);
    const r = forecast({ history, today: MONDAY, todayNanos: 0n, spentNanos: 0n, endDay: MONDAY + 13 });
    expect(r.days.map((d) => Number(d.forecastNanos / USD))).toEqual([100, 100, 100, 100, 100, 20, 20, 100, 100, 100, 100, 100, 20, 20]);
    expect(r.forecastNanos).toBe(1080n * USD);
    expect(r.model.weekdayFactors.map((f) => Math.round(f * 1000) / 1000)).toEqual([1.296, 1.296, 1.296, 1.296, 1.296, 0.259, 0.259]);
  });

  it('follows a trend, and a spike does not tilt it', () => {
    // $100 growing $2 a day (every day alike), one $900 day in the middle.
    const history = Array.from({ length: 28 }, (_, i) => usd(100 + 2 * i + (i === 14 ? 800 : 0)));
    const r = forecast({ history, today: MONDAY, todayNanos: 0n, spentNanos: 0n, endDay: MONDAY + 2 });
    // The last complete day is worth 154; the next three 156, 158, 160.
    expect(r.days.map((d) => Math.round(Number(d.forecastNanos) / 1e9))).toEqual([156, 158, 160]);
    expect(r.model.trendPerDay).toBeCloseTo(2 / 154, 3);
  });

  it('counts what today has already spent, and its whole-nano arithmetic is exact', () => {
    // $10.000000001 a day; today has spent $4.5 of its expected $10.000000001; the month so far $1,234.567891234.
    const day = 10_000_000_001n;
    const r = forecast({
      history: Array(28).fill(day),
      today: MONDAY,
      todayNanos: 4_500_000_000n,
      spentNanos: 1_234_567_891_234n,
      endDay: MONDAY + 3,
    });
    expect(r.days.map((d) => d.forecastNanos)).toEqual([day, day, day, day]);
    // spent + the rest of today + three whole days.
    expect(r.forecastNanos).toBe(1_234_567_891_234n + (day - 4_500_000_000n) + 3n * day);
    // A day that has already spent more than expected is forecast at what it spent.
    const over = forecast({ history: Array(28).fill(day), today: MONDAY, todayNanos: 25n * USD, spentNanos: 25n * USD, endDay: MONDAY });
    expect(over.days[0]?.forecastNanos).toBe(25n * USD);
    expect(over.forecastNanos).toBe(25n * USD);
  });

  it('has intervals that widen with noise, nest, and never go below the spend so far', () => {
    const history = Array.from({ length: 28 }, (_, i) => usd(100 * (1 + 0.2 * Math.sin(i * 2.1))));
    const r = forecast({ history, today: MONDAY, todayNanos: 0n, spentNanos: 500n * USD, endDay: MONDAY + 20 });
    expect(r.low95Nanos).toBeLessThan(r.low80Nanos);
    expect(r.low80Nanos).toBeLessThan(r.forecastNanos);
    expect(r.forecastNanos).toBeLessThan(r.high80Nanos);
    expect(r.high80Nanos).toBeLessThan(r.high95Nanos);
    expect(r.low95Nanos).toBeGreaterThanOrEqual(500n * USD);
  });

  it('falls back to the mean day with a short history, and to nothing without one', () => {
    const short = forecast({ history: [usd(10), usd(20), usd(30)], today: MONDAY, todayNanos: 0n, spentNanos: 0n, endDay: MONDAY + 1 });
    expect(short).toMatchObject({ method: 'flat', forecastNanos: 40n * USD });
    const none = forecast({ history: [], today: MONDAY, todayNanos: 3n * USD, spentNanos: 3n * USD, endDay: MONDAY + 1 });
    expect(none).toMatchObject({ method: 'none', forecastNanos: 3n * USD });
  });
});
