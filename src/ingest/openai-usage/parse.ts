/**
 * Pure: pages of OpenAI's organization Usage API (`/v1/organization/usage/{completions,embeddings}`) → aggregated
 * usage lines, and pages of its Costs API (`/v1/organization/costs`) → billing lines. Field names as in
 * openai/openai-openapi (UsageCompletionsResult, UsageEmbeddingsResult, CostsResult).
 */
import { parseDecimalScaled } from '../../lib/money.js';
import { FieldError, isObj, type Obj, quote, str, tokens } from '../fields.js';
import { type BucketPage, mergeLines } from '../org-usage/lines.js';
import type { UsageRecord } from '../types.js';

/** A page's buckets: `data[]` of `{start_time, end_time, results[]}`, times in Unix seconds. */
export function openaiBuckets(page: unknown, where: string): BucketPage {
  if (!isObj(page) || !Array.isArray(page.data)) throw new FieldError('data', `${where}: expected a page with a data array`);
  const buckets = page.data.map((b, i) => {
    const start = isObj(b) ? b.start_time : undefined;
    if (typeof start !== 'number' || !Number.isSafeInteger(start)) {
      throw new FieldError(`data[${i}].start_time`, `${where}: expected Unix seconds, got ${quote(start)}`);
    }
    const results = isObj(b) && Array.isArray(b.results) ? b.results : [];
    return { start: start * 1000, results };
  });
  const next = page.has_more === true ? str(page.next_page) : undefined;
  return { buckets, next };
}

/** OpenAI's service tiers as llmcost prices them: `default`, `auto` and `scale` are the standard rates. */
function tierOf(batch: unknown, tier: unknown): UsageRecord['serviceTier'] {
  if (batch === true || batch === 'true') return 'batch';
  if (tier === 'flex' || tier === 'priority') return tier;
  return 'standard';
}

/**
 * One usage result → one aggregated line (requests = num_model_requests). `input_tokens` includes cached and
 * cache-write tokens: the uncached part is `input_uncached_tokens`, or what is left once they are subtracted.
 */
export function usageLine(kind: 'completions' | 'embeddings', start: number, r: unknown, field: string): UsageRecord | undefined {
  if (!isObj(r)) throw new FieldError(field, `expected a result object, got ${quote(r)}`);
  const t = (name: string): number => tokens(r[name], `${field}.${name}`);
  const requests = t('num_model_requests');
  const input = t('input_tokens');
  const output = t('output_tokens');
  const cached = t('input_cached_tokens');
  const written = t('input_cache_write_tokens');
  if (requests === 0 && input === 0 && output === 0) return undefined;
  const uncached =
    r.input_uncached_tokens === undefined || r.input_uncached_tokens === null
      ? Math.max(0, input - cached - written)
      : t('input_uncached_tokens');
  const model = str(r.model);
  const project = str(r.project_id);
  const tier = tierOf(r.batch, r.service_tier);
  const groups = [
    kind,
    String(start / 1000),
    project,
    str(r.user_id),
    str(r.api_key_id),
    model,
    String(r.batch ?? ''),
    str(r.service_tier),
  ];
  return {
    ts: start,
    dayOnly: true,
    sourceId: `oai-usage|${groups.map((g) => g ?? '').join('|')}`,
    provider: 'openai',
    model: model ?? 'unknown',
    user: str(r.user_id),
    team: project,
    apiKey: str(r.api_key_id),
    endpoint: kind,
    tags: project ? [`project:${project}`] : undefined,
    serviceTier: tier,
    requests,
    inputTokens: uncached,
    outputTokens: output,
    cacheReadTokens: cached,
    cacheWriteTokens: written,
    cacheWrite1hTokens: 0,
  };
}

export function usageLines(kind: 'completions' | 'embeddings', page: BucketPage, where: string): UsageRecord[] {
  const out: UsageRecord[] = [];
  page.buckets.forEach((b, i) => {
    b.results.forEach((r, j) => {
      const line = usageLine(kind, b.start, r, `${where}: data[${i}].results[${j}]`);
      if (line) out.push(line);
    });
  });
  return mergeLines(out);
}

