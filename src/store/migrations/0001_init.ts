/** Initial schema. Applied migrations are never edited: add 0002_… instead. */
export const sql = `
CREATE TABLE ingest_runs (
  id             INTEGER PRIMARY KEY,
  source         TEXT    NOT NULL,
  file           TEXT,
  file_size      INTEGER,
  file_mtime_ms  INTEGER,
  started_at     INTEGER NOT NULL,
  finished_at    INTEGER,
  status         TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'failed', 'dry-run')),
  rows_read      INTEGER NOT NULL DEFAULT 0,
  rows_inserted  INTEGER NOT NULL DEFAULT 0,
  rows_duplicate INTEGER NOT NULL DEFAULT 0,
  rows_rejected  INTEGER NOT NULL DEFAULT 0,
  rows_unpriced  INTEGER NOT NULL DEFAULT 0
);

-- One row per request, or per aggregated usage line (requests > 1).
-- Money is integer nano-USD. cost_nanos is the cost reports sum: the source's reported cost when it
-- has one, else llmcost's computed cost, else NULL (unpriced, never a silent 0).
CREATE TABLE usage (
  id                  INTEGER PRIMARY KEY,
  ts                  INTEGER NOT NULL,             -- UTC epoch ms
  source              TEXT    NOT NULL,
  dedupe_key          BLOB    NOT NULL UNIQUE,      -- 16-byte hash of (source, source id or content)
  source_id           TEXT,                         -- the source's own record id, when it has one
  provider            TEXT    NOT NULL DEFAULT '',
  model_raw           TEXT    NOT NULL,
  model               TEXT    NOT NULL,             -- normalized: no vendor/geo prefix or version suffix
  region              TEXT,
  user                TEXT    NOT NULL DEFAULT '',
  team                TEXT    NOT NULL DEFAULT '',
  api_key             TEXT    NOT NULL DEFAULT '',  -- key alias or hash, never a secret
  endpoint            TEXT    NOT NULL DEFAULT '',
  tags                TEXT,                         -- JSON array of strings
  service_tier        TEXT    NOT NULL DEFAULT 'standard',
  status              TEXT    NOT NULL DEFAULT 'ok',
  requests            INTEGER NOT NULL DEFAULT 1,
  input_tokens        INTEGER NOT NULL DEFAULT 0,   -- uncached input only
  output_tokens       INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens   INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens  INTEGER NOT NULL DEFAULT 0,   -- all cache writes (5-minute and 1-hour)
  cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0, -- the 1-hour part of cache_write_tokens
  cost_nanos          INTEGER,
  cost_basis          TEXT    NOT NULL CHECK (cost_basis IN ('reported', 'computed', 'billed', 'unpriced')),
  reported_cost_nanos INTEGER,
  computed_cost_nanos INTEGER,
  price_ref           TEXT,                         -- catalog entry and price date used for computed_cost_nanos
  run_id              INTEGER REFERENCES ingest_runs(id)
);

-- Raw-table scans (filters the rollup cannot answer) go through time; unpriced lookups stay cheap.
CREATE INDEX usage_ts ON usage (ts);
CREATE INDEX usage_unpriced ON usage (model_raw) WHERE cost_nanos IS NULL;

-- Hourly rollup of usage, maintained by ingest in the same transaction as the rows it sums. Reports read
-- it instead of millions of raw rows. Hours are UTC; local days in zones with whole-hour offsets are
-- whole sets of hours, other zones (and filters on columns not here) fall back to the raw table.
CREATE TABLE usage_hourly (
  hour               INTEGER NOT NULL,  -- floor(ts / 3600000)
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
  cost_nanos         INTEGER NOT NULL,  -- sum of priced rows
  unpriced_requests  INTEGER NOT NULL,
  PRIMARY KEY (hour, source, provider, model, user, team, api_key, endpoint)
) WITHOUT ROWID;

-- Price catalogs loaded with \`llmcost prices update\`; the newest one replaces the embedded catalog.
CREATE TABLE price_catalogs (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,
  version    TEXT    NOT NULL,
  sha256     TEXT    NOT NULL,
  loaded_at  INTEGER NOT NULL,
  file       TEXT,
  data       TEXT    NOT NULL
);
`;
