/** Aggregation queries for reports. Identifiers come only from the DIMENSIONS whitelist; values are bound. */

import type { TagPair } from '../../core/tags.js';
import { UNTAGGED } from '../../core/tags.js';
import {
  type AggregateRow,
  addTotals,
  type ColumnDimension,
  type Dimension,
  isTagDimension,
  type TagDimension,
  type UnpricedModel,
} from '../../core/types.js';
import { DAY_MS, dayNumberToIso, isoToWall, type OffsetSegment, offsetAt, offsetSegments, zonedToUtc } from '../../lib/time.js';
import type { Db, Statement } from '../db.js';
import { DICT_ID, dictOf } from './dict.js';
import { negate, shiftedDayRows, type UtcDayQuery, wholeLocalDays } from './shifted-days.js';
import {
  chooseSource,
  covers,
  DAILY,
  HOUR_MS,
  hasDayOnlyRows,
  nanosOf,
  QUARTER,
  RAW,
  ROLLUP,
  ROLLUP_DIMS,
  SOURCES,
  type Source,
  splitRange,
  TAG_DAILY,
  TAG_SOURCES,
  UNPRICED,
  UNPRICED_RAW,
  usesTags,
} from './sources.js';
import { ANY_TAG_KEY } from './tag-rollup.js';
import { tagFrom, tagLabel, tagRollupWhere, tagSelect, tagsCommon, tagWhere } from './tags.js';

export { costSum, nanosOf } from './sources.js';

export type { AggregateRow, Dimension, UnpricedModel };

export const DIMENSIONS = {
  user: 'user',
  team: 'team',
  model: 'model',
  provider: 'provider',
  endpoint: 'endpoint',
  'api-key': 'api_key',
  source: 'source',
  region: 'region',
  customer: 'customer',
} as const satisfies Record<ColumnDimension, string>;

export interface UsageFilter {
  since?: number | undefined;
  until?: number | undefined;
  user?: string[] | undefined;
  team?: string[] | undefined;
  model?: string[] | undefined;
  endpoint?: string[] | undefined;
  source?: string[] | undefined;
  provider?: string[] | undefined;
  apiKey?: string[] | undefined;
  /** `--customer`: the end user a gateway served (LiteLLM `end_user`). Read from the rows only. */
  customer?: string[] | undefined;
  /** `--tag`: rows with every one of these tags (values of one key: any of them). Read from the rows only. */
  tags?: TagPair[] | undefined;
  /** usage: request-level rows only; billed: billing rows (Cost Explorer, CUR) only; undefined: both. */
  basis?: 'usage' | 'billed' | undefined;
  /** Only these local days (day numbers in the query's zone) of these providers: how a day of one
   * provider is taken from the bill while other days come from the logs (see basis.ts). */
  days?: readonly { provider: string; days: readonly number[] }[] | undefined;
}

/** Sources whose rows are the bill rather than requests: the AWS bill, and OpenAI's and Anthropic's cost APIs. */
export const BILLING_SOURCES = ['cost-explorer', 'cur', 'openai-costs', 'anthropic-costs'] as const;

/** Widest span (days) answered by one rollup query per day; wider spans group in one query. */
const MAX_DAILY_QUERIES = 36_600;

/**
 * Time bounds. A day-only row (a date without a time) stands at the local midnight of its date in every
 * zone, so it is compared with the bounds' wall-clock times: `since + offset`, as if that were UTC.
 */
function timeClauses(filter: UsageFilter, src: Source, tz: string, clauses: string[], params: unknown[]): void {
  if (filter.since === undefined && filter.until === undefined) return;
  const lo = filter.since === undefined ? undefined : Math.floor(filter.since / src.unit);
  const hi = filter.until === undefined ? undefined : Math.ceil(filter.until / src.unit);
  const wall = (ms: number): number => ms + offsetAt(ms, tz);
  const wlo = filter.since === undefined ? undefined : Math.floor(wall(filter.since) / src.unit);
  const whi = filter.until === undefined ? undefined : Math.ceil(wall(filter.until) / src.unit);
  const bounds = (a: number | undefined, b: number | undefined): string[] => {
    const out: string[] = [];
    if (a !== undefined) {
      out.push(`${src.time} >= ?`);
      params.push(a);
    }
    if (b !== undefined) {
      out.push(`${src.time} < ?`);
      params.push(b);
    }
    return out;
  };
  if (lo === wlo && hi === whi) {
    clauses.push(...bounds(lo, hi));
    return;
  }
  const min = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : Math.min(a, b));
  const max = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : Math.max(a, b));
  // The outer range keeps the query an index range scan; the CASE applies each kind of row's own bounds.
  clauses.push(...bounds(min(lo, wlo), max(hi, whi)));
  const dayOnly = bounds(wlo, whi).join(' AND ');
  clauses.push(`(CASE WHEN day_only = 1 THEN ${dayOnly} ELSE ${bounds(lo, hi).join(' AND ')} END)`);
}

