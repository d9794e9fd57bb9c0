/**
 * Gateway health beside cost. Each request row gains three small columns, NULL where the source does not carry
 * the figure (so a CSV without a status column says "not in the data" rather than 0% failures):
 * `failed` (1 failed, 0 served), `cache_hit` (1 answered from the gateway's own cache) and `latency_ms`.
 *
 * `usage_health_rows` rolls them up per UTC day and rollup dimensions, with latency as a histogram: one row per
 * log-spaced latency bucket (8 a doubling, see analysis/health.ts; -1: no latency), so p50/p95 per model,
 * endpoint, team or key come from a few rows a day, not a scan of every request. Only rows that carry a health
 * figure are rolled up: a store of Claude Code logs or bills gains no rows here.
 *
 * The `usage` view is left as it is (other migrations may redefine it): read these columns from `usage_rows`.
 *
 * Rows stored before this migration have no latency; their status text is read back: LiteLLM's
 * success/failure/cache-hit and Bedrock's ok/error:CODE/guardrail-blocked always carry a status; a CSV's only
 * when it is not the "ok" ingest wrote for a missing status column; bills, Claude Code and others never.
 */
const FAILED_TEXT = `(status = 'failure' OR status = 'failed' OR status = 'error' OR status LIKE 'error:%')`;

export const sql = `
ALTER TABLE usage_rows ADD COLUMN failed INTEGER;
ALTER TABLE usage_rows ADD COLUMN cache_hit INTEGER;
ALTER TABLE usage_rows ADD COLUMN latency_ms INTEGER;

UPDATE usage_rows SET
  failed = (SELECT CASE
      WHEN s.value IN ('litellm', 'bedrock-log') OR (s.value = 'csv' AND t.value <> 'ok')
        THEN (SELECT CASE WHEN ${FAILED_TEXT.replaceAll('status', 't.value')} THEN 1 ELSE 0 END)
    END
    FROM dict s, dict t WHERE s.id = usage_rows.source_dim AND t.id = usage_rows.status_dim),
  cache_hit = (SELECT CASE WHEN s.value = 'litellm' THEN (t.value = 'cache-hit') END
    FROM dict s, dict t WHERE s.id = usage_rows.source_dim AND t.id = usage_rows.status_dim)
WHERE source_dim IN (SELECT id FROM dict WHERE value IN ('litellm', 'bedrock-log', 'csv'));

CREATE TABLE usage_health_rows (
  day INTEGER NOT NULL, day_only INTEGER NOT NULL, source_dim INTEGER NOT NULL, provider_dim INTEGER NOT NULL,
  model_dim INTEGER NOT NULL, user_dim INTEGER NOT NULL, team_dim INTEGER NOT NULL, api_key_dim INTEGER NOT NULL,
  endpoint_dim INTEGER NOT NULL, bucket INTEGER NOT NULL,
  requests INTEGER NOT NULL, status_known INTEGER NOT NULL, failures INTEGER NOT NULL, cache_known INTEGER NOT NULL,
  cache_hits INTEGER NOT NULL,
  PRIMARY KEY (day, day_only, source_dim, provider_dim, model_dim, user_dim, team_dim, api_key_dim, endpoint_dim, bucket)
) WITHOUT ROWID;

INSERT INTO usage_health_rows
  SELECT ts / 86400000, day_only, source_dim, provider_dim, model_dim, user_dim, team_dim, api_key_dim, endpoint_dim, -1,
    SUM(requests), SUM(CASE WHEN failed IS NULL THEN 0 ELSE requests END), SUM(CASE WHEN failed = 1 THEN requests ELSE 0 END),
    SUM(CASE WHEN cache_hit IS NULL THEN 0 ELSE requests END), SUM(CASE WHEN cache_hit = 1 THEN requests ELSE 0 END)
  FROM usage_rows WHERE failed IS NOT NULL OR cache_hit IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

-- The gateway's cache hits of a range, priced as if served, without walking every row of it.
CREATE INDEX usage_cache_hits ON usage_rows (ts) WHERE cache_hit = 1;
`;
