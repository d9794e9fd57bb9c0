import { describe, expect, it } from 'vitest';
import { type BudgetInput, evaluateBudget, gateOf, isOverrun, statusOf } from './budget.js';

const USD = 1_000_000_000n;
const input = (over: Partial<BudgetInput> = {}): BudgetInput => ({
  amountNanos: 300n * USD,
  periodDays: 30,
  dayIndex: 9, // the 10th of a 30-day month
  spentNanos: 100n * USD,
  todayNanos: 5n * USD,
  lastHourNanos: 1n * USD,
  projectedNanos: undefined,
  warnAt: [0.5, 0.8, 1],
  limits: {},
  ...over,
});

describe('pace and projection', () => {
  it('10 days into a $300 30-day month with $100 spent: expected $100, pace 1.0, linear projection $300', () => {
    const r = evaluateBudget(input());
    expect(r).toMatchObject({
      expectedNanos: 100n * USD,
      pace: 1,
      projectedLinearNanos: 300n * USD,
      remainingNanos: 200n * USD,
      remainingDays: 21,
      status: 'on-track',
      forecastExceeds: false,
      thresholdsCrossed: [],
    });
    expect(r.dailyBudgetLeftNanos).toBe(9_523_809_524n); // $200 / 21 days, rounded to the nano
  });

  it('counts the first day as a whole day, so a check just after midnight is not a false alarm', () => {
    const r = evaluateBudget(input({ dayIndex: 0, spentNanos: 12n * USD }));
    // expected $300 × 1/30 = $10 → pace 1.2: still on track.
    expect(r).toMatchObject({
      expectedNanos: 10n * USD,
      pace: 1.2,
      status: 'on-track',
      projectedLinearNanos: 360n * USD,
      forecastExceeds: true,
    });
  });

  it('handles the last day of February in a leap year', () => {
    const r = evaluateBudget(input({ periodDays: 29, dayIndex: 28, spentNanos: 290n * USD }));
    expect(r).toMatchObject({ expectedNanos: 300n * USD, remainingDays: 1, status: 'on-track', projectedLinearNanos: 290n * USD });
  });

  it("takes the forecaster's projection when there is history, and gates on it", () => {
    const r = evaluateBudget(input({ projectedNanos: 310n * USD }));
    expect(r).toMatchObject({ projectedWeekdayNanos: 310n * USD, projectedLinearNanos: 300n * USD, forecastExceeds: true });
    expect(gateOf(r, 'forecast')).toEqual({ code: 'forecast' });
  });
});

describe('status boundaries (the seed guide: 0.5, 1.2, 1.5, then overrun)', () => {
  it.each([
    [49n, 100n, 'under-utilized'],
    [50n, 100n, 'on-track'],
    [120n, 100n, 'on-track'],
    [121n, 100n, 'warning'],
    [150n, 100n, 'warning'],
    [151n, 100n, 'critical'],
  ])('spent %s of expected %s → %s', (spent, expected, status) => {
    expect(statusOf(spent, 1000n, Number(spent) / Number(expected))).toBe(status);
  });
  it('is exceeded only once spend is over the budget', () => {
    expect(statusOf(1000n, 1000n, 2)).toBe('critical');
    expect(statusOf(1001n, 1000n, 0.1)).toBe('exceeded');
  });
});

describe('gates', () => {
  it('always trips on an exceeded budget or a tripped circuit breaker', () => {
    expect(gateOf(evaluateBudget(input({ spentNanos: 301n * USD })), 'exceeded')).toEqual({ code: 'exceeded' });
    const hot = evaluateBudget(input({ lastHourNanos: 6n * USD, limits: { hourlyNanos: 5n * USD } }));
    expect(hot.breakers.hourly).toEqual({
      limitNanos: 5n * USD,
      actualNanos: 6n * USD,
      tripped: true,
      state: 'open',
      openedAt: null,
      closesNoEarlierThan: null,
    });
    expect(gateOf(hot, 'exceeded')).toEqual({ code: 'hourly-limit' });
    expect(isOverrun({ code: 'hourly-limit' })).toBe(true);
    const daily = evaluateBudget(input({ todayNanos: 9n * USD, limits: { dailyNanos: 8n * USD } }));
    expect(gateOf(daily, 'exceeded')).toEqual({ code: 'daily-limit' });
    expect(isOverrun({ code: 'daily-limit' })).toBe(true);
    expect(hot.actions).toContain('INVESTIGATE_RUNAWAY');
  });
  it('trips on forecast or warning only when asked', () => {
    const fast = evaluateBudget(input({ spentNanos: 130n * USD })); // pace 1.3, projection $390
    expect(fast.status).toBe('warning');
    expect(gateOf(fast, 'exceeded')).toBeUndefined();
    expect(gateOf(fast, 'forecast')).toEqual({ code: 'forecast' });
    expect(isOverrun({ code: 'forecast' })).toBe(false);
    expect(gateOf(fast, 'warning')).toEqual({ code: 'forecast' });
    expect(gateOf(evaluateBudget(input({ dayIndex: 25, spentNanos: 250n * USD })), 'warning')).toEqual({
      code: 'threshold',
      threshold: 0.8,
    });
  });
});
