/**
 * Requests and tokens per minute, for `llmcost limits`: request-level rows only. A day-only row has no minute, and an
 * aggregated line (requests > 1, e.g. an hourly export) spreads its requests over a span it does not record.
 */
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
    WHERE ts >= ? AND ts < ? AND day_only = 0 AND requests = 1
      AND source NOT IN (${NOT_BILLING})
    GROUP BY key, minute`;
  const rows = db.prepare(sql).all(range.since, range.until) as { key: string; minute: number; requests: number; tokens: number }[];
  return rows.map((r) => ({ key: String(r.key), minute: Number(r.minute), requests: Number(r.requests), tokens: Number(r.tokens) }));
}

const NOT_BILLING = BILLING_SOURCES.map((b) => `'${b}'`).join(', ');

/** The usage lines in the range that have no minute of their own (aggregated or day-only), left out of minuteTraffic. */
export function linesWithoutMinutes(db: Db, range: { since: number; until: number }): { lines: number; requests: number } {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS lines, COALESCE(SUM(requests), 0) AS requests FROM usage
        WHERE ts >= ? AND ts < ? AND (day_only = 1 OR requests > 1) AND source NOT IN (${NOT_BILLING})`,
    )
    .get(range.since, range.until) as { lines: number; requests: number };
  return { lines: Number(r.lines), requests: Number(r.requests) };
}
