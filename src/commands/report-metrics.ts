/**
 * `report --metrics`: gateway health beside cost on each row of a report grouped by one dimension — failures,
 * gateway cache hit rate and p95 latency (the same figures as `llmcost health`, without the pricing of hits).
 */
import { type HealthRow, healthRow, mergeInputs } from '../analysis/health.js';
import type { Report } from '../analysis/report.js';
import { type ColumnDimension, type Dimension, isTagDimension } from '../core/types.js';
import { UserError } from '../lib/errors.js';
import type { Column, TableData } from '../render/types.js';
import type { Db } from '../store/db.js';
import { healthSums } from '../store/queries/health.js';
import type { UsageFilter } from '../store/queries/report.js';

/** A report row's health figures; null: not in the data. */
export interface RowMetricsJson {
  failures: number | null;
  failureRate: number | null;
  cacheHits: number | null;
  cacheHitRate: number | null;
  latencyP95Ms: number | null;
}

export function checkMetricsFlags(period: string | undefined, dims: readonly Dimension[]): asserts dims is readonly [ColumnDimension] {
  if (period !== undefined || dims.length !== 1 || dims.some(isTagDimension))
    throw new UserError('--metrics needs exactly one --by dimension (not a tag) and no --daily/--weekly/--monthly.', {
      hint: 'For example: llmcost report --by model --metrics (or llmcost health --by model).',
    });
}

function rowOf(key: string, s: ReturnType<typeof healthSums>): HealthRow {
  return healthRow(
    mergeInputs(
      key,
      s.map((g) => ({
        key: g.key,
        requests: 0,
        costNanos: 0n,
        inputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        statusKnown: g.statusKnown,
        failures: g.failures,
        cacheKnown: g.cacheKnown,
        cacheHits: g.cacheHits,
        cacheAvoidedNanos: 0n,
        cacheAvoidedUnpriced: 0,
        promptCacheSavedNanos: 0n,
        latency: g.latency,
      })),
    ),
  );
}

const metricsJson = (r: HealthRow): RowMetricsJson => ({
  failures: r.failures,
  failureRate: r.failureRate,
  cacheHits: r.cacheHits,
  cacheHitRate: r.cacheHitRate,
  latencyP95Ms: r.latencyP95Ms,
});

/** Health figures by the report's one dimension (request logs only), and for the whole filter. */
export function reportMetrics(
  db: Db,
  filter: UsageFilter,
  tz: string,
  dim: ColumnDimension,
): { byKey: Map<string, RowMetricsJson>; total: RowMetricsJson } {
  const sums = healthSums(db, { ...filter, basis: 'usage' }, tz, dim);
  const byKey = new Map(sums.map((s) => [s.key, metricsJson(rowOf(s.key, [s]))]));
  return { byKey, total: metricsJson(rowOf('total', sums)) };
}

const NONE: RowMetricsJson = { failures: null, failureRate: null, cacheHits: null, cacheHitRate: null, latencyP95Ms: null };

/** The metrics of a report row by its key. */
export const metricsOf = (m: { byKey: Map<string, RowMetricsJson> }, key: string): RowMetricsJson => m.byKey.get(key) ?? NONE;

/** Adds Failures, Hit rate and p95 latency columns to a report table (human formats: "—" where not in the data). */
export function addMetricColumns(
  table: TableData,
  report: Report,
  m: { byKey: Map<string, RowMetricsJson>; total: RowMetricsJson },
  human: boolean,
): void {
  const columns: Column[] = [
    { key: 'failures', header: 'Failures', kind: 'int' },
    { key: 'failure_rate', header: 'Failure rate', kind: 'pct' },
    { key: 'cache_hit_rate', header: 'Cache hit rate', kind: 'pct' },
    { key: 'p95_latency_ms', header: 'p95 latency ms', kind: 'int' },
  ];
  table.columns.push(...columns);
  const cells = (x: RowMetricsJson) => ({
    failures: x.failures ?? (human ? '—' : undefined),
    failure_rate: x.failureRate ?? (human ? '—' : undefined),
    cache_hit_rate: x.cacheHitRate ?? (human ? '—' : undefined),
    p95_latency_ms: x.latencyP95Ms ?? (human ? '—' : undefined),
  });
  report.rows.forEach((r, i) => {
    const row = table.rows[i];
    if (row) Object.assign(row, cells(metricsOf(m, r.keys[0] ?? '')));
  });
  if (table.footer) Object.assign(table.footer, cells(m.total));
  if (human) table.notes = [...(table.notes ?? []), '—: not in the data (the source carries no status, cache flag or latency).'];
}