/**
 * A line item as the Costs API names it ("gpt-4o-mini-2024-07-18, cached input", "priority | gpt-5, output",
 * "gpt-audio-mini-2025-12-15 audio, input", "web search tool calls"): the model and the tier, when it names them.
 */
export function lineItemModel(item: string): { model: string; tier: UsageRecord['serviceTier'] } {
  let rest = item.trim();
  let tier: UsageRecord['serviceTier'] = 'standard';
  const prefixed = /^(batch|flex|priority)\s*\|\s*(.*)$/i.exec(rest);
  if (prefixed) {
    tier = (prefixed[1] ?? '').toLowerCase() === 'batch' ? 'batch' : (prefixed[1] ?? '').toLowerCase() === 'flex' ? 'flex' : 'priority';
    rest = prefixed[2] ?? '';
  }
  const comma = rest.indexOf(',');
  if (comma === -1) return { model: rest, tier };
  // "gpt-audio-mini-2025-12-15 audio, input": the word after the model names the modality.
  const model = rest.slice(0, comma).trim().split(/\s+/)[0] ?? rest;
  return { model, tier };
}

/** The USD amount of a cost result: `amount.value`, a number or a decimal string, to nanos via its decimal text. */
export function amountNanos(amount: unknown, field: string): bigint {
  const value = isObj(amount) ? amount.value : undefined;
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  // String(number) is the shortest decimal that reads back as the same double: the amount as OpenAI wrote it.
  const nanos = text === undefined ? undefined : parseDecimalScaled(text, 9, true);
  if (nanos === undefined) throw new FieldError(`${field}.amount.value`, `expected a USD amount, got ${quote(value)}`);
  return nanos;
}

/** Cost results → billing lines (requests 0; the reported cost is the bill). Results in another currency are skipped. */
export function costLines(page: BucketPage, where: string): { records: UsageRecord[]; otherCurrency: number } {
  const out: UsageRecord[] = [];
  let otherCurrency = 0;
  page.buckets.forEach((b, i) => {
    b.results.forEach((r: unknown, j) => {
      const field = `${where}: data[${i}].results[${j}]`;
      if (!isObj(r)) throw new FieldError(field, `expected a result object, got ${quote(r)}`);
      const currency = isObj(r.amount) ? str(r.amount.currency) : undefined;
      if (currency !== undefined && currency.toLowerCase() !== 'usd') {
        otherCurrency++;
        return;
      }
      const nanos = amountNanos(r.amount, field);
      const item = str(r.line_item);
      const project = str(r.project_id);
      const { model, tier } = item ? lineItemModel(item) : { model: 'unknown', tier: 'standard' as const };
      out.push(costRecord(b.start, r, { nanos, item, project, model, tier }));
    });
  });
  return { records: mergeLines(out), otherCurrency };
}

function costRecord(
  start: number,
  r: Obj,
  c: { nanos: bigint; item: string | undefined; project: string | undefined; model: string; tier: UsageRecord['serviceTier'] },
): UsageRecord {
  // Token quantities of input/output line items, when the API gives them.
  const quantity = typeof r.quantity === 'number' && Number.isFinite(r.quantity) ? r.quantity : undefined;
  const scale = r.quantity_unit === 'tokens' ? 1 : r.quantity_unit === '1000_tokens' ? 1000 : 0;
  const count = quantity === undefined || scale === 0 ? 0 : Math.round(quantity * scale);
  const piece = (c.item ?? '').toLowerCase();
  const cached = /,\s*cached input/.test(piece);
  return {
    ts: start,
    dayOnly: true,
    sourceId: `oai-cost|${start / 1000}|${c.item ?? ''}|${c.project ?? ''}|${str(r.api_key_id) ?? ''}`,
    provider: 'openai',
    model: c.model,
    team: c.project,
    apiKey: str(r.api_key_id),
    endpoint: c.item,
    tags: [...(c.item ? [`line_item:${c.item}`] : []), ...(c.project ? [`project:${c.project}`] : [])],
    serviceTier: c.tier,
    status: 'final',
    requests: 0,
    inputTokens: !cached && /,\s*input/.test(piece) ? count : 0,
    outputTokens: /,\s*output/.test(piece) ? count : 0,
    cacheReadTokens: cached ? count : 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reportedCostNanos: c.nanos,
    billed: true,
  };
}
