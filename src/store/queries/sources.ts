/**
 * Where report queries read from: the raw rows and the rollups of schema migration 3, which of them answers a
 * query exactly, and how a range is split into pieces each of them answers.
 */
import { type Dimension, isTagDimension } from '../../core/types.js';
import { DAY_MS, offsetAt } from '../../lib/time.js';
import type { Db } from '../db.js';
import type { UsageFilter } from './report.js';

export const HOUR_MS = 3_600_000;

/**
 * An exact sum of a nanos column that cannot overflow SQLite's 64-bit SUM ("integer overflow" past $9.2e9):
 * whole dollars and the nanos beyond them are summed apart, `<as>Usd` and `<as>Frac`, and joined by nanosOf.
 * With rows of at most $1,000,000 (ingest's limit), 10^9 rows sum to at most 10^15 dollars and 10^18 nanos.
 * Token sums use TOTAL (a float: exact below 2^53, never an overflow).
 */
export function costSum(column: string, as: string): string {
  return `COALESCE(SUM(${column} / 1000000000), 0) AS ${as}Usd, COALESCE(SUM(${column} % 1000000000), 0) AS ${as}Frac`;
}

/** The exact nanos of a costSum read with safeIntegers. */
export function nanosOf(r: Record<string, unknown>, as: string): bigint {
  const usd = r[`${as}Usd`];
  const frac = r[`${as}Frac`];
  const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : 0n);
  return big(usd) * 1_000_000_000n + big(frac);
}

/**
 * Where a query reads from: the coarsest rollup that answers it exactly (bounds and zone offsets whole units
 * of it, only its dimensions), else the raw rows. Dimension columns hold dictionary ids (schema migration 3).
 */
export interface Source {
  table: 'usage_rows' | 'usage_hourly_rows' | 'usage_daily_rows' | 'usage_quarter_rows' | 'usage_unpriced_rows' | 'usage_tag_daily_rows';
  /** Column holding time, and ms per unit of it. */
  time: 'ts' | 'hour' | 'day' | 'quarter';
  unit: number;
  /** Dimensions it can group and filter by. */
  dims: ReadonlySet<Dimension>;
  sums: string[];
  /** The tag rollup (schema migration 6): rows by tag key and value, beside the rollup of the same unit. */
  tags?: { base: Source };
}

const ROLLUP_SUMS = [
  'SUM(records) AS records',
  'SUM(requests) AS requests',
  'TOTAL(input_tokens) AS inputTokens',
  'TOTAL(output_tokens) AS outputTokens',
  'TOTAL(cache_read_tokens) AS cacheReadTokens',
  'TOTAL(cache_write_tokens) AS cacheWriteTokens',
  'SUM(unpriced_requests) AS unpricedRequests',
  costSum('cost_nanos', 'cost'),
];

export const ROLLUP_DIMS: ReadonlySet<Dimension> = new Set(['user', 'team', 'model', 'provider', 'endpoint', 'api-key', 'source']);
/** Read from the rows only: region and customer are not in the rollups, tags live beside the rows. */
const rowOnly = (d: Dimension): boolean => d === 'region' || d === 'customer' || isTagDimension(d);

export const RAW: Source = {
  table: 'usage_rows',
  time: 'ts',
  unit: 1,
  dims: new Set([...ROLLUP_DIMS, 'region', 'customer']),
  sums: [
    'COUNT(*) AS records',
    'SUM(requests) AS requests',
    'TOTAL(input_tokens) AS inputTokens',
    'TOTAL(output_tokens) AS outputTokens',
    'TOTAL(cache_read_tokens) AS cacheReadTokens',
    'TOTAL(cache_write_tokens) AS cacheWriteTokens',
    'TOTAL(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END) AS unpricedRequests',
    costSum('cost_nanos', 'cost'),
  ],
};

export const ROLLUP: Source = { table: 'usage_hourly_rows', time: 'hour', unit: HOUR_MS, dims: ROLLUP_DIMS, sums: ROLLUP_SUMS };
export const DAILY: Source = { table: 'usage_daily_rows', time: 'day', unit: DAY_MS, dims: ROLLUP_DIMS, sums: ROLLUP_SUMS };
export const QUARTER: Source = {
  table: 'usage_quarter_rows',
  time: 'quarter',
  unit: 900_000,
  dims: new Set(['source', 'provider']),
  sums: ROLLUP_SUMS,
};

/**
 * Spend by UTC day, tag key and value, and the daily rollup's dimensions but user and key. One tag at a time: a `tag:KEY` or `tag`
 * grouping without `--tag`, or one `--tag KEY=VALUE` without a tag grouping; the untagged spend of a grouping is
 * the daily rollup's less the tagged (see report.ts tagRollupRows).
 */
