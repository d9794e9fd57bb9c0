/** The rollups ingest keeps beside the rows (schema migration 3): their upserts, keys and rebuild. */
import type { Db, Statement } from '../db.js';
import { DICT_ID } from './dict.js';

/** records, requests, input, output, cache read, cache write, cost, unpriced requests. */
export type Measures = [number, number, number, number, number, number, bigint, number];

export const HOUR_MS = 3_600_000;
export const QUARTER_MS = 900_000;
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

export const ROLLUP_KEYS = ['day_only', 'source_dim', 'provider_dim', 'model_dim', 'user_dim', 'team_dim', 'api_key_dim', 'endpoint_dim'];
export const UNPRICED_KEYS = [
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

export function addInto(g: (number | bigint)[], at: number, m: Measures): void {
  for (let i = 0; i < 6; i++) g[at + i] = (g[at + i] as number) + (m[i] as number);
  g[at + 6] = (g[at + 6] as bigint) + m[6];
  g[at + 7] = (g[at + 7] as number) + m[7];
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
