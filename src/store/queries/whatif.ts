/** Request-level usage for `whatif` and the roadmap's measured savings: priced rows grouped for repricing. */
import type { WhatifRow } from '../../analysis/whatif.js';
import type { Db } from '../db.js';
import { BILLING_SOURCES } from './report.js';

const NOT_BILLED = `source NOT IN (${BILLING_SOURCES.map((b) => `'${b}'`).join(', ')})`;

/**
 * Priced usage rows (not billing rows) with since ≤ ts < until, grouped by endpoint, provider, logged model, region,
 * service tier and output tokens per request, so an output-length distribution and a repricing come from one read.
 */
export function whatifRows(db: Db, range: { since: number; until: number }): WhatifRow[] {
  const sql = `SELECT endpoint, provider, model_raw AS modelRaw, model, COALESCE(region, '') AS region, service_tier AS serviceTier,
      output_tokens / requests AS outputPerRequest,
      SUM(requests) AS requests, SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
      SUM(cache_read_tokens) AS cacheReadTokens, SUM(cache_write_tokens) AS cacheWriteTokens,
      SUM(cost_nanos) AS costNanos, MAX(ts) AS ts
    FROM usage
    WHERE ts >= ? AND ts < ? AND ${NOT_BILLED} AND cost_nanos IS NOT NULL AND requests > 0
    GROUP BY endpoint, provider, model_raw, model, region, service_tier, outputPerRequest
    ORDER BY endpoint, provider, model_raw, outputPerRequest`;
  const rows = db.prepare(sql).safeIntegers(true).all(range.since, range.until) as Record<string, string | bigint>[];
  return rows.map((r) => ({
    endpoint: String(r.endpoint),
    provider: String(r.provider),
    modelRaw: String(r.modelRaw),
    model: String(r.model),
    region: String(r.region),
    serviceTier: String(r.serviceTier),
    outputPerRequest: Number(r.outputPerRequest),
    requests: Number(r.requests),
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    cacheReadTokens: Number(r.cacheReadTokens),
    cacheWriteTokens: Number(r.cacheWriteTokens),
    costNanos: BigInt(r.costNanos ?? 0n),
    ts: Number(r.ts),
  }));
}