export const TAG_DAILY: Source = {
  table: 'usage_tag_daily_rows',
  time: 'day',
  unit: DAY_MS,
  // Not the user nor the API key: with them it held 0.4 rows a request on LiteLLM-shaped data (migration 6).
  dims: new Set(['team', 'model', 'provider', 'endpoint', 'source']),
  sums: ROLLUP_SUMS,
  tags: { base: DAILY },
};

/** Finest first: `chooseSource` takes the last that answers. */
export const SOURCES: readonly Source[] = [RAW, ROLLUP, DAILY, QUARTER];
/** The sources of a query that groups or filters by tags. */
export const TAG_SOURCES: readonly Source[] = [RAW, TAG_DAILY];

/** Whether a query groups or filters by tags. */
export function usesTags(filter: UsageFilter, dims: readonly Dimension[]): boolean {
  return (filter.tags?.length ?? 0) > 0 || dims.some(isTagDimension);
}

const FILTER_DIMS: [keyof UsageFilter, Dimension][] = [
  ['user', 'user'],
  ['team', 'team'],
  ['model', 'model'],
  ['endpoint', 'endpoint'],
  ['source', 'source'],
  ['provider', 'provider'],
  ['apiKey', 'api-key'],
  ['customer', 'customer'],
];

/** Whether `src` has every column the filter and the grouping need. */
export function covers(src: Source, filter: UsageFilter, dims: Dimension[]): boolean {
  const tagDims = dims.filter(isTagDimension).length;
  const tagFilters = filter.tags?.length ?? 0;
  return (
    dims.every((d) => src.dims.has(d) || (src.table === 'usage_rows' && rowOnly(d)) || (src.tags !== undefined && isTagDimension(d))) &&
    (src.tags
      ? (tagDims === 1 && tagFilters === 0) || (tagDims === 0 && tagFilters === 1)
      : src.table === 'usage_rows' || tagFilters === 0) &&
    FILTER_DIMS.every(([k, d]) => {
      const v = filter[k];
      return !Array.isArray(v) || v.length === 0 || src.dims.has(d);
    })
  );
}

function whole(ms: number | undefined, unit: number): boolean {
  return ms === undefined || ms % unit === 0;
}

/**
 * The coarsest source that answers exactly: bounds (and their wall-clock times in `tz`, which day-only rows are
 * compared with) and every zone offset in whole units of it, and the dimensions of the filter and grouping.
 */
export function chooseSource(
  filter: UsageFilter,
  dims: Dimension[],
  offsets: number[],
  tz = 'UTC',
  bucketMs = DAY_MS,
  candidates: readonly Source[] = SOURCES,
): Source {
  const wall = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms + offsetAt(ms, tz));
  let best = RAW;
  for (const src of candidates) {
    const u = src.unit;
    if (
      u <= bucketMs &&
      covers(src, filter, dims) &&
      whole(filter.since, u) &&
      whole(filter.until, u) &&
      whole(wall(filter.since), u) &&
      whole(wall(filter.until), u) &&
      offsets.every((o) => o % u === 0)
    )
      best = src;
  }
  return best;
}

/** Splits [since, until) into whole days, whole hours at their ends, and the minutes at the very ends. */
export function splitRange(
  since: number | undefined,
  until: number | undefined,
  units: number[],
): { since?: number; until?: number; unit: number }[] {
  const [unit, ...finer] = units;
  if (unit === undefined) return [];
  const piece = (a: number | undefined, b: number | undefined) => ({
    unit,
    ...(a === undefined ? {} : { since: a }),
    ...(b === undefined ? {} : { until: b }),
  });
  if (finer.length === 0) return since !== undefined && until !== undefined && since >= until ? [] : [piece(since, until)];
  const a = since === undefined ? undefined : Math.ceil(since / unit) * unit;
  const b = until === undefined ? undefined : Math.floor(until / unit) * unit;
  if (a !== undefined && b !== undefined && a >= b) return splitRange(since, until, finer);
  return [
    ...(since !== undefined && a !== undefined && since < a ? splitRange(since, a, finer) : []),
    piece(a, b),
    ...(until !== undefined && b !== undefined && b < until ? splitRange(b, until, finer) : []),
  ];
}

/**
 * Whether the store has date-only rows (bills): ranges are then never split (they are judged by wall-clock bounds).
 * Asked each time (one look-up in a partial index): a writer may have stored some since.
 */
export function hasDayOnlyRows(db: Db): boolean {
  return db.prepare('SELECT 1 FROM usage_hourly_rows WHERE day_only = 1 LIMIT 1').get() !== undefined;
}

export const UNPRICED: Source = {
  table: 'usage_unpriced_rows',
  time: 'day',
  unit: DAY_MS,
  dims: ROLLUP_DIMS,
  sums: ['SUM(records) AS records', 'SUM(requests) AS requests', 'TOTAL(tokens) AS tokens'],
};
export const UNPRICED_RAW: Source = {
  ...RAW,
  sums: [
    'COUNT(*) AS records',
    'SUM(requests) AS requests',
    'TOTAL(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens',
  ],
};
