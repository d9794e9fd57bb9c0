/**
 * Spend by tag, rolled up. `usage_tags` made a `--tag` filter an index look-up, but `--by tag:KEY` still visited
 * every row of its range (one seek into usage_tags per row: 4–10 s on a 1M-row store). `usage_tag_daily_rows`
 * holds, per UTC day, tag key and value and every dimension of the daily rollup, the sums of the rows carrying
 * that tag, in exact integers like the other rollups. Kept by ingest in the rows' transaction and rebuilt with the
 * other rollups (queries/tag-rollup.ts).
 *
 * Grain: measured on the bench's 10M-row tagged store (90 days, 2.1 tags a row): by day with every rollup
 * dimension 633k rows; by hour 6.8M (two thirds of the rows: no rollup), by hour without the user 4.5M. On
 * LiteLLM-shaped data (200k requests, 3.4 tags each, 500 users and their keys) by day with every dimension it held
 * 79k rows, 0.4 a request; without the user and the API key 4.6k: so those two are left out, and a tag report by
 * or filtered on user or key reads the rows. Reads take whole UTC days from here and the rest of a range (the
 * hours at its ends, the edges of a day in Asia/Kolkata) from the rows.
 *
 * - `extra` = 1 for a row's second and later values of one key (by value id): `--by tag:KEY` counts a row once,
 *   under its first value (queries/tags.ts tagSelect), so it reads `extra = 0`; `--by tag` reads both.
 * - `key_dim` -1 (value 0): every row that has any tag, once: the untagged spend of `--by tag` is the total less it.
 *   The untagged spend of `tag:KEY` is the total less the key's `extra = 0` rows.
 * - Key first in the primary key: a `tag:KEY` report or a `--tag KEY=VALUE` filter reads one key's days.
 */
const measures = `records INTEGER NOT NULL, requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL, cost_nanos INTEGER NOT NULL,
  unpriced_requests INTEGER NOT NULL`;
const dims = 'day_only, source_dim, provider_dim, model_dim, team_dim, endpoint_dim';
const rowDims = dims
  .split(', ')
  .map((c) => `u.${c}`)
  .join(', ');
const sums = `COUNT(*), SUM(u.requests), SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_read_tokens),
  SUM(u.cache_write_tokens), COALESCE(SUM(u.cost_nanos), 0), SUM(CASE WHEN u.cost_nanos IS NULL THEN u.requests ELSE 0 END)`;

export const sql = `
CREATE TABLE usage_tag_daily_rows (
  key_dim INTEGER NOT NULL, day INTEGER NOT NULL, value_dim INTEGER NOT NULL, extra INTEGER NOT NULL,
  day_only INTEGER NOT NULL, source_dim INTEGER NOT NULL, provider_dim INTEGER NOT NULL, model_dim INTEGER NOT NULL,
  team_dim INTEGER NOT NULL, endpoint_dim INTEGER NOT NULL,
  ${measures},
  PRIMARY KEY (key_dim, day, value_dim, extra, ${dims})
) WITHOUT ROWID;

-- usage_tags is in (row, key, value) order: a row's earlier tag of the same key makes this one extra.
INSERT INTO usage_tag_daily_rows
  SELECT t.key_dim, u.ts / 86400000, t.value_dim, t.extra, ${rowDims}, ${sums}
  FROM (SELECT row_id, key_dim, value_dim, (lag(key_dim) OVER (PARTITION BY row_id ORDER BY key_dim, value_dim) IS key_dim) AS extra
        FROM usage_tags) t
  JOIN usage_rows u ON u.id = t.row_id
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;

INSERT INTO usage_tag_daily_rows
  SELECT -1, u.ts / 86400000, 0, 0, ${rowDims}, ${sums}
  FROM usage_rows u WHERE EXISTS (SELECT 1 FROM usage_tags t WHERE t.row_id = u.id)
  GROUP BY 2, 5, 6, 7, 8, 9, 10;
`;
