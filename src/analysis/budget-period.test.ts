import { describe, expect, it } from 'vitest';
import { dayNumber } from '../lib/time.js';
import { breakerWindowsOf, budgetAt, periodAt, rollingDays, spendWindows } from './budget-period.js';

const at = (iso: string): number => Date.parse(iso);

describe('periodAt', () => {
  it('gives today, the ISO week (Monday first) and the month containing now, in the zone', () => {
    const now = at('2026-10-15T22:30:00Z'); // a Thursday; already Friday 16 October in Berlin
    expect(periodAt('daily', now, 'UTC')).toEqual({
      start: at('2026-10-15T00:00:00Z'),
      end: at('2026-10-16T00:00:00Z'),
      firstDay: dayNumber('2026-10-15'),
      days: 1,
    });
    expect(periodAt('daily', now, 'Europe/Berlin').firstDay).toBe(dayNumber('2026-10-16'));
    expect(periodAt('weekly', now, 'UTC')).toMatchObject({ start: at('2026-10-12T00:00:00Z'), days: 7 });
    expect(periodAt('monthly', now, 'Europe/Berlin')).toMatchObject({ start: at('2026-09-30T22:00:00Z'), days: 31 });
    expect(periodAt('monthly', at('2026-12-31T12:00:00Z'), 'UTC')).toMatchObject({ end: at('2027-01-01T00:00:00Z'), days: 31 });
  });

  it('gives a rolling window of N local days ending today, as --since 30d reads', () => {
    const now = at('2026-10-15T22:30:00Z');
    expect(periodAt('30d', now, 'UTC')).toEqual({
      start: at('2026-09-16T00:00:00Z'),
      end: at('2026-10-16T00:00:00Z'),
      firstDay: dayNumber('2026-09-16'),
      days: 30,
    });
    expect(periodAt('1d', now, 'UTC')).toEqual(periodAt('daily', now, 'UTC'));
    expect(periodAt('7d', now, 'Europe/Berlin')).toMatchObject({ start: at('2026-10-09T22:00:00Z'), days: 7 });
    expect(rollingDays('30d')).toBe(30);
    expect(rollingDays('monthly')).toBeUndefined();
  });

  it('judges a rolling budget on the whole window: the spend so far is the projection', () => {
    const now = at('2026-10-15T12:00:00Z');
    const r = budgetAt(
      { name: 'r', period: '30d', amountUsd: 100, scope: {}, warnAt: [1], limits: {}, perUser: false },
      periodAt('30d', now, 'UTC'),
      spendWindows(now, 'UTC'),
      { spentNanos: 120_000_000_000n, todayNanos: 0n, history: [] },
    );
    expect(r).toMatchObject({ status: 'exceeded', projectedLinearNanos: 120_000_000_000n, remainingDays: 1 });
  });
});

describe('budgetAt', () => {
  const budget = {
    name: 'b',
    period: 'monthly' as const,
    amountUsd: 100,
    scope: {},
    warnAt: [0.5, 0.8, 1],
    limits: { hourlyUsd: 1 },
    perUser: false,
  };
  const now = at('2026-10-15T12:00:00Z');

  it('judges the spend so far against the whole period and replays the latched hourly breaker', () => {
    const r = budgetAt(budget, periodAt('monthly', now, 'UTC'), spendWindows(now, 'UTC'), {
      spentNanos: 60_000_000_000n,
      todayNanos: 2_000_000_000n,
      history: [],
      // $1.50 in the 11:00 clock hour, nothing since: the breaker opened at 11:00 and holds through 12:00-13:00.
      breakers: {
        hourly: (breakerWindowsOf(budget, now, 'UTC').hourly ?? []).map((w) => ({
          ...w,
          spendNanos: w.start === at('2026-10-15T11:00:00Z') ? 1_500_000_000n : 0n,
        })),
      },
    });
    expect(r).toMatchObject({ amountNanos: 100_000_000_000n, spentNanos: 60_000_000_000n });
    expect(r.breakers.hourly).toEqual({
      limitNanos: 1_000_000_000n,
      actualNanos: 0n,
      tripped: true,
      state: 'open',
      openedAt: '2026-10-15T11:00:00.000Z',
      closesNoEarlierThan: '2026-10-15T13:00:00.000Z',
    });
  });

  it('projects with the forecaster: a steady weekly rhythm continues to the end of the month', () => {
    // Wednesday 2026-10-14 noon; the 28 days before: $10 each working day, $2 each weekend day; today $4 so far.
    const wed = at('2026-10-14T12:00:00Z');
    const today = dayNumber('2026-10-14');
    const history = Array.from({ length: 28 }, (_, i) => {
      const day = today - 28 + i;
      const weekend = (day + 3) % 7 >= 5;
      return { day, costNanos: (weekend ? 2n : 10n) * 1_000_000_000n };
    });
    const r = budgetAt(budget, periodAt('monthly', wed, 'UTC'), spendWindows(wed, 'UTC'), {
      spentNanos: 102_000_000_000n, // Oct 1-13 and today's $4
      todayNanos: 4_000_000_000n,
      history,
    });
    // The rest of today ($6), Oct 15-31: 12 working days × $10 and 5 weekend days × $2 = $130; $102 + $136.
    expect(r.projectedWeekdayNanos).toBe(238_000_000_000n);
    expect(r.forecastExceeds).toBe(true);
  });
});
