/**
 * A compact store. Every row repeated its dimension strings (source, provider, model, user, team, endpoint,
 * tags, price reference…) as text: about 280 bytes a row with its indexes and rollup. Strings now live once in
 * `dict` and rows hold their integer ids (1–2 bytes each); `usage` and `usage_hourly` stay as views with the
 * same columns, so ad-hoc SQL and older scripts read the same names and values.
 *
 * Rollups: `usage_hourly_rows` (every rollup dimension, per UTC hour) as before; `usage_daily_rows` (the same
 * dimensions per UTC day) so long ranges read one row per group and day; `usage_quarter_rows` (source and
 * provider only, per 15 minutes) so daily and weekly totals are exact in every zone, half- and quarter-hour
 * offsets included, from a few rows per quarter hour; `usage_unpriced_rows` (unpriced rows by raw model name, per
 * UTC day) so the unpriced-models note of a report does not walk every unpriced row of its range.
 */
const dimensionColumns = [
  'source',
  'provider',
  'model_raw',
  'model',
  'region',
  'user',
  'team',
  'api_key',
  'endpoint',
  'tags',
  'service_tier',
  'status',
  'cost_basis',
  'price_ref',
] as const;

const id = (column: string, from = 'u'): string => `(SELECT id FROM dict WHERE value = ${from}.${column})`;
const name = (column: string): string => `(SELECT value FROM dict WHERE id = u.${column}_dim) AS ${column}`;

const measures = `records INTEGER NOT NULL, requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL, cost_nanos INTEGER NOT NULL,
  unpriced_requests INTEGER NOT NULL`;
const sums = `COUNT(*), SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),
  COALESCE(SUM(cost_nanos), 0), SUM(CASE WHEN cost_nanos IS NULL THEN requests ELSE 0 END)`;

