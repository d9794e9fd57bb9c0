/** The forecast report: its JSON contract, its table and the terminal chart. */
import type { ForecastResult } from '../analysis/forecast.js';
import { formatUsd, nanosToDecimal } from '../lib/money.js';
import { dayNumberToIso, isoUtc } from '../lib/time.js';
import type { TableData } from './types.js';

export interface ForecastDayJson {
  date: string;
  /** Spend of the day so far (today) or in full (past days); null for days to come. */
  actualNanos: bigint | null;
  actualUsd: string | null;
  /** Null for past days. */
  forecastNanos: bigint | null;
  forecastUsd: string | null;
  low80Nanos: bigint | null;
  low80Usd: string | null;
  high80Nanos: bigint | null;
  high80Usd: string | null;
  low95Nanos: bigint | null;
  low95Usd: string | null;
  high95Nanos: bigint | null;
  high95Usd: string | null;
}

export interface ForecastEntryJson {
  /** The entity's value with --by; null for the total. */
  name: string | null;
  method: ForecastResult['method'];
  spentNanos: bigint;
  spentUsd: string;
  forecastNanos: bigint;
  forecastUsd: string;
  low80Nanos: bigint;
  low80Usd: string;
  high80Nanos: bigint;
  high80Usd: string;
  low95Nanos: bigint;
  low95Usd: string;
  high95Nanos: bigint;
  high95Usd: string;
  model: { historyDays: number; levelNanos: bigint; levelUsd: string; trendPerDay: number; weekdayFactors: number[]; sigma: number };
  series: ForecastDayJson[];
}

export interface ForecastJson {
  schemaVersion: 1;
  kind: 'forecast';
  timezone: string;
  asOf: string;
  /** The forecast period: the calendar month of today, or --horizon days from today. */
  period: { start: string; end: string; days: number; today: string; horizon: string };
  by: string | null;
  total: ForecastEntryJson;
  entities: ForecastEntryJson[];
}

