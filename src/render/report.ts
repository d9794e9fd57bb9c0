/** Turns a usage report into its stable JSON contract and its tables. */
import { costPerRequest, pricedRequests, type Report, type ReportRow } from '../analysis/report.js';
import { type ColumnDimension, type Dimension, isTagDimension, type Totals, type UnpricedModel } from '../core/types.js';
import { nanosToDecimal } from '../lib/money.js';
import { isoUtc } from '../lib/time.js';
import type { Column, TableData } from './types.js';

export interface TotalsJson {
  records: number;
  requests: number;
  /** Requests with a cost; costPerRequestNanos divides by these, never by the unpriced ones. */
  pricedRequests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costNanos: bigint;
  /** Exact USD as a decimal string ("12.345000000"). */
  costUsd: string;
  /** costNanos / pricedRequests, rounded to whole nanos; null when no request is priced. */
  costPerRequestNanos: bigint | null;
  unpricedRequests: number;
}

export interface ReportRowJson extends TotalsJson {
  period?: string;
  /** One key per --by dimension, e.g. { "user": "alice" }. */
  group: Partial<Record<Dimension, string>>;
  share: number;
}

export interface UnpricedJson {
  requests: number;
  records: number;
  tokens: number;
  models: UnpricedModel[];
}

export interface ReportJson {
  schemaVersion: 1;
  kind: 'usage-report';
  period: 'daily' | 'weekly' | 'monthly' | null;
  groupBy: Dimension[];
  timezone: string;
  range: { since: string | null; until: string | null };
  rows: ReportRowJson[];
  totals: TotalsJson;
  unpriced: UnpricedJson;
}

export function totalsJson(t: Totals): TotalsJson {
  return {
    records: t.records,
    requests: t.requests,
    pricedRequests: pricedRequests(t),
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheReadTokens: t.cacheReadTokens,
    cacheWriteTokens: t.cacheWriteTokens,
    costNanos: t.costNanos,
    costUsd: nanosToDecimal(t.costNanos),
    costPerRequestNanos: costPerRequest(t),
    unpricedRequests: t.unpricedRequests,
  };
}

export function unpricedJson(models: UnpricedModel[]): UnpricedJson {
  return {
    requests: models.reduce((n, m) => n + m.requests, 0),
    records: models.reduce((n, m) => n + m.records, 0),
    tokens: models.reduce((n, m) => n + m.tokens, 0),
    models,
  };
}

export function rangeJson(range: { since?: number; until?: number }): { since: string | null; until: string | null } {
  return { since: range.since === undefined ? null : isoUtc(range.since), until: range.until === undefined ? null : isoUtc(range.until) };
}

export function reportJson(
  report: Report,
  ctx: { tz: string; range: { since?: number; until?: number }; unpriced: UnpricedModel[] },
): ReportJson {
  return {
    schemaVersion: 1,
    kind: 'usage-report',
    period: report.period ?? null,
    groupBy: report.dims,
    timezone: ctx.tz,
    range: rangeJson(ctx.range),
    rows: report.rows.map((r) => {
      const row: ReportRowJson = { ...totalsJson(r), group: groupOf(report.dims, r), share: r.share };
      if (r.period !== undefined) row.period = r.period;
      return row;
    }),
    totals: totalsJson(report.totals),
    unpriced: unpricedJson(ctx.unpriced),
  };
}

function groupOf(dims: Dimension[], r: ReportRow): Partial<Record<Dimension, string>> {
  const g: Partial<Record<Dimension, string>> = {};
  dims.forEach((d, i) => {
    g[d] = r.keys[i] ?? '';
  });
  return g;
}

/** The column header of each dimension in every table (report, health). */
export const DIM_HEADERS: Record<ColumnDimension, string> = {
  user: 'User',
  team: 'Team',
  model: 'Model',
  provider: 'Provider',
  endpoint: 'Endpoint',
  'api-key': 'API key',
  source: 'Source',
  region: 'Region',
  customer: 'Customer',
};

/** A column header: `tag:project` → "Tag project". */
const dimHeader = (d: Dimension): string => (isTagDimension(d) ? (d === 'tag' ? 'Tag' : `Tag ${d.slice(4)}`) : DIM_HEADERS[d]);

