import { describe, expect, it } from 'vitest';
import { fixture, json, sandbox } from '../helpers/cli.js';

type Entry = {
  name: string | null;
  method: string;
  spentNanos: number;
  spentUsd: string;
  forecastNanos: number;
  forecastUsd: string;
  low80Nanos: number;
  high80Nanos: number;
  low95Nanos: number;
  high95Nanos: number;
  model: { historyDays: number; trendPerDay: number; weekdayFactors: number[]; sigma: number };
  series: { date: string; actualNanos: number | null; forecastNanos: number | null; forecastUsd: string | null }[];
};
type Forecast = {
  kind: string;
  period: { start: string; end: string; days: number; today: string; horizon: string };
  by: string | null;
  total: Entry;
  entities: Entry[];
};

const USD = 1_000_000_000;

describe('forecast', () => {
  const NOW = { LLMCOST_NOW: '2026-10-05T12:00:00Z' };

  it('forecasts the month end of a steady weekly rhythm exactly, total and per user', () => {
    const sb = sandbox();
    try {
      expect(sb.run(['ingest', fixture('csv/forecast-weekly.csv'), '--json']).status).toBe(0);
      const r = sb.run(['forecast', '--by', 'user', '--tz', 'UTC', '--json'], { env: NOW });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      const j = json<Forecast>(r);
      expect(j).toMatchObject({
        kind: 'forecast',
        period: { start: '2026-10-01', end: '2026-10-31', days: 31, today: '2026-10-05', horizon: 'month' },
        by: 'user',
      });
      // Spent: Oct 1-2 (Thu, Fri) $12 each, Oct 3-4 $2 each, today alice's $4 = $32. The rest: today's other $8,
      // then 19 working days × $12 and 7 weekend days × $2 = $242. A steady rhythm has no spread: the
      // intervals have no width.
      expect(j.total).toMatchObject({
        method: 'weekday-trend',
        spentNanos: 32 * USD,
        spentUsd: '32.000000000',
        forecastNanos: 282 * USD,
        forecastUsd: '282.000000000',
        low80Nanos: 282 * USD,
        high95Nanos: 282 * USD,
        model: { historyDays: 28, trendPerDay: 0, sigma: 0 },
      });
      expect(j.total.series).toHaveLength(31);
      expect(j.total.series[3]).toMatchObject({ date: '2026-10-04', actualNanos: 2 * USD, forecastNanos: null });
      expect(j.total.series[4]).toMatchObject({ date: '2026-10-05', actualNanos: 4 * USD, forecastNanos: 12 * USD });
      expect(j.total.series[9]).toMatchObject({
        date: '2026-10-10',
        actualNanos: null,
        forecastNanos: 2 * USD,
        forecastUsd: '2.000000000',
      });
      expect(j.entities.map((e) => [e.name, e.spentNanos, e.forecastNanos])).toEqual([
        ['alice', 24 * USD, 220 * USD],
        ['bob', 8 * USD, 62 * USD],
      ]);
      expect(j.entities[0]?.model.weekdayFactors).toEqual([1.4, 1.4, 1.4, 1.4, 1.4, 0, 0]);
    } finally {
      sb.dispose();
    }
  });

  it('forecasts --horizon days from today, and prints a table with the figures', () => {
    const sb = sandbox();
    try {
      expect(sb.run(['ingest', fixture('csv/forecast-weekly.csv'), '--json']).status).toBe(0);
      const j = json<Forecast>(sb.run(['forecast', '--horizon', '7d', '--tz', 'UTC', '--json'], { env: NOW }));
      // Today (spent $4, forecast $12) through Sunday: 5 working days × $12 + 2 × $2 = $64.
      expect(j.period).toEqual({ start: '2026-10-05', end: '2026-10-11', days: 7, today: '2026-10-05', horizon: '7d' });
      expect(j.total).toMatchObject({ spentNanos: 4 * USD, forecastNanos: 64 * USD });
      const table = sb.run(['forecast', '--tz', 'UTC'], { env: NOW });
      expect(table.status).toBe(0);
      expect(table.stdout).toContain(
        '2026-10-31: $282.00 expected (80%: $282.00 to $282.00; 95%: $282.00 to $282.00), $32.00 spent, 27 days to go, today included.',
      );
      expect(table.stdout).not.toContain('Daily spend'); // the chart is for terminals
      expect(sb.run(['forecast', '--tz', 'UTC', '--format', 'csv'], { env: NOW }).stdout.split('\n')[0]).toBe(
        'series,spent,forecast,low80,high80,low95,high95,method',
      );
      // With --by, the first CSV column is named after the dimension.
      expect(sb.run(['forecast', '--tz', 'UTC', '--by', 'model', '--format', 'csv'], { env: NOW }).stdout.split('\n')[0]).toBe(
        'model,spent,forecast,low80,high80,low95,high95,method',
      );
    } finally {
      sb.dispose();
    }
  });

  it('exits 3 when there is no usage in the fitting window and the period', () => {
    const sb = sandbox();
    try {
      expect(sb.run(['ingest', fixture('csv/forecast-weekly.csv'), '--json']).status).toBe(0);
      const r = sb.run(['forecast', '--tz', 'UTC', '--json'], { env: { LLMCOST_NOW: '2027-03-15T12:00:00Z' } });
      expect(r.status).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'llmcost: No usage between 2027-02-15T00:00:00.000Z and 2027-03-15T12:00:00.000Z: the data covers 2026-09-07 to 2026-10-05 (UTC).\n  Ingest recent usage: the forecast is fitted on the 28 days before today.\n',
      );
      const empty = sandbox();
      try {
        expect(empty.run(['forecast', '--json']).status).toBe(3);
      } finally {
        empty.dispose();
      }
    } finally {
      sb.dispose();
    }
  });

  it('exits 3 when the logs stopped inside the fitting window, rather than forecasting the days since as $0', () => {
    const sb = sandbox();
    try {
      expect(sb.run(['ingest', fixture('csv/forecast-weekly.csv'), '--json']).status).toBe(0);
      // The last row is 2026-10-05T09:05Z; 10 days later the window still holds 18 days of data.
      const env = { LLMCOST_NOW: '2026-10-15T12:00:00Z' };
      const r = sb.run(['forecast', '--tz', 'UTC', '--json'], { env });
      expect(r.status).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'llmcost: The newest usage is from 2026-10-05 (10 days before now): a forecast would fit the days since as $0 spend.\n  Ingest the newer usage (or check the pipeline that writes it), or give --max-age to accept a longer gap.\n',
      );
      // Within --max-age the forecast runs, and the quiet days count as the zeros they were.
      const quiet = sb.run(['forecast', '--tz', 'UTC', '--json', '--max-age', '11d'], { env });
      expect(quiet.status).toBe(0);
      expect(json<Forecast>(quiet).period.today).toBe('2026-10-15');
      expect(sb.run(['forecast', '--tz', 'UTC', '--max-age', 'soon'], { env }).status).toBe(2);
    } finally {
      sb.dispose();
    }
  });

  it('rejects a bad --horizon', () => {
    const sb = sandbox();
    try {
      const r = sb.run(['forecast', '--horizon', '12h']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('Expected whole days from 1d to 366d, e.g. 30d.');
    } finally {
      sb.dispose();
    }
  });
});
