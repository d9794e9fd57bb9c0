/** Reads and rewrites the pricing columns of stored request-level rows, for `llmcost reprice`. */
import type { Nanos } from '../../lib/money.js';
import type { Db } from '../db.js';
import { dictOf } from './dict.js';
import { BILLING_SOURCES } from './report.js';
import { type CostBasis, rebuildRollupRange } from './usage.js';

/** What pricing reads from a stored row, and the pricing columns it may rewrite. */
export interface StoredPricing {
  id: number;
  ts: number;
  source: string;
  provider: string;
  modelRaw: string;
  model: string;
  region: string | null;
  serviceTier: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  costNanos: Nanos | null;
  costBasis: CostBasis;
  reportedCostNanos: Nanos | null;
  computedCostNanos: Nanos | null;
  priceRef: string | null;
}

export interface RepriceFilter {
  since?: number | undefined;
  until?: number | undefined;
  /** Normalized model names (the caller normalizes what the user typed, as reports do). */
  model?: string[] | undefined;
}

type Raw = Record<string, bigint | string | null>;
const num = (v: unknown): number => Number(v ?? 0);
const nanos = (v: unknown): Nanos | null => (typeof v === 'bigint' ? v : v === null || v === undefined ? null : BigInt(String(v)));

/**
 * Request-level rows matching the filter, a page at a time in (ts, id) order, which the ts index gives.
 * The bill (Cost Explorer, CUR) is never repriced: it is what AWS charged. Pages are read whole, so the
 * caller may update the rows of a page before asking for the next.
 */
export function* storedPricingPages(db: Db, filter: RepriceFilter, pageSize = 10_000): Generator<StoredPricing[]> {
  const clauses = [`source NOT IN (${BILLING_SOURCES.map(() => '?').join(', ')})`, `cost_basis <> 'billed'`];
  const params: unknown[] = [...BILLING_SOURCES];
  if (filter.since !== undefined) {
    clauses.push('ts >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    clauses.push('ts < ?');
    params.push(filter.until);
  }
  if (filter.model && filter.model.length > 0) {
    clauses.push(`model IN (${filter.model.map(() => '?').join(', ')})`);
    params.push(...filter.model);
  }
  const stmt = db
    .prepare(
      `SELECT id, ts, source, provider, model_raw, model, region, service_tier, requests, input_tokens, output_tokens,
        cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, cost_nanos, cost_basis, reported_cost_nanos,
        computed_cost_nanos, price_ref
      FROM usage WHERE ${clauses.join(' AND ')} AND (ts, id) > (?, ?) ORDER BY ts, id LIMIT ?`,
    )
    .safeIntegers(true);
  let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
  for (;;) {
    const rows = (stmt.all(...params, ...after, pageSize) as Raw[]).map(
      (r): StoredPricing => ({
        id: num(r.id),
        ts: num(r.ts),
        source: String(r.source),
        provider: String(r.provider),
        modelRaw: String(r.model_raw),
        model: String(r.model),
        region: r.region === null ? null : String(r.region),
        serviceTier: String(r.service_tier),
        requests: num(r.requests),
        inputTokens: num(r.input_tokens),
        outputTokens: num(r.output_tokens),
        cacheReadTokens: num(r.cache_read_tokens),
        cacheWriteTokens: num(r.cache_write_tokens),
        cacheWrite1hTokens: num(r.cache_write_1h_tokens),
        costNanos: nanos(r.cost_nanos),
        costBasis: String(r.cost_basis) as CostBasis,
        reportedCostNanos: nanos(r.reported_cost_nanos),
        computedCostNanos: nanos(r.computed_cost_nanos),
        priceRef: r.price_ref === null ? null : String(r.price_ref),
      }),
    );
    if (rows.length > 0) yield rows;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = [last.ts, last.id];
  }
}

export type PricingUpdate = Pick<StoredPricing, 'costNanos' | 'costBasis' | 'computedCostNanos' | 'priceRef'>;

/** Rewrites one row's pricing columns; nothing else of the row changes. */
export function pricingWriter(db: Db): (id: number, u: PricingUpdate) => void {
  const stmt = db.prepare(
    'UPDATE usage_rows SET cost_nanos = ?, cost_basis_dim = ?, computed_cost_nanos = ?, price_ref_dim = ? WHERE id = ?',
  );
  const dict = dictOf(db);
  return (id, u) => {
    stmt.run(u.costNanos, dict.id(u.costBasis), u.computedCostNanos, dict.idOrNull(u.priceRef), id);
  };
}

/** Recomputes usage_hourly for the given hours of one source, one range per run of consecutive hours. */
export function rebuildRollupHours(db: Db, source: string, hours: Iterable<number>): void {
  const sorted = [...hours].sort((a, b) => a - b);
  let start = sorted[0];
  for (let i = 0; i < sorted.length; i++) {
    const h = sorted[i] as number;
    const next = sorted[i + 1];
    if (next === h + 1) continue;
    if (start !== undefined) rebuildRollupRange(db, source, start * 3_600_000, (h + 1) * 3_600_000);
    start = next;
  }
}
