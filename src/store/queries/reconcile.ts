/**
 * Sums for reconcile: request-level logged and computed cost, and billed cost, per UTC day and model. Gateway cache
 * hits made no provider call, so they are left out: the provider never billed them.
 */
import type { ReconcileRow } from '../../core/types.js';
import type { Db } from '../db.js';
import { BILLING_SOURCES, costSum, nanosOf } from './report.js';

export type { ReconcileRow };

export function reconcileRows(db: Db, since: number, until: number, provider: string): ReconcileRow[] {
  const billing = BILLING_SOURCES.map((b) => `'${b}'`).join(', ');
  const sql = `SELECT ts / 86400000 AS day, model, CASE WHEN source IN (${billing}) THEN 'billed' ELSE 'usage' END AS basis,
      ${costSum('reported_cost_nanos', 'logged')}, ${costSum('computed_cost_nanos', 'computed')},
      ${costSum('cost_nanos', 'cost')}, SUM(requests) AS requests,
      TOTAL(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END) AS unpricedRequests,
      TOTAL(CASE WHEN instr(price_ref, ';uncertain=') > 0 THEN requests ELSE 0 END) AS uncertainRequests,
      TOTAL(cache_read_tokens + cache_write_tokens) AS cacheTokens,
      SUM(CASE WHEN status = 'estimated' THEN 1 ELSE 0 END) AS estimated
    FROM usage WHERE ts >= ? AND ts < ? AND provider = ? AND status <> 'cache-hit' GROUP BY 1, 2, 3 ORDER BY 1, 2`;
  const rows = db.prepare(sql).safeIntegers(true).all(since, until, provider) as Record<string, bigint | string | number>[];
  return rows.map((r) => ({
    day: Number(r.day),
    model: String(r.model),
    basis: r.basis === 'billed' ? 'billed' : 'usage',
    loggedNanos: nanosOf(r, 'logged'),
    computedNanos: nanosOf(r, 'computed'),
    costNanos: nanosOf(r, 'cost'),
    requests: Number(r.requests ?? 0),
    unpricedRequests: Number(r.unpricedRequests ?? 0),
    uncertainRequests: Number(r.uncertainRequests ?? 0),
    cacheTokens: Number(r.cacheTokens ?? 0),
    estimated: Number(r.estimated ?? 0),
  }));
}

/**
 * First and last request-level timestamps of a provider's logs (excluding gateway cache hits), or undefined. A
 * day-only line (a daily bucket of an organization usage API) covers its whole day: it ends at the day's last ms.
 */
export function logSpan(db: Db, provider: string): { first: number; last: number } | undefined {
  const billing = BILLING_SOURCES.map((b) => `'${b}'`).join(', ');
  const where = `FROM usage WHERE provider = ? AND source NOT IN (${billing}) AND status <> 'cache-hit'`;
  const end = 'CASE WHEN day_only = 1 THEN ts + 86399999 ELSE ts END';
  const row = db.prepare(`SELECT (SELECT MIN(ts) ${where}) AS first, (SELECT MAX(${end}) ${where}) AS last`).get(provider, provider) as
    | { first: number | null; last: number | null }
    | undefined;
  return row && row.first !== null && row.last !== null ? { first: row.first, last: row.last } : undefined;
}
