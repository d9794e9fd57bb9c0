/** `llmcost health`: its JSON contract and its table. */
import type { HealthResult, HealthRow } from '../analysis/health.js';
import type { ColumnDimension } from '../core/types.js';
import { BUCKET_ERROR } from '../lib/latency.js';
import { nanosToDecimal } from '../lib/money.js';
import { DIM_HEADERS, rangeJson } from './report.js';
import type { Cell, Column, TableData } from './types.js';

/** A figure the stored data does not carry for any request in the range. */
export type HealthFigure = 'failures' | 'cacheHits' | 'latency';

export interface HealthRowJson {
  /** The --by value; "total" on the totals row. */
  key: string;
  requests: number;
  costNanos: bigint;
  costUsd: string;
  /** null: not in the data (no status for these requests). */
  failures: number | null;
  failureRate: number | null;
  /** Requests that carry a status: the failure rate's denominator. */
  statusRequests: number;
  cacheHits: number | null;
  cacheHitRate: number | null;
  /** Requests that carry a gateway cache flag: the hit rate's denominator. */
  cacheRequests: number;
  /** The hits' tokens priced with the catalog as if a provider had served them. */
  cacheAvoidedNanos: bigint | null;
  cacheAvoidedUsd: string | null;
  /** Hits on models without a catalog price, left out of the avoided cost. */
  cacheAvoidedUnpricedRequests: number;
  promptCacheReadShare: number | null;
  promptCacheSavedNanos: bigint;
  promptCacheSavedUsd: string;
  latencyRequests: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

export interface HealthJson {
  schemaVersion: 1;
  kind: 'health';
  groupBy: ColumnDimension | null;
  timezone: string;
  range: { since: string | null; until: string | null };
  target: { cacheHitRate: number; actual: number | null; met: boolean | null };
  /** Figures no request in the range carries (reported as null, not 0). */
  notInData: HealthFigure[];
  /** Largest relative error of the latency percentiles (log-bucket histograms), plus half a millisecond. */
  latencyBucketError: number;
  rows: HealthRowJson[];
  total: HealthRowJson;
}

function healthRowJson(r: HealthRow): HealthRowJson {
  return {
    key: r.key,
    requests: r.requests,
    costNanos: r.costNanos,
    costUsd: nanosToDecimal(r.costNanos),
    failures: r.failures,
    failureRate: r.failureRate,
    statusRequests: r.statusRequests,
    cacheHits: r.cacheHits,
    cacheHitRate: r.cacheHitRate,
    cacheRequests: r.cacheRequests,
    cacheAvoidedNanos: r.cacheAvoidedNanos,
    cacheAvoidedUsd: r.cacheAvoidedNanos === null ? null : nanosToDecimal(r.cacheAvoidedNanos),
    cacheAvoidedUnpricedRequests: r.cacheAvoidedUnpriced,
    promptCacheReadShare: r.promptCacheReadShare,
    promptCacheSavedNanos: r.promptCacheSavedNanos,
    promptCacheSavedUsd: nanosToDecimal(r.promptCacheSavedNanos),
    latencyRequests: r.latencyRequests,
    latencyP50Ms: r.latencyP50Ms,
    latencyP95Ms: r.latencyP95Ms,
  };
}

function notInData(total: HealthRow): HealthFigure[] {
  const out: HealthFigure[] = [];
  if (total.failures === null) out.push('failures');
  if (total.cacheHits === null) out.push('cacheHits');
  if (total.latencyRequests === 0) out.push('latency');
  return out;
}

export function healthJson(
  result: HealthResult,
  ctx: { by: ColumnDimension | undefined; tz: string; range: { since?: number; until?: number } },
): HealthJson {
  return {
    schemaVersion: 1,
    kind: 'health',
    groupBy: ctx.by ?? null,
    timezone: ctx.tz,
    range: rangeJson(ctx.range),
    target: result.target,
    notInData: notInData(result.total),
    latencyBucketError: Math.round(BUCKET_ERROR * 10000) / 10000,
    rows: result.rows.map(healthRowJson),
    total: healthRowJson(result.total),
  };
}

const NOT_IN_DATA = 'not in the data';

const pct = (v: number | null): string => (v === null ? NOT_IN_DATA : `${(v * 100).toFixed(1)}%`);
const ms = (v: number | null): string => (v === null ? NOT_IN_DATA : `${v} ms`);

function cells(r: HealthRowJson): Record<string, Cell> {
  return {
    key: r.key === '' ? '(none)' : r.key,
    requests: r.requests,
    cost: r.costNanos,
    failures: r.failures ?? NOT_IN_DATA,
    failureRate: r.failureRate,
    cacheHits: r.cacheHits ?? NOT_IN_DATA,
    cacheHitRate: r.cacheHitRate,
    avoided: r.cacheAvoidedNanos ?? NOT_IN_DATA,
    promptShare: r.promptCacheReadShare,
    promptSaved: r.promptCacheSavedNanos,
    p50: r.latencyP50Ms,
    p95: r.latencyP95Ms,
  };
}

/** Human cells: "not in the data" where a figure is missing (machine formats leave those cells empty). */
function humanCells(r: HealthRowJson): Record<string, Cell> {
  return {
    ...cells(r),
    failureRate: pct(r.failureRate),
    cacheHitRate: pct(r.cacheHitRate),
    promptShare: r.promptCacheReadShare === null ? '—' : pct(r.promptCacheReadShare),
    p50: ms(r.latencyP50Ms),
    p95: ms(r.latencyP95Ms),
  };
}

/** One table: a row per group and the total (csv: the rows only, rates as fractions, missing figures empty). */
export function healthTable(json: HealthJson, human: boolean): TableData {
  const columns: Column[] = [
    { key: 'key', header: json.groupBy ? DIM_HEADERS[json.groupBy] : 'Scope', kind: 'text' },
    { key: 'requests', header: 'Requests', kind: 'int' },
    { key: 'cost', header: 'Cost', kind: 'usd' },
    { key: 'failures', header: 'Failures', kind: 'int' },
    { key: 'failureRate', header: 'Failure rate', kind: human ? 'text' : 'pct' },
    { key: 'cacheHits', header: 'Cache hits', kind: 'int' },
    { key: 'cacheHitRate', header: 'Hit rate', kind: human ? 'text' : 'pct' },
    { key: 'avoided', header: 'Avoided by cache', kind: 'usd' },
    { key: 'promptShare', header: 'Prompt-cache share', kind: human ? 'text' : 'pct' },
    { key: 'promptSaved', header: 'Prompt-cache saved', kind: 'usd' },
    { key: 'p50', header: human ? 'p50 latency' : 'p50 latency ms', kind: human ? 'text' : 'int' },
    { key: 'p95', header: human ? 'p95 latency' : 'p95 latency ms', kind: human ? 'text' : 'int' },
  ];
  const toCells = human ? humanCells : cells;
  const grouped = json.groupBy !== null;
  const rows = grouped ? json.rows.map(toCells) : [toCells({ ...json.total, key: 'all' })];
  if (!human && !grouped) {
    const only = rows[0];
    if (only) {
      for (const k of ['failures', 'cacheHits', 'avoided'] as const) if (only[k] === NOT_IN_DATA) only[k] = null;
    }
  } else if (!human) {
    for (const r of rows) for (const k of ['failures', 'cacheHits', 'avoided'] as const) if (r[k] === NOT_IN_DATA) r[k] = null;
  }
  const t = json.target;
  const notes = [
    `Target (seed guide): gateway cache hit rate ≥ ${pct(t.cacheHitRate)} overall; actual ${pct(t.actual)}${
      t.met === null ? '' : t.met ? ' (met)' : ' (below target)'
    }.`,
  ];
  if (json.notInData.length > 0) {
    const words = { failures: 'request status', cacheHits: 'gateway cache flag', latency: 'latency' } as const;
    notes.push(`Not in the data for this range: ${json.notInData.map((f) => words[f]).join(', ')} (shown as "not in the data", not 0).`);
  }
  notes.push(
    `Latency p50/p95 from log-spaced buckets (within ${(json.latencyBucketError * 100).toFixed(1)}% + 0.5 ms); cache hits priced as if served, at catalog prices.`,
  );
  const table: TableData = {
    title: `Gateway health${json.groupBy ? ` by ${json.groupBy}` : ''} (${json.timezone})`,
    columns,
    rows,
    notes,
  };
  if (grouped) table.footer = toCells(json.total);
  return table;
}