// `drop`: the order columns are hidden in to fit a terminal (README "Tables on a terminal"); Cost is never hidden.
const METRIC_COLUMNS: Column[] = [
  { key: 'requests', header: 'Requests', kind: 'int', drop: 7 },
  { key: 'input_tokens', header: 'Input', kind: 'int', drop: 5 },
  { key: 'output_tokens', header: 'Output', kind: 'int', drop: 6 },
  { key: 'cache_read_tokens', header: 'Cache read', kind: 'int', drop: 2 },
  { key: 'cache_write_tokens', header: 'Cache write', kind: 'int', drop: 1 },
  { key: 'cost_usd', header: 'Cost', kind: 'usd' },
  { key: 'cost_per_request_usd', header: 'Avg/request', kind: 'usd4', drop: 3 },
  { key: 'share', header: 'Share', kind: 'pct', drop: 4 },
];

/** Shown beside Avg/request when a report has unpriced requests: the ones the average leaves out. */
const UNPRICED_COLUMN: Column = { key: 'unpriced_requests', header: 'Unpriced', kind: 'int', drop: 8 };

/** The metric columns, with the unpriced-request count beside the average when any request is unpriced. */
function metricColumns(totals: Totals): Column[] {
  if (totals.unpricedRequests === 0) return METRIC_COLUMNS;
  const at = METRIC_COLUMNS.findIndex((c) => c.key === 'cost_per_request_usd') + 1;
  return [...METRIC_COLUMNS.slice(0, at), UNPRICED_COLUMN, ...METRIC_COLUMNS.slice(at)];
}

export const AVERAGE_NOTE = 'Avg/request is the priced cost over the priced requests: the unpriced ones are left out, not counted as $0.';

function metricCells(t: Totals, shareValue: number | undefined): Record<string, bigint | number | undefined> {
  // A row with nothing priced shows "—", never a silent $0.00.
  const allUnpriced = t.requests > 0 && t.unpricedRequests === t.requests;
  return {
    requests: t.requests,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cache_read_tokens: t.cacheReadTokens,
    cache_write_tokens: t.cacheWriteTokens,
    cost_usd: allUnpriced ? undefined : t.costNanos,
    // Over priced requests only; none priced (or billing rows, which have no request count) shows "—", not $0.
    cost_per_request_usd: costPerRequest(t) ?? undefined,
    unpriced_requests: t.unpricedRequests,
    share: shareValue,
  };
}

export function unpricedNotes(models: UnpricedModel[]): string[] {
  if (models.length === 0) return [];
  const u = unpricedJson(models);
  const names = models
    .slice(0, 5)
    .map((m) => `${m.provider ? `${m.provider}/` : ''}${m.model}`)
    .join(', ');
  return [
    `Unpriced: ${u.requests.toLocaleString('en-US')} requests (${u.tokens.toLocaleString('en-US')} tokens) have no price and are not in the costs above: ${names}${models.length > 5 ? ', …' : ''}. Price them with llmcost reprice --prices FILE (see README "Prices").`,
  ];
}

export function reportTable(report: Report, title: string, unpriced: UnpricedModel[]): TableData {
  const columns: Column[] = [];
  if (report.period)
    columns.push({
      key: 'period',
      header: report.period === 'weekly' ? 'Week of' : report.period === 'monthly' ? 'Month' : 'Date',
      kind: 'text',
    });
  // The key is the CSV header: the dimension's name, as --by spells it.
  columns.push(...report.dims.map((d): Column => ({ key: d, header: dimHeader(d), kind: 'text' })));
  columns.push(...metricColumns(report.totals));
  const rows = report.rows.map((r) => {
    const cells: Record<string, string | number | bigint | undefined> = { period: r.period, ...metricCells(r, r.share) };
    r.keys.forEach((k, i) => {
      cells[report.dims[i] ?? `k${i}`] = k === '' ? '(none)' : k;
    });
    return cells;
  });
  const first = columns[0]?.key ?? 'period';
  const footer = { ...metricCells(report.totals, report.totals.costNanos > 0n ? 1 : 0), [first]: 'Total' };
  const notes = unpricedNotes(unpriced);
  if (unpriced.length > 0 && report.totals.unpricedRequests > 0) notes.push(AVERAGE_NOTE);
  return { title, columns, rows, footer, notes };
}