/** The local day of a row in SQL: the zone's offset added, except for day-only rows (already a date). */
function localBucket(src: Source, segs: OffsetSegment[], bucketMs: number, params: unknown[]): string {
  const t = src.unit === 1 ? 'ts' : `${src.time} * ${src.unit}`;
  let offset: string;
  if (segs.length <= 1) {
    offset = '?';
    params.push(BigInt(segs[0]?.offset ?? 0)); // bigint binds as INTEGER, so the division is an integer one
  } else {
    const cases = segs.slice(0, -1).map((seg) => {
      params.push(Math.ceil(seg.to / src.unit), BigInt(seg.offset));
      return `WHEN ${src.time} < ? THEN ?`;
    });
    params.push(BigInt(segs.at(-1)?.offset ?? 0));
    offset = `CASE ${cases.join(' ')} ELSE ? END`;
  }
  return `(${t} + CASE WHEN day_only = 1 THEN 0 ELSE ${offset} END) / ${bucketMs}`;
}

export function where(
  filter: UsageFilter,
  src: Source = RAW,
  tz = 'UTC',
  segs?: OffsetSegment[],
  /** Tag filters as a look-up per row (tags.ts tagWhere): for a walk in time order. */
  tagsByRow = false,
): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  timeClauses(filter, src, tz, clauses, params);
  if (filter.days !== undefined) {
    const parts = filter.days.filter((p) => p.days.length > 0);
    if (parts.length === 0) clauses.push('0');
    else {
      if (!segs) throw new Error('where(): a days filter needs the offset segments of the data range');
      const ors = parts.map((p) => {
        params.push(p.provider);
        const local = localBucket(src, segs, DAY_MS, params);
        params.push(...p.days);
        return `(provider_dim = ${DICT_ID} AND ${local} IN (${p.days.map(() => '?').join(', ')}))`;
      });
      clauses.push(`(${ors.join(' OR ')})`);
    }
  }
  const list = (column: string, values: string[] | undefined): void => {
    if (!values || values.length === 0) return;
    clauses.push(`${column}_dim IN (SELECT id FROM dict WHERE value IN (${values.map(() => '?').join(', ')}))`);
    params.push(...values);
  };
  list('user', filter.user);
  list('team', filter.team);
  // Models and providers come normalized (commands/store-filter.ts), so every spelling of a model selects it.
  list('model', filter.model);
  list('endpoint', filter.endpoint);
  list('source', filter.source);
  list('provider', filter.provider);
  list('api_key', filter.apiKey);
  list('customer', filter.customer);
  if (src.tags) tagRollupWhere(filter.tags, clauses, params);
  else
    tagWhere(
      filter.tags,
      clauses,
      params,
      tagsByRow || (filter.since !== undefined && filter.until !== undefined && filter.until - filter.since <= DAY_MS),
    );
  if (filter.basis)
    clauses.push(
      `source_dim ${filter.basis === 'billed' ? '' : 'NOT '}IN (SELECT id FROM dict WHERE value IN (${BILLING_SOURCES.map((b) => `'${b}'`).join(', ')}))`,
    );
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/**
 * Earliest and latest instants matching the filter, or undefined when nothing matches. A day-only row
 * counts as its whole local day in `tz`.
 */
