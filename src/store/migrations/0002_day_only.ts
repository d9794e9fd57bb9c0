/**
 * Date-only timestamps (daily exports, Cost Explorer's DAILY periods) are calendar days: `day_only` rows
 * belong to the day they name in every zone, so reports bucket them by their UTC date instead of shifting
 * them by the zone's offset. The rollup keeps them apart (day_only is part of its key).
 */
export const sql = `
ALTER TABLE usage ADD COLUMN day_only INTEGER NOT NULL DEFAULT 0;

-- Cost Explorer DAILY and MONTHLY periods were stored at UTC midnight: they are calendar days.
UPDATE usage SET day_only = 1
  WHERE source = 'cost-explorer' AND (source_id LIKE '%|DAILY|%' OR source_id LIKE '%|MONTHLY|%');

CREATE TABLE usage_hourly_v2 (
  hour               INTEGER NOT NULL,  -- floor(ts / 3600000); for day_only rows the UTC midnight of their day
  day_only           INTEGER NOT NULL,
  source             TEXT    NOT NULL,
  provider           TEXT    NOT NULL,
  model              TEXT    NOT NULL,
  user               TEXT    NOT NULL,
  team               TEXT    NOT NULL,
  api_key            TEXT    NOT NULL,
  endpoint           TEXT    NOT NULL,
  records            INTEGER NOT NULL,
  requests           INTEGER NOT NULL,
  input_tokens       INTEGER NOT NULL,
  output_tokens      INTEGER NOT NULL,
  cache_read_tokens  INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL,
  cost_nanos         INTEGER NOT NULL,
  unpriced_requests  INTEGER NOT NULL,
  PRIMARY KEY (hour, day_only, source, provider, model, user, team, api_key, endpoint)
) WITHOUT ROWID;

INSERT INTO usage_hourly_v2
  SELECT hour, 0, source, provider, model, user, team, api_key, endpoint, records, requests, input_tokens, output_tokens,
    cache_read_tokens, cache_write_tokens, cost_nanos, unpriced_requests
  FROM usage_hourly WHERE source <> 'cost-explorer';
INSERT INTO usage_hourly_v2
  SELECT ts / 3600000, day_only, source, provider, model, user, team, api_key, endpoint, COUNT(*), SUM(requests),
    SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), COALESCE(SUM(cost_nanos), 0),
    TOTAL(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END)
  FROM usage WHERE source = 'cost-explorer' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

DROP TABLE usage_hourly;
ALTER TABLE usage_hourly_v2 RENAME TO usage_hourly;

-- The first and last calendar day of day-only rows, without walking the time index past every timed row.
CREATE INDEX usage_day_only_ts ON usage (ts) WHERE day_only = 1;
CREATE INDEX usage_hourly_day_only ON usage_hourly (hour) WHERE day_only = 1;
`;