export interface EntryInput {
  name: string | null;
  result: ForecastResult;
  /** Actual spend per day of the period up to today, by day number. */
  actual: Map<number, bigint>;
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

function entryJson(e: EntryInput, periodStart: number, endDay: number, today: number): ForecastEntryJson {
  const r = e.result;
  const byDay = new Map(r.days.map((d) => [d.day, d]));
  const series: ForecastDayJson[] = [];
  for (let day = periodStart; day <= endDay; day++) {
    const actual = day <= today ? (e.actual.get(day) ?? 0n) : null;
    const f = day >= today ? byDay.get(day) : undefined;
    series.push({
      date: dayNumberToIso(day),
      actualNanos: actual,
      actualUsd: actual === null ? null : nanosToDecimal(actual),
      forecastNanos: f?.forecastNanos ?? null,
      forecastUsd: f ? nanosToDecimal(f.forecastNanos) : null,
      low80Nanos: f?.low80Nanos ?? null,
      low80Usd: f ? nanosToDecimal(f.low80Nanos) : null,
      high80Nanos: f?.high80Nanos ?? null,
      high80Usd: f ? nanosToDecimal(f.high80Nanos) : null,
      low95Nanos: f?.low95Nanos ?? null,
      low95Usd: f ? nanosToDecimal(f.low95Nanos) : null,
      high95Nanos: f?.high95Nanos ?? null,
      high95Usd: f ? nanosToDecimal(f.high95Nanos) : null,
    });
  }
  return {
    name: e.name,
    method: r.method,
    spentNanos: r.spentNanos,
    spentUsd: nanosToDecimal(r.spentNanos),
    forecastNanos: r.forecastNanos,
    forecastUsd: nanosToDecimal(r.forecastNanos),
    low80Nanos: r.low80Nanos,
    low80Usd: nanosToDecimal(r.low80Nanos),
    high80Nanos: r.high80Nanos,
    high80Usd: nanosToDecimal(r.high80Nanos),
    low95Nanos: r.low95Nanos,
    low95Usd: nanosToDecimal(r.low95Nanos),
    high95Nanos: r.high95Nanos,
    high95Usd: nanosToDecimal(r.high95Nanos),
    model: {
      historyDays: r.model.historyDays,
      levelNanos: r.model.levelNanos,
      levelUsd: nanosToDecimal(r.model.levelNanos),
      trendPerDay: round(r.model.trendPerDay, 6),
      weekdayFactors: r.model.weekdayFactors.map((f) => round(f, 4)),
      sigma: round(r.model.sigma, 4),
    },
    series,
  };
}

export function forecastJson(ctx: {
  tz: string;
  now: number;
  periodStart: number;
  endDay: number;
  today: number;
  horizon: string;
  by: string | undefined;
  total: EntryInput;
  entities: EntryInput[];
}): ForecastJson {
  const entry = (e: EntryInput): ForecastEntryJson => entryJson(e, ctx.periodStart, ctx.endDay, ctx.today);
  return {
    schemaVersion: 1,
    kind: 'forecast',
    timezone: ctx.tz,
    asOf: isoUtc(ctx.now),
    period: {
      start: dayNumberToIso(ctx.periodStart),
      end: dayNumberToIso(ctx.endDay),
      days: ctx.endDay - ctx.periodStart + 1,
      today: dayNumberToIso(ctx.today),
      horizon: ctx.horizon,
    },
    by: ctx.by ?? null,
    total: entry(ctx.total),
    entities: ctx.entities.map(entry).sort((a, b) => (b.forecastNanos > a.forecastNanos ? 1 : b.forecastNanos < a.forecastNanos ? -1 : 0)),
  };
}

const METHOD_TEXT: Record<ForecastResult['method'], string> = {
  'weekday-trend': 'weekday + trend',
  flat: 'mean day (under 7 days of history)',
  none: 'no history',
};

export function forecastTables(j: ForecastJson): TableData[] {
  // The first column's key (its CSV header) names the --by dimension.
  const first = j.by ?? 'series';
  const row = (e: ForecastEntryJson) => ({
    [first]: e.name === null ? 'total' : e.name || '(none)',
    spent: e.spentNanos,
    forecast: e.forecastNanos,
    low80: e.low80Nanos,
    high80: e.high80Nanos,
    low95: e.low95Nanos,
    high95: e.high95Nanos,
    method: METHOD_TEXT[e.method],
  });
  const t = j.total;
  const trend = t.model.trendPerDay;
  const left =
    j.period.days - (Number(new Date(`${j.period.today}T00:00:00Z`)) - Number(new Date(`${j.period.start}T00:00:00Z`))) / 86_400_000;
  return [
    {
      title: `Forecast ${j.period.start} to ${j.period.end} (${j.timezone}, as of ${j.asOf.slice(0, 16)}Z)`,
      columns: [
        { key: first, header: j.by ? j.by : 'Series', kind: 'text' },
        { key: 'spent', header: 'Spent so far', kind: 'usd' },
        { key: 'forecast', header: 'Forecast', kind: 'usd' },
        { key: 'low80', header: '80% low', kind: 'usd' },
        { key: 'high80', header: '80% high', kind: 'usd' },
        { key: 'low95', header: '95% low', kind: 'usd' },
        { key: 'high95', header: '95% high', kind: 'usd' },
        { key: 'method', header: 'Method', kind: 'text' },
      ],
      rows: [row(t), ...j.entities.map(row)],
      notes: [
        `${j.period.end}: ${formatUsd(t.forecastNanos)} expected (80%: ${formatUsd(t.low80Nanos)} to ${formatUsd(t.high80Nanos)}; 95%: ${formatUsd(t.low95Nanos)} to ${formatUsd(t.high95Nanos)}), ${formatUsd(t.spentNanos)} spent, ${left} day${left === 1 ? '' : 's'} to go, today included.`,
        `Fitted on ${t.model.historyDays} complete days: level ${formatUsd(t.model.levelNanos)} a day, trend ${trend >= 0 ? '+' : ''}${round(trend * 100, 2)}% of it a day, weekday factors Mon-Sun ${t.model.weekdayFactors.map((f) => f.toFixed(2)).join(' ')}.`,
      ],
    },
  ];
}

/** Days of the period as bars: █ actual, ░ forecast, with the 80 % interval. Drawn on a terminal only. */
export function forecastChart(j: ForecastJson, width = 40): string {
  const days = j.total.series;
  const top = days.reduce((m, d) => {
    const v = d.high80Nanos ?? d.actualNanos ?? 0n;
    const a = d.actualNanos ?? 0n;
    return v > m ? v : a > m ? a : m;
  }, 1n);
  const cells = (n: bigint): number => Number((n * BigInt(width)) / top);
  const lines = ['Daily spend (█ actual, ░ forecast, ┤ 80% high)'];
  for (const d of days) {
    const actual = d.actualNanos ?? 0n;
    const fc = d.forecastNanos ?? 0n;
    const a = cells(actual);
    const f = Math.max(a, cells(fc));
    const hi = d.high80Nanos === null ? -1 : cells(d.high80Nanos);
    const bar = Array.from({ length: width + 1 }, (_, i) => (i < a ? '█' : i < f ? '░' : i === hi ? '┤' : ' ')).join('');
    const value = d.forecastNanos !== null && d.forecastNanos > actual ? `${formatUsd(fc)} (forecast)` : formatUsd(actual);
    lines.push(`${d.date.slice(5)} ${bar} ${value}`);
  }
  return lines.join('\n');
}
