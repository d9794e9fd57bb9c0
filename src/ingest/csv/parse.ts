/** Pure: one CSV row (already split into cells) → a usage record or an issue naming the column. */
import { parseDecimalScaled } from '../../lib/money.js';
import { isDateOnly, parseTimestamp } from '../../lib/time.js';
import { quote } from '../fields.js';
import type { ParseIssue, UsageRecord } from '../types.js';
import type { ColumnMap, CsvField } from './columns.js';

export interface CsvRowOptions {
  /** Input token columns include cache reads/writes (OpenAI and LiteLLM convention): subtract them. */
  cachedInInput?: boolean;
}

type Result = { record: UsageRecord } | { issue: Omit<ParseIssue, 'file' | 'line'> };

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function tokenCount(cells: readonly string[], map: ColumnMap, field: CsvField, header: readonly string[]): number | Result {
  const idx = map[field];
  if (idx === undefined) return 0;
  const raw = (cells[idx] ?? '').trim();
  if (raw === '') return 0;
  // Plain digits (nearly every cell): no copy, no pattern.
  if (raw.length <= 15 && isDigits(raw)) return Number(raw);
  // Accept "1,234" from spreadsheet exports, and "12.0".
  const clean = raw.replace(/,/g, '');
  const n = Number(clean);
  if (!/^\d+(\.0+)?$/.test(clean) || !Number.isSafeInteger(n)) {
    return {
      issue: {
        field: header[idx] ?? field,
        message: `expected a non-negative whole number of ${field.replace(/_/g, ' ')}, got ${quote(raw)}`,
      },
    };
  }
  return n;
}

function text(cells: readonly string[], map: ColumnMap, field: CsvField): string | undefined {
  const idx = map[field];
  if (idx === undefined) return undefined;
  const v = (cells[idx] ?? '').trim();
  return v === '' ? undefined : v;
}

export function parseCsvRow(cells: readonly string[], header: readonly string[], map: ColumnMap, options: CsvRowOptions = {}): Result {
  const col = (f: CsvField): string => header[map[f] ?? -1] ?? f;
  const tsText = text(cells, map, 'timestamp');
  if (tsText === undefined) return { issue: { field: col('timestamp'), message: 'the timestamp is empty' } };
  const ts = parseTimestamp(tsText);
  if (ts === undefined) {
    return {
      issue: {
        field: col('timestamp'),
        message: `expected an ISO 8601 date or date-time, or epoch seconds/ms/µs/ns, got ${quote(tsText)}`,
      },
    };
  }
  const model = text(cells, map, 'model');
  if (model === undefined) return { issue: { field: col('model'), message: 'the model is empty' } };

  const counts: number[] = [];
  for (const f of ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cache_write_1h_tokens'] as const) {
    const n = tokenCount(cells, map, f, header);
    if (typeof n !== 'number') return n;
    counts.push(n);
  }
  let [input = 0, output = 0, cacheRead = 0, cacheWrite = 0, cacheWrite1h = 0] = counts;
  if (map.cache_write_tokens === undefined) cacheWrite = cacheWrite1h;
  else if (cacheWrite1h > cacheWrite) {
    return {
      issue: {
        field: col('cache_write_1h_tokens'),
        message: `1-hour cache writes (${cacheWrite1h}) exceed all cache writes (${cacheWrite})`,
      },
    };
  }
  if (options.cachedInInput) {
    input -= cacheRead + cacheWrite;
    if (input < 0) {
      return {
        issue: {
          field: col('input_tokens'),
          message: `input tokens are smaller than the cache tokens they should include (--cached-in-input)`,
        },
      };
    }
  }

  let requests = 1;
  const reqText = text(cells, map, 'requests');
  if (reqText !== undefined) {
    const n = Number(reqText.replace(/,/g, ''));
    if (!Number.isSafeInteger(n) || n < 0)
      return { issue: { field: col('requests'), message: `expected a whole number of requests, got ${quote(reqText)}` } };
    requests = n;
  }

  const record: UsageRecord = {
    ts,
    ...(isDateOnly(tsText) ? { dayOnly: true } : {}),
    model,
    requests,
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: cacheWrite1h,
  };
  const costText = text(cells, map, 'cost');
  if (costText !== undefined) {
    const nanos = parseDecimalScaled(costText.replace(/^\$/, '').replace(/,/g, ''), 9, true);
    if (nanos === undefined || nanos < 0n) {
      return { issue: { field: col('cost'), message: `expected a non-negative USD amount, got ${quote(costText)}` } };
    }
    record.reportedCostNanos = nanos;
  }
  // The batch column and the service_tier column combine: a batch request is batch whatever its tier says.
  const tier = text(cells, map, 'service_tier')?.toLowerCase();
  const batch = text(cells, map, 'batch')?.toLowerCase();
  if (batch === 'true' || batch === '1' || batch === 'yes' || tier === 'batch' || tier === 'true' || tier === '1')
    record.serviceTier = 'batch';
  else if (tier === 'flex' || tier === 'priority') record.serviceTier = tier;
  record.inferenceGeo = text(cells, map, 'inference_geo');
  const tags = text(cells, map, 'tags');
  if (tags !== undefined) record.tags = splitTags(tags);
  record.sourceId = text(cells, map, 'id');
  record.provider = text(cells, map, 'provider');
  record.region = text(cells, map, 'region');
  record.user = text(cells, map, 'user');
  record.customer = text(cells, map, 'customer');
  record.team = text(cells, map, 'team');
  record.apiKey = text(cells, map, 'api_key');
  record.endpoint = text(cells, map, 'endpoint');
  record.status = text(cells, map, 'status');
  if (record.status !== undefined) record.failed = failedStatus(record.status);
  const hit = text(cells, map, 'cache_hit')?.toLowerCase();
  if (hit !== undefined) record.cacheHit = hit === 'true' || hit === '1' || hit === 'yes';
  const latency = text(cells, map, 'latency_ms');
  if (latency !== undefined) {
    const ms = Number(latency.replace(/,/g, ''));
    if (!Number.isFinite(ms) || ms < 0)
      return { issue: { field: col('latency_ms'), message: `expected a latency in milliseconds (a number ≥ 0), got ${quote(latency)}` } };
    record.latencyMs = Math.round(ms);
  }
  return { record };
}

/**
 * A tags cell: a JSON array (`["project:checkout","env:prod"]`, read as JSON so a tag may hold a comma), else values
 * split on `,`, `;` or `|` (`project=checkout;env=prod`), each trimmed of spaces and quotes.
 */
export function splitTags(cell: string): string[] {
  const text = cell.trim();
  if (text.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(text);
      if (Array.isArray(list))
        return list
          .map((t) => (typeof t === 'string' ? t.trim() : typeof t === 'number' || typeof t === 'boolean' ? String(t) : ''))
          .filter((t) => t !== '');
    } catch {
      // Not JSON after all ("[a;b]"): split below.
    }
  }
  return text
    .replace(/^\[|\]$/g, '')
    .split(/[;,|]/)
    .map((t) => t.trim().replace(/^"|"$/g, ''))
    .filter((t) => t !== '');
}

/** A status cell that says the request failed: failure/failed/error words, or an HTTP status of 400 and above. */
export function failedStatus(status: string): boolean {
  const s = status.trim().toLowerCase();
  if (/^\d{3}$/.test(s)) return Number(s) >= 400;
  return /^(fail|failed|failure|error|errored)\b/.test(s);
}