export function dataRange(db: Db, filter: UsageFilter, tz = 'UTC'): { min: number; max: number } | undefined {
  // Hour precision at most: the range is also the first and last instant of data reports show.
  const src = chooseSource(filter, [], [], tz, HOUR_MS, [RAW, ROLLUP]);
  // A days filter only narrows within the range: the range of the whole filter is a safe superset. MIN and MAX
  // walk the time index from either end: with common tags, checking each row's tags finds them at once.
  const byRow = (filter.tags?.length ?? 0) > 0 && tagsCommon(db, filter.tags ?? []);
  const w = where({ ...filter, days: undefined }, src, tz, undefined, byRow);
  const and = w.sql ? `${w.sql} AND` : 'WHERE';
  // One subquery each: SQLite answers a lone MIN or MAX from an index, but not both in one SELECT.
  const q = (fn: 'MIN' | 'MAX', dayOnly: 0 | 1) => `(SELECT ${fn}(${src.time}) FROM ${src.table} ${and} day_only = ${dayOnly})`;
  const sql = `SELECT ${q('MIN', 0)} AS min, ${q('MAX', 0)} AS max, ${q('MIN', 1)} AS dmin, ${q('MAX', 1)} AS dmax`;
  const p = w.params;
  const row = db.prepare(sql).get(...p, ...p, ...p, ...p) as Record<'min' | 'max' | 'dmin' | 'dmax', number | null> | undefined;
  if (!row) return undefined;
  const mins: number[] = [];
  const maxs: number[] = [];
  if (row.min !== null && row.max !== null) {
    mins.push(row.min * src.unit);
    maxs.push(row.max * src.unit + src.unit - 1);
  }
  if (row.dmin !== null && row.dmax !== null) {
    const localMidnight = (day: number): number => zonedToUtc(isoToWall(dayNumberToIso(day)), tz);
    mins.push(localMidnight(Math.floor((row.dmin * src.unit) / DAY_MS)));
    maxs.push(localMidnight(Math.floor((row.dmax * src.unit) / DAY_MS) + 1) - 1);
  }
  if (mins.length === 0) return undefined;
  return { min: Math.min(...mins), max: Math.max(...maxs) };
}

/**
 * Sums usage grouped by `dims` and, when `byDay`, by local day in `tz`. Local days are computed in SQL
 * as (time + offset) / 86400000 with one offset per span between the zone's DST transitions.
 */
