/**
 * Tags and the customer as dimensions. Rows kept their tags as one JSON text (`tags_dim`), so a by-tag report
 * had to parse every row's list. Each tag now is a row of `usage_tags`: (usage row, key id, value id), strings in
 * `dict`, indexed by (key, value), so `--by tag:KEY` and `--tag KEY=VALUE` are index look-ups. A plain tag (no
 * key) has key id 0 (dict ids start at 1). The JSON list stays on the row, as the source gave it.
 *
 * `customer_dim`: the end user a gateway served (LiteLLM `end_user`), beside `user` (the key owner). Rows stored
 * before it carry the customer as an `end_user:` tag; it is copied from there.
 *
 * The tags stored before are split here with the rules of src/core/tags.ts (`tagPair`): `tag:K=V` → (K, V);
 * else the first `:` or `=` separates key and value; a tag with neither (or starting with one) is plain.
 */
const dimensionViewColumns = [
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
];
const name = (column: string): string => `(SELECT value FROM dict WHERE id = u.${column}_dim) AS ${column}`;

/** `t`'s first separator (1-based; 0: none), then key and value by tagPair's rules. */
const c = "instr(t, ':')";
const e = "instr(t, '=')";
const sep = `(CASE WHEN ${c} = 0 THEN ${e} WHEN ${e} = 0 THEN ${c} ELSE min(${c}, ${e}) END)`;
const cloud = `(t LIKE 'tag:%' AND ${e} > 5)`;
const key = `CASE WHEN ${cloud} THEN trim(substr(t, 5, ${e} - 5)) WHEN ${sep} > 1 THEN trim(substr(t, 1, ${sep} - 1)) END`;
const value = `CASE WHEN ${cloud} THEN trim(substr(t, ${e} + 1)) WHEN ${sep} > 1 THEN trim(substr(t, ${sep} + 1)) ELSE trim(t) END`;

export const sql = `
ALTER TABLE usage_rows ADD COLUMN customer_dim INTEGER;

CREATE TABLE usage_tags (
  row_id    INTEGER NOT NULL REFERENCES usage_rows(id) ON DELETE CASCADE,
  key_dim   INTEGER NOT NULL,
  value_dim INTEGER NOT NULL,
  PRIMARY KEY (row_id, key_dim, value_dim)
) WITHOUT ROWID;
-- (key, value) → rows: a tag:KEY group-by or a --tag filter reads this index, not the rows' JSON.
CREATE INDEX usage_tags_key_value ON usage_tags (key_dim, value_dim);

-- Each distinct stored tag list, split once: lists repeat across many rows.
CREATE TEMP TABLE tag_split AS
  SELECT tags_dim, ${key} AS k, ${value} AS v
  FROM (SELECT d.id AS tags_dim, j.value AS t
        FROM dict d, json_each(d.value) j
        WHERE d.id IN (SELECT DISTINCT tags_dim FROM usage_rows WHERE tags_dim IS NOT NULL)
          AND json_valid(d.value) AND j.type = 'text');

INSERT OR IGNORE INTO dict (value) SELECT k FROM tag_split WHERE k IS NOT NULL UNION SELECT v FROM tag_split;

INSERT OR IGNORE INTO usage_tags (row_id, key_dim, value_dim)
  SELECT u.id, COALESCE(kd.id, 0), vd.id
  FROM tag_split s
  JOIN usage_rows u ON u.tags_dim = s.tags_dim
  JOIN dict vd ON vd.value = s.v
  LEFT JOIN dict kd ON kd.value = s.k
  ORDER BY 1, 2, 3;

DROP TABLE temp.tag_split;

UPDATE usage_rows SET customer_dim = (
    SELECT MIN(t.value_dim) FROM usage_tags t
    WHERE t.row_id = usage_rows.id AND t.key_dim = (SELECT id FROM dict WHERE value = 'end_user'))
  WHERE id IN (SELECT row_id FROM usage_tags WHERE key_dim = (SELECT id FROM dict WHERE value = 'end_user'));

DROP VIEW usage;
CREATE VIEW usage AS SELECT u.id, u.ts, ${name('source')}, u.dedupe_key, u.source_id,
    ${dimensionViewColumns.map(name).join(', ')},
    u.requests, u.input_tokens, u.output_tokens, u.cache_read_tokens, u.cache_write_tokens, u.cache_write_1h_tokens,
    u.cost_nanos, ${name('cost_basis')}, u.reported_cost_nanos, u.computed_cost_nanos, ${name('price_ref')}, u.run_id, u.day_only,
    ${name('customer')}
  FROM usage_rows u;

-- One row per tag of a usage row, for ad-hoc SQL: key NULL for a plain tag.
CREATE VIEW usage_tag AS SELECT t.row_id AS usage_id, (SELECT value FROM dict WHERE id = t.key_dim) AS key,
    (SELECT value FROM dict WHERE id = t.value_dim) AS value
  FROM usage_tags t;
`;