export const sql = `
CREATE TABLE dict (
  id    INTEGER PRIMARY KEY,
  value TEXT    NOT NULL UNIQUE
);

INSERT INTO dict (value)
  ${dimensionColumns.map((c) => `SELECT ${c} FROM usage WHERE ${c} IS NOT NULL`).join('\n  UNION ')}
  ${['source', 'provider', 'model', 'user', 'team', 'api_key', 'endpoint'].map((c) => `UNION SELECT ${c} FROM usage_hourly`).join('\n  ')};

CREATE TABLE usage_rows (
  id                    INTEGER PRIMARY KEY,
  ts                    INTEGER NOT NULL,
  day_only              INTEGER NOT NULL DEFAULT 0,
  dedupe_key            BLOB    NOT NULL UNIQUE,
  source_id             TEXT,
  source_dim            INTEGER NOT NULL,
  provider_dim          INTEGER NOT NULL,
  model_raw_dim         INTEGER NOT NULL,
  model_dim             INTEGER NOT NULL,
  region_dim            INTEGER,
  user_dim              INTEGER NOT NULL,
  team_dim              INTEGER NOT NULL,
  api_key_dim           INTEGER NOT NULL,
  endpoint_dim          INTEGER NOT NULL,
  tags_dim              INTEGER,
  service_tier_dim      INTEGER NOT NULL,
  status_dim            INTEGER NOT NULL,
  cost_basis_dim        INTEGER NOT NULL,
  price_ref_dim         INTEGER,
  requests              INTEGER NOT NULL DEFAULT 1,
  input_tokens          INTEGER NOT NULL DEFAULT 0,
  output_tokens         INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens     INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens    INTEGER NOT NULL DEFAULT 0,
  cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0,
  cost_nanos            INTEGER,
  reported_cost_nanos   INTEGER,
  computed_cost_nanos   INTEGER,
  run_id                INTEGER REFERENCES ingest_runs(id)
);

INSERT INTO usage_rows (id, ts, day_only, dedupe_key, source_id, ${dimensionColumns.map((c) => `${c}_dim`).join(', ')},
    requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, cost_nanos,
    reported_cost_nanos, computed_cost_nanos, run_id)
  SELECT id, ts, day_only, dedupe_key, source_id, ${dimensionColumns.map((c) => id(c)).join(', ')},
    requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, cost_nanos,
    reported_cost_nanos, computed_cost_nanos, run_id
  FROM usage u ORDER BY id;

CREATE TABLE usage_hourly_rows (
  hour INTEGER NOT NULL, day_only INTEGER NOT NULL, source_dim INTEGER NOT NULL, provider_dim INTEGER NOT NULL,
  model_dim INTEGER NOT NULL, user_dim INTEGER NOT NULL, team_dim INTEGER NOT NULL, api_key_dim INTEGER NOT NULL,
  endpoint_dim INTEGER NOT NULL, ${measures},
  PRIMARY KEY (hour, day_only, source_dim, provider_dim, model_dim, user_dim, team_dim, api_key_dim, endpoint_dim)
) WITHOUT ROWID;

INSERT INTO usage_hourly_rows
  SELECT hour, day_only, ${['source', 'provider', 'model', 'user', 'team', 'api_key', 'endpoint'].map((c) => id(c, 'h')).join(', ')},
    records, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos, unpriced_requests
  FROM usage_hourly h;

DROP TABLE usage;
DROP TABLE usage_hourly;

CREATE TABLE usage_daily_rows (
  day INTEGER NOT NULL, day_only INTEGER NOT NULL, source_dim INTEGER NOT NULL, provider_dim INTEGER NOT NULL,
  model_dim INTEGER NOT NULL, user_dim INTEGER NOT NULL, team_dim INTEGER NOT NULL, api_key_dim INTEGER NOT NULL,
  endpoint_dim INTEGER NOT NULL, ${measures},
  PRIMARY KEY (day, day_only, source_dim, provider_dim, model_dim, user_dim, team_dim, api_key_dim, endpoint_dim)
) WITHOUT ROWID;

INSERT INTO usage_daily_rows
  SELECT hour / 24, day_only, source_dim, provider_dim, model_dim, user_dim, team_dim, api_key_dim, endpoint_dim,
    SUM(records), SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),
    SUM(cost_nanos), SUM(unpriced_requests)
  FROM usage_hourly_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

CREATE TABLE usage_quarter_rows (
  quarter INTEGER NOT NULL, day_only INTEGER NOT NULL, source_dim INTEGER NOT NULL, provider_dim INTEGER NOT NULL, ${measures},
  PRIMARY KEY (quarter, day_only, source_dim, provider_dim)
) WITHOUT ROWID;

INSERT INTO usage_quarter_rows
  SELECT ts / 900000, day_only, source_dim, provider_dim, ${sums}
  FROM usage_rows GROUP BY 1, 2, 3, 4;

-- What is unpriced, by the model name as the source wrote it, per UTC day: every report lists it.
CREATE TABLE usage_unpriced_rows (
  day INTEGER NOT NULL, day_only INTEGER NOT NULL, source_dim INTEGER NOT NULL, provider_dim INTEGER NOT NULL,
  model_raw_dim INTEGER NOT NULL, model_dim INTEGER NOT NULL, user_dim INTEGER NOT NULL, team_dim INTEGER NOT NULL,
  api_key_dim INTEGER NOT NULL, endpoint_dim INTEGER NOT NULL,
  records INTEGER NOT NULL, requests INTEGER NOT NULL, tokens INTEGER NOT NULL,
  PRIMARY KEY (day, day_only, source_dim, provider_dim, model_raw_dim, model_dim, user_dim, team_dim, api_key_dim, endpoint_dim)
) WITHOUT ROWID;

INSERT INTO usage_unpriced_rows
  SELECT ts / 86400000, day_only, source_dim, provider_dim, model_raw_dim, model_dim, user_dim, team_dim, api_key_dim, endpoint_dim,
    COUNT(*), SUM(requests), SUM(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens)
  FROM usage_rows WHERE cost_nanos IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;

CREATE INDEX usage_ts ON usage_rows (ts);
-- Unpriced rows of a time range without walking every row of it (reports list them).
CREATE INDEX usage_unpriced ON usage_rows (ts) WHERE cost_nanos IS NULL;
CREATE INDEX usage_day_only_ts ON usage_rows (ts) WHERE day_only = 1;
CREATE INDEX usage_hourly_day_only ON usage_hourly_rows (hour) WHERE day_only = 1;

-- The names and columns of schema 2, for ad-hoc SQL: each string looked up only when its column is read.
CREATE VIEW usage AS SELECT u.id, u.ts, ${name('source')}, u.dedupe_key, u.source_id,
    ${['provider', 'model_raw', 'model', 'region', 'user', 'team', 'api_key', 'endpoint', 'tags', 'service_tier', 'status'].map(name).join(', ')},
    u.requests, u.input_tokens, u.output_tokens, u.cache_read_tokens, u.cache_write_tokens, u.cache_write_1h_tokens,
    u.cost_nanos, ${name('cost_basis')}, u.reported_cost_nanos, u.computed_cost_nanos, ${name('price_ref')}, u.run_id, u.day_only
  FROM usage_rows u;

CREATE VIEW usage_hourly AS SELECT u.hour, u.day_only,
    ${['source', 'provider', 'model', 'user', 'team', 'api_key', 'endpoint'].map(name).join(', ')},
    u.records, u.requests, u.input_tokens, u.output_tokens, u.cache_read_tokens, u.cache_write_tokens, u.cost_nanos,
    u.unpriced_requests
  FROM usage_hourly_rows u;
`;