export function aggregate(
  db: Db,
  opts: {
    dims: Dimension[];
    byDay: boolean;
    tz: string;
    filter: UsageFilter;
    /** With byDay: bucket by local hour instead (`day` then holds the local hour number). */
    hourly?: boolean;
    /** Force a table (tests compare both). */
    from?: 'raw' | 'rollup';
    /** Only records and cost are summed (the other measures are 0): less for SQLite to add and for Node to read. */
    costOnly?: boolean;
  },
): AggregateRow[] {
  let segs: OffsetSegment[] = [];
  if (opts.byDay || opts.filter.days !== undefined) {
    const range = dataRange(db, opts.filter, opts.tz);
    if (!range) return [];
    segs = offsetSegments(range.min, range.max + 1, opts.tz);
  }
  const { filter, dims } = opts;
  // Tags: whole UTC days from the tag rollup, the rest of the range from the rows (no hourly tag rollup: by hour
  // it held two thirds as many rows as the store, bench/README.md).
  const tagged = usesTags(filter, dims);
  const daily = tagged ? TAG_DAILY : DAILY;
  const hourly = tagged ? undefined : ROLLUP;
  if (opts.from !== undefined) return sortRows(query(db, opts, opts.from === 'raw' ? RAW : (hourly ?? daily), segs));
  // A range whose ends are not whole units of a rollup (a local midnight in Asia/Kolkata, "now") is answered in
  // pieces: whole days from the daily rollup, whole hours or quarter hours next to them, the minutes at the ends
  // from the raw rows. Date-only rows are judged by wall-clock bounds, so a store with bills is not split.
  const bucket = !opts.byDay ? Number.POSITIVE_INFINITY : opts.hourly ? HOUR_MS : DAY_MS;
  const offsets = segs.map((s) => s.offset);
  if (filter.days === undefined && !hasDayOnlyRows(db)) {
    const usable = [QUARTER, daily, hourly].filter(
      (x): x is Source => x !== undefined && x.unit <= bucket && covers(x, filter, dims) && offsets.every((o) => o % x.unit === 0),
    );
    // Local days by dimension in a zone whose midnights are not UTC ones (Kolkata, Berlin): the daily rollup and
    // the shorter edge of each day (see shifted-days.ts), instead of nearly every hour of the hourly rollup.
    if (
      opts.byDay &&
      !opts.hourly &&
      !usable.includes(QUARTER) &&
      !usable.includes(daily) &&
      covers(daily, filter, dims) &&
      segs.length > 0
    ) {
      const lo = Math.max(filter.since ?? Number.NEGATIVE_INFINITY, segs[0]?.from ?? 0);
      const hi = Math.min(filter.until ?? Number.POSITIVE_INFINITY, segs.at(-1)?.to ?? 0);
      const { whole, rest } = wholeLocalDays(segs, lo, hi);
      if (whole.length > 0) {
        const utc: OffsetSegment[] = [{ from: lo, to: hi, offset: 0 }];
        const run: UtcDayQuery = (src, since, until, also) =>
          query(
            db,
            { dims, byDay: true, tz: 'UTC', filter: { ...filter, since, until }, costOnly: opts.costOnly === true },
            src,
            utc,
            also,
          );
        const rows = shiftedDayRows(whole, run, { daily, hourly });
        for (const [since, until] of rest) rows.push(...aggregate(db, { ...opts, filter: { ...filter, since, until } }));
        return sortRows(mergeRows(rows).filter((r) => r.records !== 0));
      }
    }
    const units = usable[0] === QUARTER ? [QUARTER.unit, 1] : [...usable.map((x) => x.unit), 1];
    const pieces = usable.length > 0 ? splitRange(filter.since, filter.until, units) : [];
    if (pieces.length > 1) {
      const rows = pieces.flatMap((p) => {
        const src = usable.find((x) => x.unit === p.unit) ?? RAW;
        return query(db, { ...opts, filter: { ...filter, since: p.since, until: p.until } }, src, segs);
      });
      return sortRows(mergeRows(rows));
    }
    const first = segs[0];
    const last = segs.at(-1);
    // Local days in a half- or quarter-hour zone by dimension (anomalies in Asia/Kolkata): every hour but the one
    // holding a local midnight lies in one local day and comes from the hourly rollup; the hours holding a
    // midnight, and the minutes at the ends of the range, come from the rows.
    if (
      usable.length === 0 &&
      opts.byDay &&
      !opts.hourly &&
      first &&
      last &&
      hourly !== undefined &&
      covers(hourly, filter, dims) &&
      offsets.every((o) => o % QUARTER.unit === 0)
    ) {
      const lo = Math.max(filter.since ?? first.from, first.from);
      const hi = Math.min(filter.until ?? last.to, last.to);
      const a = Math.ceil(lo / HOUR_MS);
      const b = Math.floor(hi / HOUR_MS);
      if (a < b) {
        const split = midnightHours(segs).filter((h) => h >= a && h < b);
        const skip = split.length > 0 ? { sql: `hour NOT IN (${split.map(() => '?').join(', ')})`, params: split } : undefined;
        const rows = query(db, { ...opts, filter: { ...filter, since: a * HOUR_MS, until: b * HOUR_MS } }, hourly, segs, skip);
        const raw: [number, number][] = split.map((h) => [h * HOUR_MS, (h + 1) * HOUR_MS]);
        if (lo < a * HOUR_MS) raw.push([lo, a * HOUR_MS]);
        if (b * HOUR_MS < hi) raw.push([b * HOUR_MS, hi]);
        for (const [since, until] of raw) rows.push(...query(db, { ...opts, filter: { ...filter, since, until } }, RAW, segs));
        return sortRows(mergeRows(rows));
      }
    }
  }
  const src = chooseSource(
    filter,
    dims,
    segs.map((s) => s.offset),
    opts.tz,
    opts.byDay && opts.hourly ? HOUR_MS : DAY_MS,
    tagged ? TAG_SOURCES : SOURCES,
  );
  // One query per day pays off for a span of years, not for one widened by a stray timestamp (year 9999).
  const span = segs.length > 0 ? ((segs.at(-1)?.to ?? 0) - (segs[0]?.from ?? 0)) / DAY_MS : 0;
  if (
    src === ROLLUP &&
    opts.byDay &&
    !opts.hourly &&
    dims.length === 0 &&
    segs.length > 0 &&
    span <= MAX_DAILY_QUERIES &&
    filter.days === undefined
  )
    return dailyTotals(db, filter, segs, opts.tz);
  return sortRows(query(db, opts, src, segs));
}

type QueryOpts = { dims: Dimension[]; byDay: boolean; tz: string; filter: UsageFilter; hourly?: boolean; costOnly?: boolean };
type Clause = { sql: string; params: unknown[] };

