/** Requests and tokens per minute, for `llmcost limits`: request-level rows only (a day-only row has no minute). */
import type { Db } from '../db.js';
import { BILLING_SOURCES, DIMENSIONS } from './report.js';

export type LimitsDimension = 'api-key' | 'team' | 'model';

export interface MinuteRow {
  key: string;
  /** Minutes since the epoch (UTC). */
  minute: number;
  requests: number;
  /** Input (cached too) + output tokens: what a gateway's tokens-per-minute limit counts. */
  tokens: number;
}

/** One row per (key, minute) with traffic in since ≤ ts < until. */
export function minuteTraffic(db: Db, dim: LimitsDimension, range: { since: number; until: number }): MinuteRow[] {
  const column = DIMENSIONS[dim];
  const sql = `SELECT ${column} AS key, ts / 60000 AS minute, SUM(requests) AS requests,
      SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens) AS tokens
    FROM usage
    WHERE ts >= ? AND ts < ? AND day_only = 0 AND requests > 0
      AND source NOT IN (${BILLING_SOURCES.map((b) => `'${b}'`).join(', ')})
    GROUP BY key, minute`;
  const rows = db.prepare(sql).all(range.since, range.until) as { key: string; minute: number; requests: number; tokens: number }[];
  return rows.map((r) => ({ key: String(r.key), minute: Number(r.minute), requests: Number(r.requests), tokens: Number(r.tokens) }));
}
