/** Recognizes CSV header spellings (case-insensitive) and applies `--map field=column` overrides. */
import { UserError } from '../../lib/errors.js';

export const CSV_FIELDS = {
  timestamp: [
    'timestamp',
    'time',
    'date',
    'datetime',
    'date_time',
    'ts',
    'created_at',
    'created',
    'start_time',
    'starttime',
    'usage_date',
    'day',
    'request_time',
  ],
  model: ['model', 'model_id', 'model_name', 'modelid', 'model_group'],
  provider: ['provider', 'vendor', 'custom_llm_provider', 'platform', 'api_provider'],
  user: ['user', 'user_id', 'userid', 'username', 'user_name', 'user_email', 'email', 'principal', 'identity'],
  // The end user or customer served (LiteLLM's end_user column), beside the user who owns the key.
  customer: ['customer', 'customer_id', 'customer_name', 'end_user', 'end_user_id', 'client'],
  team: ['team', 'team_id', 'team_name', 'department', 'org_unit', 'cost_center'],
  api_key: ['api_key', 'api_key_alias', 'key_alias', 'api_key_name', 'key_name', 'api_key_id', 'key_id', 'api_key_hash'],
  endpoint: ['endpoint', 'feature', 'route', 'path', 'use_case', 'application', 'app', 'call_type'],
  input_tokens: ['input_tokens', 'prompt_tokens', 'tokens_in', 'input_token_count', 'inputtokencount', 'n_context_tokens_total', 'input'],
  output_tokens: [
    'output_tokens',
    'completion_tokens',
    'tokens_out',
    'output_token_count',
    'outputtokencount',
    'n_generated_tokens_total',
    'output',
  ],
  cache_read_tokens: [
    'cache_read_tokens',
    'cache_read_input_tokens',
    'cached_tokens',
    'cached_input_tokens',
    'cache_read',
    'input_cached_tokens',
  ],
  cache_write_tokens: [
    'cache_write_tokens',
    'cache_creation_tokens',
    'cache_creation_input_tokens',
    'cache_write_input_tokens',
    'cache_write',
  ],
  cache_write_1h_tokens: ['cache_write_1h_tokens', 'cache_creation_1h_tokens', 'ephemeral_1h_input_tokens'],
  requests: ['requests', 'request_count', 'num_requests', 'n_requests', 'num_model_requests', 'calls', 'count'],
  cost: ['cost', 'spend', 'cost_usd', 'total_cost', 'amount', 'amount_usd', 'usd', 'response_cost', 'cost_in_usd'],
  id: ['id', 'request_id', 'requestid', 'record_id', 'call_id', 'event_id'],
  region: ['region', 'aws_region'],
  tags: ['tags', 'request_tags', 'labels'],
  service_tier: ['service_tier', 'tier'],
  // OpenAI's usage export has both: batch TRUE/FALSE and service_tier default/flex/priority.
  batch: ['batch', 'is_batch'],
  inference_geo: ['inference_geo'],
  status: ['status', 'state'],
  cache_hit: ['cache_hit', 'gateway_cache_hit'],
  latency_ms: ['latency_ms', 'duration_ms', 'response_time_ms', 'elapsed_ms'],
} as const;

export type CsvField = keyof typeof CSV_FIELDS;
export type ColumnMap = Partial<Record<CsvField, number>>;

export function normalizeHeader(h: string): string {
  return h
    .trim()
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The header for a message: each cell quoted short, at most 30 of them (a 50 MB header is not echoed). */
function headerList(header: readonly string[]): string {
  const cells = header.slice(0, 30).map((h) => (h.length > 60 ? `${h.slice(0, 60)}…` : h));
  return `${cells.join(', ')}${header.length > 30 ? `, … (${header.length} columns)` : ''}`;
}

/** Parses `--map field=column` values. */
export function parseMapFlags(flags: readonly string[]): Partial<Record<CsvField, string>> {
  const out: Partial<Record<CsvField, string>> = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    const field = f.slice(0, eq).trim().toLowerCase().replace(/-/g, '_');
    const column = f.slice(eq + 1).trim();
    if (eq <= 0 || column === '' || !(field in CSV_FIELDS)) {
      throw new UserError(`--map ${f}: expected FIELD=COLUMN with FIELD one of ${Object.keys(CSV_FIELDS).join(', ')}.`, {
        hint: 'Example: --map timestamp=EventTime --map user=Owner',
      });
    }
    out[field as CsvField] = column;
  }
  return out;
}

/** Maps header cells to fields. Explicit --map wins; otherwise the first recognized spelling. */
export function mapColumns(header: readonly string[], overrides: Partial<Record<CsvField, string>>, file: string): ColumnMap {
  const normalized = header.map(normalizeHeader);
  const map: ColumnMap = {};
  for (const [field, column] of Object.entries(overrides) as [CsvField, string][]) {
    const idx = header.findIndex((h) => h.trim() === column);
    const idx2 = idx >= 0 ? idx : normalized.indexOf(normalizeHeader(column));
    if (idx2 < 0) {
      throw new UserError(`${file}: --map ${field}=${column}: the header has no column "${column}".`, {
        hint: `Columns are: ${headerList(header)}`,
      });
    }
    map[field] = idx2;
  }
  for (const [field, aliases] of Object.entries(CSV_FIELDS) as [CsvField, readonly string[]][]) {
    if (map[field] !== undefined) continue;
    for (const alias of aliases) {
      const idx = normalized.indexOf(alias);
      if (idx >= 0 && !Object.values(map).includes(idx)) {
        map[field] = idx;
        break;
      }
    }
  }
  for (const idx of Object.values(map)) assertUnique(header, normalized, idx, file);
  const missing: string[] = [];
  if (map.timestamp === undefined) missing.push('a timestamp column (timestamp, date, time, created_at, …)');
  if (map.model === undefined) missing.push('a model column (model, model_id, …)');
  if (map.input_tokens === undefined && map.output_tokens === undefined && map.cost === undefined) {
    missing.push('token or cost columns (input_tokens/prompt_tokens, output_tokens/completion_tokens, or cost/spend)');
  }
  if (missing.length > 0) {
    throw new UserError(`${file}:1: the header lacks ${missing.join('; ')}. Found: ${headerList(header)}.`, {
      hint: 'Rename the columns, or say which column holds a field with --map FIELD=COLUMN (e.g. --map timestamp=EventTime).',
    });
  }
  return map;
}

/**
 * Refuses a header where the column at `idx` appears more than once (`user,…,user`): which one holds the field
 * cannot be told, and taking the first would be a silent guess. `keys` are the names compared (normalized).
 */
export function assertUnique(header: readonly string[], keys: readonly string[], idx: number, file: string): void {
  const same = keys.flatMap((k, i) => (k === keys[idx] ? [i + 1] : []));
  if (same.length < 2) return;
  const times = same.length === 2 ? 'twice' : `${same.length} times`;
  const where = `${same.slice(0, -1).join(', ')} and ${same.at(-1)}`;
  throw new UserError(`${file}:1: ambiguous header: column "${header[idx]?.trim()}" appears ${times} (columns ${where}).`, {
    hint: 'Rename or remove all but one of these columns, then ingest the file again.',
  });
}
