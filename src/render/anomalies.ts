/** The anomalies report: its JSON contract, its tables, and the sentence that names each anomaly's drivers. */
import type { DetectOptions, DriverShare } from '../analysis/anomalies.js';
import type { DriverDimension, ScanFinding, ScanResult } from '../analysis/anomaly-scan.js';
import { formatUsd } from '../lib/money.js';
import { dayNumberToIso, isoUtc } from '../lib/time.js';
import type { TableData } from './types.js';

const nanos = (usd: number): bigint => BigInt(Math.round(usd * 1e9));

export interface DriverJson {
  entity: string;
  actualNanos: bigint;
  expectedNanos: bigint;
  excessNanos: bigint;
  share: number;
  attributedNanos: bigint;
}

export interface AnomalyJson {
  kind: string;
  severity: string;
  /** Local day (YYYY-MM-DD) or local hour (YYYY-MM-DDTHH:00). */
  period: string;
  entity: { dimension: string; name: string } | null;
  actualNanos: bigint;
  expectedNanos: bigint;
  thresholdNanos: bigint;
  excessNanos: bigint;
  excessPct: number | null;
  z: number | null;
  /** New spenders: the spend as a share of the org's total that day; null for other kinds. */
  shareOfTotal: number | null;
  /** Top drivers of a total anomaly per dimension; "combined" entities are "user / model / endpoint". */
  drivers: Partial<Record<DriverDimension, DriverJson[]>> | null;
  summary: string;
}

export interface AnomaliesJson {
  schemaVersion: 1;
  kind: 'anomalies';
  method: string;
  granularity: 'daily' | 'hourly';
  timezone: string;
  by: string | null;
  range: { since: string; until: string };
  params: { k: number; window: number; minHistory: number; minImpactUsd: number; drops: boolean };
  scored: number;
  unscored: number;
  history: { available: number; needed: number; unit: 'days' | 'hours' };
  anomalies: AnomalyJson[];
  verdict: { failOn: string | null; tripped: boolean; insufficientData: boolean; worst: string | null };
}

function periodOf(bucket: number, hourly: boolean): string {
  if (!hourly) return dayNumberToIso(bucket);
  const day = Math.floor(bucket / 24);
  return `${dayNumberToIso(day)}T${String(bucket - day * 24).padStart(2, '0')}:00`;
}

function entityLabel(dimension: DriverDimension, entity: string): string {
  if (dimension !== 'combined') return `${dimension} ${entity || '(none)'}`;
  const [user, model, endpoint] = entity.split('\u241f');
  return `user ${user || '(none)'} on ${model || '(none)'}${endpoint ? ` via endpoint ${endpoint}` : ''}`;
}

/** "+$412.00 over expected; 71% from user bob on claude-3-opus via endpoint /summarize". */
function summarize(f: ScanFinding, hourly: boolean): string {
  const when = periodOf(f.bucket, hourly);
  const who = f.entity ? `${f.entity.dimension} ${f.entity.name || '(none)'}: ` : '';
  const excess = formatUsd(nanos(Math.abs(f.excess)));
  if (f.kind === 'new') {
    const share = f.shareOfTotal === undefined ? '' : ` (${Math.round(f.shareOfTotal * 100)}% of the total)`;
    return `${when}: ${who}new spender, ${formatUsd(nanos(f.actual))}${share} with no history`;
  }
  if (f.kind === 'level-shift') {
    let text = `${when}: ${who}spend level up from ${formatUsd(nanos(f.expected))} to ${formatUsd(nanos(f.actual))} a ${hourly ? 'hour' : 'day'} (+${excess}), from this ${hourly ? 'hour' : 'day'} on`;
    const top = f.drivers?.combined?.[0] ?? f.drivers?.user?.[0];
    if (top && top.share > 0)
      text += `; ${Math.round(top.share * 100)}% from ${entityLabel(f.drivers?.combined?.[0] ? 'combined' : 'user', top.entity)}`;
    return text;
  }
  const dir = f.kind === 'drop' ? `-${excess} under` : `+${excess} over`;
  let text = `${when}: ${who}${dir} expected (${formatUsd(nanos(f.actual))} vs ${formatUsd(nanos(f.expected))})`;
  const top = f.drivers?.combined?.[0] ?? f.drivers?.user?.[0];
  if (top && top.share > 0 && f.kind === 'spike') {
    text += `; ${Math.round(top.share * 100)}% from ${entityLabel(f.drivers?.combined?.[0] ? 'combined' : 'user', top.entity)}`;
  }
  return text;
}

/** The top five drivers with a positive share, then one "(others)" row so attributed amounts add up to the excess. */
function driversJson(dimension: string, list: readonly DriverShare[]): DriverJson[] {
  const positive = list.filter((x) => x.share > 0);
  const row = (entity: string, xs: readonly DriverShare[]): DriverJson => ({
    entity,
    actualNanos: nanos(xs.reduce((a, x) => a + x.actual, 0)),
    expectedNanos: nanos(xs.reduce((a, x) => a + x.expected, 0)),
    excessNanos: nanos(xs.reduce((a, x) => a + x.excess, 0)),
    share: Math.round(xs.reduce((a, x) => a + x.share, 0) * 10000) / 10000,
    attributedNanos: nanos(xs.reduce((a, x) => a + x.attributed, 0)),
  });
  const top = positive.slice(0, 5).map((x) => row(dimension === 'combined' ? x.entity.split('\u241f').join(' / ') : x.entity, [x]));
  const rest = positive.slice(5);
  if (rest.length > 0) top.push(row(`(${rest.length} others)`, rest));
  return top;
}