/** The sums of a cost-only query: the record count (a group with none is dropped) and the exact cost. */
const costOrRecords = (sum: string): boolean => / AS (records|costUsd)\b/.test(sum);

/** One grouped query on one source; dimension ids are turned back into their values. */
function query(db: Db, opts: QueryOpts, src: Source, segs: OffsetSegment[], also?: Clause): AggregateRow[] {
  if (src.tags) return tagRollupRows(db, opts, src, src.tags.base, segs, also);
  const column = (d: Dimension, params: unknown[]): string => (isTagDimension(d) ? tagSelect(d, params) : `${DIMENSIONS[d]}_dim`);
  return grouped(db, opts, src, segs, column, tagFrom(src.table, opts.dims), also);
}

/**
 * A query on the tag rollup. A `--tag` filter alone reads its key and value's rows. A tag grouping reads the
 * tagged spend by value (`tag:KEY`: each row's first value, `extra = 0`; `tag`: every tag) and takes the
 * untagged spend as the base rollup's less the tagged rows counted once (`tag:KEY`: those same rows; `tag`: key
 * -1). Every sum is an exact integer, so the untagged group equals the rows'; a group left with no records had
 * no untagged rows and is dropped.
 */
function tagRollupRows(db: Db, opts: QueryOpts, src: Source, base: Source, segs: OffsetSegment[], also?: Clause): AggregateRow[] {
  const at = opts.dims.findIndex(isTagDimension);
  const column = (d: Dimension): string => (isTagDimension(d) ? '0' : `${DIMENSIONS[d]}_dim`);
  if (at < 0) return grouped(db, opts, src, segs, column, src.table, also);
  const tag = opts.dims[at] as TagDimension;
  const and = (c: Clause): Clause => (also ? { sql: `${c.sql} AND ${also.sql}`, params: [...c.params, ...also.params] } : c);
  const value = tag === 'tag' ? `(key_dim * ${2 ** 32} + value_dim)` : 'value_dim';
  const byValue = (d: Dimension): string => (d === tag ? value : column(d));
  const keyClause: Clause =
    tag === 'tag'
      ? { sql: 'key_dim >= 0', params: [] }
      : { sql: 'key_dim = (SELECT id FROM dict WHERE value = ?) AND extra = 0', params: [tag.slice(4)] };
  const tagged = grouped(db, opts, src, segs, byValue, src.table, and(keyClause));
  const all = grouped(db, opts, base, segs, column, base.table, also);
  const once =
    tag === 'tag' ? grouped(db, opts, src, segs, column, src.table, and({ sql: `key_dim = ${ANY_TAG_KEY}`, params: [] })) : tagged;
  const untagged = once.map((r) => ({ ...negate(r), keys: r.keys.map((k, i) => (i === at ? UNTAGGED : k)) }));
  return mergeRows([...tagged, ...all, ...untagged]).filter((r) => r.records !== 0);
}

/** A grouped query: `column` gives each dimension's SQL (pushing its parameters), `also` one more condition. */
function grouped(
  db: Db,
  opts: QueryOpts,
  src: Source,
  segs: OffsetSegment[],
  column: (d: Dimension, params: unknown[]) => string,
  from: string,
  also?: Clause,
): AggregateRow[] {
  const select: string[] = [];
  const group: string[] = [];
  const params: unknown[] = [];
  const w = where(opts.filter, src, opts.tz, segs);
  if (opts.byDay) {
    select.push(`${localBucket(src, segs, opts.hourly ? HOUR_MS : DAY_MS, params)} AS day`);
    group.push('day');
  }
  opts.dims.forEach((d, i) => {
    select.push(`${column(d, params)} AS k${i}`);
    group.push(`k${i}`);
  });
  const filters = also ? (w.sql ? `${w.sql} AND ${also.sql}` : `WHERE ${also.sql}`) : w.sql;
  const sums = opts.costOnly ? src.sums.filter(costOrRecords) : src.sums;
  const sql = `SELECT ${[...select, ...sums].join(', ')} FROM ${from} ${filters}${group.length ? ` GROUP BY ${group.join(', ')}` : ''}`;
  const stmt = db.prepare(sql).safeIntegers(true);
  const rows = stmt.all(...params, ...w.params, ...(also?.params ?? [])) as Record<string, bigint | string | number | null>[];
  const dict = dictOf(db);
  return rows
    .filter((r) => r.records !== null && r.records !== 0n)
    .map((r) =>
      toAggregateRow(
        r,
        opts.dims.map((d, i) => (isTagDimension(d) ? tagLabel(dict, d, r[`k${i}`]) : dict.value(r[`k${i}`] as bigint | null))),
        opts.byDay ? Number(r.day) : undefined,
      ),
    );
}

