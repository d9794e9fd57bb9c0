/**
 * Gateway health beside cost. Each request row gains three small columns, NULL where the source does not carry
 * the figure (so a CSV without a status column says "not in the data" rather than 0% failures):
 * `failed` (1 failed, 0 served), `cache_hit` (1 answered from the gateway's own cache) and `latency_ms`.
 *
 * `usage_health_rows` rolls them up per UTC day with latency as a histogram (one row per log-spaced bucket, 8 a
 * doubling, see lib/latency.ts; -1: no latency), once for all requests and once per value of each dimension
 * `health --by` reads from it (model, endpoint, team, API key; `kind` says which): a histogram per combination of
 * every dimension held 0.68 rows a request on the bench's 1M-request store (a group's few requests a day spread
 * over some 25 buckets) and read slower than sorting every latency. Users, and filtered reports, read the rows.
 * Only rows that carry a health figure are rolled up: a store of Claude Code logs or bills gains no rows here.
 *
 * The `usage` view is left as it is (other migrations may redefine it): read these columns from `usage_rows`.
 *
 * Rows stored before this migration have no latency; their status text is read back: LiteLLM's
 * success/failure/cache-hit and Bedrock's ok/error:CODE/guardrail-blocked always carry a status; a CSV's only
 * when it is not the "ok" ingest wrote for a missing status column; bills, Claude Code and others never.
 */
/** The health rollup's kinds of group (see queries/health-rollup.ts): 0 all requests, then one dimension each. */
const KINDS = [
  [0, '0'],
  [1, 'model_dim'],
  [2, 'endpoint_dim'],
  [3, 'team_dim'],
  [4, 'api_key_dim'],
] as const;

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
  day INTEGER NOT NULL, kind INTEGER NOT NULL, value_dim INTEGER NOT NULL, bucket INTEGER NOT NULL,
  requests INTEGER NOT NULL, status_known INTEGER NOT NULL, failures INTEGER NOT NULL, cache_known INTEGER NOT NULL,
  cache_hits INTEGER NOT NULL,
  PRIMARY KEY (kind, day, value_dim, bucket)
) WITHOUT ROWID;

INSERT INTO usage_health_rows
  ${KINDS.map(
    ([kind, column]) => `SELECT ts / 86400000, ${kind}, ${column}, -1,
    SUM(requests), SUM(CASE WHEN failed IS NULL THEN 0 ELSE requests END), SUM(CASE WHEN failed = 1 THEN requests ELSE 0 END),
    SUM(CASE WHEN cache_hit IS NULL THEN 0 ELSE requests END), SUM(CASE WHEN cache_hit = 1 THEN requests ELSE 0 END)
  FROM usage_rows WHERE failed IS NOT NULL OR cache_hit IS NOT NULL GROUP BY 1, 3`,
  ).join('\n  UNION ALL ')};

-- The gateway's cache hits of a range, priced as if served, without walking every row of it.
CREATE INDEX usage_cache_hits ON usage_rows (ts) WHERE cache_hit = 1;
`;