export function anomaliesJson(
  r: ScanResult,
  ctx: {
    tz: string;
    hourly: boolean;
    method: string;
    options: DetectOptions;
    by: string | undefined;
    since: number;
    until: number;
    failOn: string | undefined;
    tripped: boolean;
    insufficient: boolean;
  },
): AnomaliesJson {
  return {
    schemaVersion: 1,
    kind: 'anomalies',
    method: ctx.method,
    granularity: ctx.hourly ? 'hourly' : 'daily',
    timezone: ctx.tz,
    by: ctx.by ?? null,
    range: { since: isoUtc(ctx.since), until: isoUtc(ctx.until) },
    params: {
      k: ctx.options.k,
      window: ctx.options.window,
      minHistory: ctx.options.minHistory,
      minImpactUsd: ctx.options.minImpact,
      drops: ctx.options.drops,
    },
    scored: r.scored,
    unscored: r.unscored,
    history: { ...r.history, unit: ctx.hourly ? 'hours' : 'days' },
    anomalies: r.findings.map((f) => ({
      kind: f.kind,
      severity: f.severity,
      period: periodOf(f.bucket, ctx.hourly),
      entity: f.entity ?? null,
      actualNanos: nanos(f.actual),
      expectedNanos: nanos(f.expected),
      thresholdNanos: nanos(f.threshold),
      excessNanos: nanos(f.excess),
      excessPct: f.excessPct === null ? null : Math.round(f.excessPct * 10000) / 10000,
      z: f.z === null ? null : Math.round(f.z * 100) / 100,
      shareOfTotal: f.shareOfTotal === undefined ? null : Math.round(f.shareOfTotal * 10000) / 10000,
      drivers: f.drivers ? Object.fromEntries(Object.entries(f.drivers).map(([d, list]) => [d, driversJson(d, list)])) : null,
      summary: summarize(f, ctx.hourly),
    })),
    verdict: {
      failOn: ctx.failOn ?? null,
      tripped: ctx.tripped,
      insufficientData: ctx.insufficient,
      worst: r.findings.some((f) => f.severity === 'critical') ? 'critical' : r.findings.length ? 'warning' : null,
    },
  };
}

/** `trends`: one sparkline per anomaly (its series over the 14 days or hours up to it), drawn on a terminal only. */
export function anomaliesTables(j: AnomaliesJson, trends?: string[]): TableData[] {
  const notes = j.anomalies.map((a) => a.summary);
  if (j.anomalies.length === 0)
    notes.push(j.verdict.insufficientData ? 'Too little history to judge.' : `No anomalies in ${j.scored} scored ${j.history.unit}.`);
  notes.push(
    `Method ${j.method}: k = ${j.params.k}, window ${j.params.window} ${j.history.unit}, minimum impact $${j.params.minImpactUsd} (${j.timezone}).`,
  );
  return [
    {
      title: `Anomalies (${j.granularity}${j.by ? `, total and by ${j.by}` : ''})`,
      empty: '(none)',
      columns: [
        { key: 'period', header: j.granularity === 'hourly' ? 'Hour' : 'Date', kind: 'text' },
        { key: 'kind', header: 'Kind', kind: 'text' },
        { key: 'severity', header: 'Severity', kind: 'text' },
        { key: 'entity', header: 'Series', kind: 'text' },
        { key: 'actual', header: 'Actual', kind: 'usd' },
        { key: 'expected', header: 'Expected', kind: 'usd' },
        { key: 'excess', header: 'Excess', kind: 'usd' },
        { key: 'pct', header: 'Excess %', kind: 'text' },
        { key: 'z', header: 'z', kind: 'text' },
        { key: 'driver', header: 'Top driver', kind: 'text' },
        ...(trends ? [{ key: 'trend', header: `Last 14 ${j.history.unit}`, kind: 'text' as const, drop: 1 }] : []),
      ],
      rows: j.anomalies.map((a, i) => {
        const top = a.drivers?.combined?.[0];
        return {
          period: a.period,
          kind: a.kind,
          severity: a.severity,
          entity: a.entity ? `${a.entity.dimension} ${a.entity.name}` : 'total',
          actual: a.actualNanos,
          expected: a.expectedNanos,
          excess: a.excessNanos,
          pct: a.excessPct === null ? '' : `${a.excessPct > 0 ? '+' : ''}${Math.round(a.excessPct * 100)}%`,
          z: a.z === null ? '' : a.z.toFixed(1),
          driver: top ? `${top.entity} (${Math.round(top.share * 100)}%)` : '',
          trend: trends?.[i],
        };
      }),
      notes,
    },
  ];
}
