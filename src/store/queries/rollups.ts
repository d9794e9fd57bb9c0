/** The rollups ingest keeps beside the rows (schema migration 3): their upserts, keys and rebuild. */
import type { Db, Statement } from '../db.js';
import { DICT_ID } from './dict.js';

const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;
export const DAY_MS = 86_400_000;

const MEASURE_COLUMNS = [
  'records',
  'requests',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'cost_nanos',
  'unpriced_requests',
];
/** Rows per upsert statement: one call into SQLite for many rollup sums (a call per sum was 9% of CSV ingest). */
const UPSERT_BATCH = 64;

/** The upsert of one rollup table: `keys` are its key columns in order, `measures` follow and are added up. */
export class RollupUpsert {
  private readonly one: Statement;
  private readonly many: Statement;
  private readonly width: number;

  constructor(db: Db, table: string, keys: string[], measures = MEASURE_COLUMNS) {
    const cols = [...keys, ...measures];
    this.width = cols.length;
    const row = `(${cols.map(() => '?').join(', ')})`;
    const tail = `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${measures.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
    this.one = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${row} ${tail}`);
    this.many = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${new Array(UPSERT_BATCH).fill(row).join(', ')} ${tail}`);
  }

  run(groups: Iterable<(number | bigint)[]>): void {
    let values: (number | bigint)[] = [];
    let n = 0;
    for (const g of groups) {
      for (const v of g) values.push(v);
      if (++n === UPSERT_BATCH) {
        this.many.run(values);
        values = [];
        n = 0;
      }
    }
    for (let i = 0; i < n; i++) this.one.run(values.slice(i * this.width, (i + 1) * this.width));
  }
}

const ROLLUP_KEYS = ['day_only', 'source_dim', 'provider_dim', 'model_dim', 'user_dim', 'team_dim', 'api_key_dim', 'endpoint_dim'];
const UNPRICED_KEYS = [
  'day_only',
  'source_dim',
  'provider_dim',
  'model_raw_dim',
  'model_dim',
  'user_dim',
  'team_dim',
  'api_key_dim',
  'endpoint_dim',
];

/** The rollup dimensions of a row as dictionary ids, and its time. */
export interface RollupDims {
  ts: number;
  dayOnly: 0 | 1;
  source: number;
  provider: number;
  modelRaw: number;
  model: number;
  user: number;
  team: number;
  apiKey: number;
  endpoint: number;
}

/** Tuples numbered per batch stay below this (small integers: fast map keys). */
export const TUPLES = 2 ** 24;
/** Pending hourly sums that trigger a flush inside the transaction (memory stays bounded on any file). */
export const FLUSH_AT = 20_000;

export type Level = Map<number, Level | number>;

/** The number of a path of ids in nested maps (one small-integer look-up per id, no key string per row). */
export function numberOf(root: Level, ids: readonly number[], next: () => number): number {
  let map = root;
  const last = ids.length - 1;
  for (let i = 0; i < last; i++) {
    const id = ids[i] as number;
    let m = map.get(id);
    if (m === undefined) {
      m = new Map();
      map.set(id, m);
    }
    map = m as Level;
  }
  const leaf = ids[last] as number;
  let n = map.get(leaf);
  if (n === undefined) {
    n = next();
    map.set(leaf, n);
  }
  return n as number;
}

/** Sums by time unit and tuple number in maps keyed by small integers; consecutive rows mostly share a time unit. */
export class Sums<G> {
  private readonly byTime = new Map<number, Map<number, G>>();
  private lastTime = Number.NaN;
  private last: Map<number, G> | undefined;
  size = 0;

  private at(time: number): Map<number, G> {
    if (time === this.lastTime && this.last) return this.last;
    let m = this.byTime.get(time);
    if (m === undefined) {
      m = new Map();
      this.byTime.set(time, m);
    }
    this.lastTime = time;
    this.last = m;
    return m;
  }

  get(time: number, tuple: number): G | undefined {
    return this.at(time).get(tuple);
  }

  set(time: number, tuple: number, g: G): void {
    this.at(time).set(tuple, g);
    this.size++;
  }

  /** Each sum with its tuple number. */
  *entries(): IterableIterator<[number, G]> {
    for (const m of this.byTime.values()) yield* m;
  }

  *values(): IterableIterator<G> {
    for (const m of this.byTime.values()) yield* m.values();
  }

  clear(): void {
    this.byTime.clear();
    this.last = undefined;
    this.lastTime = Number.NaN;
    this.size = 0;
  }
}

/**
 * The rollup deltas of the rows one transaction writes, summed in memory by rollup key and added to the rollup
 * tables with one upsert per distinct key when flushed (before COMMIT). Add only rows the INSERT stored (its
 * `changes`), so a re-ingest adds nothing; an update adds the difference between new and old values. Sums stay
 * exact: counts are integers and cost is a bigint.
 */
export class RollupBatch {
  private readonly upsertHour: RollupUpsert;
  private readonly upsertDay: RollupUpsert;
  private readonly upsertQuarter: RollupUpsert;
  private readonly upsertUnpriced: RollupUpsert;
  /** Per hour and tuple: [hour, dimensions…, measures…] (the daily sums are made from them at flush). */
  private readonly hours = new Sums<(number | bigint)[]>();
  /** Per quarter hour and tuple: [quarter, day_only, source, provider, measures…]. */
  private readonly quarters = new Sums<(number | bigint)[]>();
  /** Per day and tuple (with raw model): [day, dimensions…, records, requests, tokens]. */
  private readonly unpriced = new Sums<number[]>();
  private readonly tuples: Level = new Map();
  private readonly quarterTuples: Level = new Map();
  private readonly unpricedTuples: Level = new Map();
  private count = 0;
  private readonly next = (): number => this.count++;
  /** Reused for every row: the ids whose tuple is looked up (rollup dimensions, then with raw model; quarter-hour ones). */
  private readonly path = [0, 0, 0, 0, 0, 0, 0, 0];
  private readonly unpricedPath = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  private readonly quarterPath = [0, 0, 0];

  constructor(db: Db) {
    this.upsertHour = new RollupUpsert(db, 'usage_hourly_rows', ['hour', ...ROLLUP_KEYS]);
    this.upsertDay = new RollupUpsert(db, 'usage_daily_rows', ['day', ...ROLLUP_KEYS]);
    this.upsertQuarter = new RollupUpsert(db, 'usage_quarter_rows', ['quarter', 'day_only', 'source_dim', 'provider_dim']);
    this.upsertUnpriced = new RollupUpsert(db, 'usage_unpriced_rows', ['day', ...UNPRICED_KEYS], ['records', 'requests', 'tokens']);
  }

  /** Adds one row's measures (or a difference) to the hour and quarter hour of `d`. */
  add(
    d: RollupDims,
    records: number,
    requests: number,
    input: number,
    output: number,
    cacheRead: number,
    cacheWrite: number,
    cost: bigint,
    unpricedRequests: number,
  ): void {
    // A row takes up to two numbers; they are reused after a flush, so the sums keyed by the old ones go first.
    if (this.count >= TUPLES - 2) this.flush();
    const p = this.path;
    p[0] = d.source;
    p[1] = d.provider;
    p[2] = d.model;
    p[3] = d.user;
    p[4] = d.team;
    p[5] = d.apiKey;
    p[6] = d.endpoint;
    p[7] = d.dayOnly;
    const hour = Math.floor(d.ts / HOUR_MS);
    const tuple = numberOf(this.tuples, p, this.next);
    const g = this.hours.get(hour, tuple);
    if (g === undefined) {
      this.hours.set(hour, tuple, [
        hour,
        d.dayOnly,
        d.source,
        d.provider,
        d.model,
        d.user,
        d.team,
        d.apiKey,
        d.endpoint,
        records,
        requests,
        input,
        output,
        cacheRead,
        cacheWrite,
        cost,
        unpricedRequests,
      ]);
    } else addMeasures(g, 9, records, requests, input, output, cacheRead, cacheWrite, cost, unpricedRequests);
    const quarter = Math.floor(d.ts / QUARTER_MS);
    const qp = this.quarterPath;
    qp[0] = d.source;
    qp[1] = d.provider;
    qp[2] = d.dayOnly;
    const qtuple = numberOf(this.quarterTuples, qp, this.next);
    const q = this.quarters.get(quarter, qtuple);
    if (q === undefined) {
      this.quarters.set(quarter, qtuple, [
        quarter,
        d.dayOnly,
        d.source,
        d.provider,
        records,
        requests,
        input,
        output,
        cacheRead,
        cacheWrite,
        cost,
        unpricedRequests,
      ]);
    } else addMeasures(q, 4, records, requests, input, output, cacheRead, cacheWrite, cost, unpricedRequests);
    if (this.hours.size >= FLUSH_AT) this.flush();
  }

  /** Adds to (or, negative, takes from) the unpriced rows of the day, raw model and dimensions of `d`. */
  addUnpriced(d: RollupDims, records: number, requests: number, tokens: number): void {
    if (this.count >= TUPLES - 1) this.flush();
    const p = this.unpricedPath;
    p[0] = d.source;
    p[1] = d.provider;
    p[2] = d.model;
    p[3] = d.user;
    p[4] = d.team;
    p[5] = d.apiKey;
    p[6] = d.endpoint;
    p[7] = d.dayOnly;
    p[8] = d.modelRaw;
    const day = Math.floor(d.ts / DAY_MS);
    const tuple = numberOf(this.unpricedTuples, p, this.next);
    const g = this.unpriced.get(day, tuple);
    if (g === undefined) {
      this.unpriced.set(day, tuple, [
        day,
        d.dayOnly,
        d.source,
        d.provider,
        d.modelRaw,
        d.model,
        d.user,
        d.team,
        d.apiKey,
        d.endpoint,
        records,
        requests,
        tokens,
      ]);
    } else {
      g[10] = (g[10] as number) + records;
      g[11] = (g[11] as number) + requests;
      g[12] = (g[12] as number) + tokens;
    }
  }

  /** Adds the pending sums to the rollup tables. Call inside the transaction the rows were written in. */
  flush(): void {
    const days = new Sums<(number | bigint)[]>();
    for (const [tuple, g] of this.hours.entries()) {
      const day = Math.floor((g[0] as number) / 24);
      const dg = days.get(day, tuple);
      if (dg === undefined) {
        const copy = g.slice();
        copy[0] = day;
        days.set(day, tuple, copy);
      } else {
        addMeasures(
          dg,
          9,
          g[9] as number,
          g[10] as number,
          g[11] as number,
          g[12] as number,
          g[13] as number,
          g[14] as number,
          g[15] as bigint,
          g[16] as number,
        );
      }
    }
    this.upsertHour.run(this.hours.values());
    this.upsertDay.run(days.values());
    this.upsertQuarter.run(this.quarters.values());
    this.upsertUnpriced.run(this.unpriced.values());
    this.discard();
  }

  /** Drops the pending sums (flushed, or their transaction was rolled back). */
  discard(): void {
    this.hours.clear();
    this.quarters.clear();
    this.unpriced.clear();
    this.tuples.clear();
    this.quarterTuples.clear();
    this.unpricedTuples.clear();
    this.count = 0;
  }
}

export function addMeasures(
  g: (number | bigint)[],
  at: number,
  records: number,
  requests: number,
  input: number,
  output: number,
  cacheRead: number,
  cacheWrite: number,
  cost: bigint,
  unpricedRequests: number,
): void {
  g[at] = (g[at] as number) + records;
  g[at + 1] = (g[at + 1] as number) + requests;
  g[at + 2] = (g[at + 2] as number) + input;
  g[at + 3] = (g[at + 3] as number) + output;
  g[at + 4] = (g[at + 4] as number) + cacheRead;
  g[at + 5] = (g[at + 5] as number) + cacheWrite;
  if (cost !== 0n) g[at + 6] = (g[at + 6] as bigint) + cost;
  g[at + 7] = (g[at + 7] as number) + unpricedRequests;
}

const ROLLUP_SUMS = `COUNT(*), SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),
  COALESCE(SUM(cost_nanos), 0), SUM(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END)`;

/** Recomputes the rollups of one source over [since, until) (widened to whole hours and days) after its rows there were replaced. */
export function rebuildRollupRange(db: Db, source: string, since: number, until: number): void {
  const from = Math.floor(since / HOUR_MS);
  const to = Math.ceil(until / HOUR_MS);
  const dayFrom = Math.floor(from / 24);
  const dayTo = Math.ceil(to / 24);
  const dims = ROLLUP_KEYS.join(', ');
  const rebuild = (table: string, time: string, unit: number, lo: number, hi: number, keys: string): void => {
    db.prepare(`DELETE FROM ${table} WHERE source_dim = ${DICT_ID} AND ${time} >= ? AND ${time} < ?`).run(source, lo, hi);
    db.prepare(
      `INSERT INTO ${table} SELECT ts / ${unit}, ${keys}, ${ROLLUP_SUMS}
      FROM usage_rows WHERE source_dim = ${DICT_ID} AND ts >= ? AND ts < ? GROUP BY ts / ${unit}, ${keys}`,
    ).run(source, lo * unit, hi * unit);
  };
  rebuild('usage_hourly_rows', 'hour', HOUR_MS, from, to, dims);
  rebuild('usage_daily_rows', 'day', 24 * HOUR_MS, dayFrom, dayTo, dims);
  rebuild('usage_quarter_rows', 'quarter', QUARTER_MS, from * 4, to * 4, 'day_only, source_dim, provider_dim');
  const keys = UNPRICED_KEYS.join(', ');
  db.prepare(`DELETE FROM usage_unpriced_rows WHERE source_dim = ${DICT_ID} AND day >= ? AND day < ?`).run(source, dayFrom, dayTo);
  db.prepare(
    `INSERT INTO usage_unpriced_rows SELECT ts / ${DAY_MS}, ${keys}, COUNT(*), SUM(requests),
      SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)
    FROM usage_rows WHERE source_dim = ${DICT_ID} AND ts >= ? AND ts < ? AND cost_nanos IS NULL GROUP BY ts / ${DAY_MS}, ${keys}`,
  ).run(source, dayFrom * DAY_MS, dayTo * DAY_MS);
}