/** The UTC hours that hold a local midnight inside them (zones whose offset is not whole hours). */
function midnightHours(segs: OffsetSegment[]): number[] {
  const out: number[] = [];
  for (const seg of segs) {
    // Local midnights in this segment: day * DAY_MS - offset, for the local days it spans.
    for (let day = Math.floor((seg.from + seg.offset) / DAY_MS); day * DAY_MS - seg.offset < seg.to; day++) {
      const m = day * DAY_MS - seg.offset;
      if (m >= seg.from && m % HOUR_MS !== 0) out.push(Math.floor(m / HOUR_MS));
    }
  }
  return out;
}

/** Rows of the same keys (and day), from several pieces of a range or from both bases, summed into one. */
export function mergeRows(rows: AggregateRow[]): AggregateRow[] {
  const out = new Map<string, AggregateRow>();
  for (const r of rows) {
    const key = `${r.day ?? ''}\u0000${r.keys.join('\u0000')}`;
    const g = out.get(key);
    if (g) addTotals(g, r);
    else out.set(key, { ...r, keys: [...r.keys] });
  }
  return [...out.values()];
}

/** By day, then keys: the order GROUP BY gave when dimensions were stored as text. */
function sortRows(rows: AggregateRow[]): AggregateRow[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => {
    const d = (a.day ?? 0) - (b.day ?? 0);
    if (d !== 0) return d;
    for (let i = 0; i < a.keys.length; i++) {
      const c = cmp(a.keys[i] ?? '', b.keys[i] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** A row of the sums every source selects (RAW.sums / ROLLUP.sums) as plain numbers and exact nanos. */
function toAggregateRow(r: Record<string, bigint | string | number | null>, keys: string[], day: number | undefined): AggregateRow {
  const out: AggregateRow = {
    keys,
    records: Number(r.records),
    requests: Number(r.requests ?? 0),
    inputTokens: Number(r.inputTokens ?? 0),
    outputTokens: Number(r.outputTokens ?? 0),
    cacheReadTokens: Number(r.cacheReadTokens ?? 0),
    cacheWriteTokens: Number(r.cacheWriteTokens ?? 0),
    unpricedRequests: Number(r.unpricedRequests ?? 0),
    costNanos: nanosOf(r, 'cost'),
  };
  if (day !== undefined) out.day = day;
  return out;
}

/**
 * What could not be priced in the filtered range, by model: every summing command reports it. Whole UTC days
 * come from the unpriced rollup, the hours at the ends of the range from the unpriced rows themselves.
 */
export function unpricedModels(db: Db, filter: UsageFilter, tz = 'UTC'): UnpricedModel[] {
  const range = filter.days === undefined ? undefined : dataRange(db, filter, tz);
  if (filter.days !== undefined && !range) return [];
  const segs = range ? offsetSegments(range.min, range.max + 1, tz) : undefined;
  // Tags live beside the rows, not in the unpriced rollup.
  const split = filter.days === undefined && covers(UNPRICED, filter, []) && !hasDayOnlyRows(db);
  const pieces = split ? splitRange(filter.since, filter.until, [DAY_MS, 1]) : [{ unit: 1, since: filter.since, until: filter.until }];
  const out = new Map<string, UnpricedModel>();
  const dict = dictOf(db);
  for (const p of pieces) {
    const src = p.unit === DAY_MS ? UNPRICED : UNPRICED_RAW;
    const w = where({ ...filter, since: p.since, until: p.until }, src, tz, segs);
    const unpriced = src === UNPRICED_RAW ? `${w.sql ? `${w.sql} AND` : 'WHERE'} cost_nanos IS NULL` : w.sql;
    const sql = `SELECT provider_dim AS provider, model_raw_dim AS model, ${src.sums.join(', ')}
      FROM ${src.table} ${unpriced} GROUP BY provider_dim, model_raw_dim`;
    for (const r of db.prepare(sql).all(...w.params) as Record<string, number>[]) {
      const key = `${r.provider},${r.model}`;
      const g = out.get(key);
      if (g) {
        g.records += Number(r.records);
        g.requests += Number(r.requests);
        g.tokens += Number(r.tokens);
      } else {
        out.set(key, {
          provider: dict.value(r.provider),
          model: dict.value(r.model),
          records: Number(r.records),
          requests: Number(r.requests),
          tokens: Number(r.tokens),
        });
      }
    }
  }
  return [...out.values()]
    .filter((m) => m.records > 0)
    .sort((a, b) => b.tokens - a.tokens || (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : a.model < b.model ? -1 : 1));
}

/** UTC days in the filtered range that hold billing rows Cost Explorer still marks as estimated. */
export function estimatedBillingDays(db: Db, filter: UsageFilter, tz = 'UTC'): string[] {
  const w = where({ ...filter, basis: 'billed' }, RAW, tz);
  const rows = db
    .prepare(
      `SELECT DISTINCT ts / 86400000 AS day FROM usage_rows ${w.sql ? `${w.sql} AND` : 'WHERE'} status_dim = ${DICT_ID} ORDER BY day`,
    )
    .pluck()
    .all(...w.params, 'estimated') as number[];
  return rows.map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
}

/**
 * Daily totals without dimensions, one range query per local day on the rollup's primary key (hour first):
 * no GROUP BY sort over the whole range, which is most of a whole-table aggregate's cost.
 */
function dailyTotals(db: Db, filter: UsageFilter, segs: OffsetSegment[], tz: string): AggregateRow[] {
  const first = segs[0];
  const last = segs.at(-1);
  if (!first || !last) return [];
  const offsetAt = (ms: number): number => (segs.find((s) => ms < s.to) ?? last).offset;
  const startDay = Math.floor((first.from + first.offset) / DAY_MS);
  const endDay = Math.floor((last.to - 1 + last.offset) / DAY_MS);
  const out: AggregateRow[] = [];
  let stmt: Statement | undefined;
  for (let day = startDay; day <= endDay; day++) {
    // Local midnight in UTC: the day's start minus the offset in force then (whole hours in rollup zones).
    const guess = day * DAY_MS;
    const from = guess - offsetAt(guess - offsetAt(guess));
    const nextGuess = (day + 1) * DAY_MS;
    const to = nextGuess - offsetAt(nextGuess - offsetAt(nextGuess));
    const since = Math.max(from, filter.since ?? from);
    const until = Math.min(to, filter.until ?? to);
    if (until <= since) continue;
    const w = where({ ...filter, since, until }, ROLLUP, tz);
    stmt = db.prepare(`SELECT ${ROLLUP.sums.join(', ')} FROM usage_hourly_rows ${w.sql}`).safeIntegers(true);
    const r = stmt.get(...w.params) as Record<string, bigint | null> | undefined;
    if (!r || r.records === null || r.records === 0n) continue;
    out.push(toAggregateRow(r, [], day));
  }
  return out;
}

/**
 * Whether any bill was ever ingested: the small ingest_runs table answers, so a store of request logs alone
 * never scans its usage for billing rows.
 */
export function hasBillingRuns(db: Db): boolean {
  const sql = `SELECT 1 FROM ingest_runs WHERE status = 'ok' AND source IN (${BILLING_SOURCES.map(() => '?').join(', ')}) LIMIT 1`;
  return db.prepare(sql).get(...BILLING_SOURCES) !== undefined;
}

/** Every distinct value of a dimension in the store (for "did you mean" when a filter matches nothing). */
export function distinctValues(db: Db, dim: ColumnDimension): string[] {
  const col = `${DIMENSIONS[dim]}_dim`;
  const table = ROLLUP_DIMS.has(dim) ? 'usage_hourly_rows' : 'usage_rows';
  return db.prepare(`SELECT value FROM dict WHERE id IN (SELECT DISTINCT ${col} FROM ${table})`).pluck().all() as string[];
}

/** The values of `dim` (normalized as stored) that no stored row has. */
export function missingValues(db: Db, dim: ColumnDimension, values: readonly string[]): string[] {
  const col = `${DIMENSIONS[dim]}_dim`;
  const table = ROLLUP_DIMS.has(dim) ? 'usage_daily_rows' : 'usage_rows';
  const stmt = db.prepare(`SELECT 1 FROM ${table} WHERE ${col} = ${DICT_ID} LIMIT 1`);
  return values.filter((v) => stmt.get(v) === undefined);
}
