/**
 * Pure: pages of Anthropic's Usage & Cost Admin API → aggregated usage lines (`/v1/organizations/usage_report/messages`)
 * and billing lines (`/v1/organizations/cost_report`). Field names as in Anthropic's API reference (Admin → Usage
 * Report, Cost Report).
 */
import { parseDecimalScaled } from '../../lib/money.js';
import { parseTimestamp } from '../../lib/time.js';
import { FieldError, get, isObj, quote, str, tokens } from '../fields.js';
import { type BucketPage, mergeLines } from '../org-usage/lines.js';
import type { UsageRecord } from '../types.js';

/** A page's buckets: `data[]` of `{starting_at, ending_at, results[]}`, times in RFC 3339. */
export function anthropicBuckets(page: unknown, where: string): BucketPage {
  if (!isObj(page) || !Array.isArray(page.data)) throw new FieldError('data', `${where}: expected a page with a data array`);
  const buckets = page.data.map((b, i) => {
    const text = isObj(b) ? b.starting_at : undefined;
    const start = typeof text === 'string' ? parseTimestamp(text) : undefined;
    if (start === undefined) throw new FieldError(`data[${i}].starting_at`, `${where}: expected an RFC 3339 time, got ${quote(text)}`);
    const results = isObj(b) && Array.isArray(b.results) ? b.results : [];
    return { start, results };
  });
  const next = page.has_more === true ? str(page.next_page) : undefined;
  return { buckets, next };
}

/** Anthropic's service tiers as llmcost prices them (priority_on_demand is Priority Tier; flex_discount is flex). */
export function tierOf(tier: unknown): UsageRecord['serviceTier'] {
  if (tier === 'batch') return 'batch';
  if (tier === 'priority' || tier === 'priority_on_demand') return 'priority';
  if (tier === 'flex' || tier === 'flex_discount') return 'flex';
  return 'standard';
}

/** `inference_geo` as the pricer reads it: `global` and `not_available` are no surcharge. */
const geoOf = (geo: string | undefined): string | undefined => (geo === undefined || geo === 'not_available' ? undefined : geo);

/**
 * One usage result → one aggregated line. The report counts no requests: the line has 0 (unknown), and is priced as
 * an aggregate (base rates). Cache creation is split by TTL: 5-minute and 1-hour writes are priced apart.
 */
export function usageLine(start: number, r: unknown, field: string): UsageRecord | undefined {
  if (!isObj(r)) throw new FieldError(field, `expected a result object, got ${quote(r)}`);
  const t = (path: string): number => tokens(get(r, path), `${field}.${path}`);
  const input = t('uncached_input_tokens');
  const output = t('output_tokens');
  const cacheRead = t('cache_read_input_tokens');
  const write5m = t('cache_creation.ephemeral_5m_input_tokens');
  const write1h = t('cache_creation.ephemeral_1h_input_tokens');
  if (input + output + cacheRead + write5m + write1h === 0) return undefined;
  const model = str(r.model);
  const workspace = str(r.workspace_id);
  const window = str(r.context_window);
  const geo = str(r.inference_geo);
  const groups = [new Date(start).toISOString(), model, str(r.api_key_id), workspace, str(r.service_tier), window, geo];
  return {
    ts: start,
    dayOnly: true,
    sourceId: `ant-usage|${groups.map((g) => g ?? '').join('|')}`,
    provider: 'anthropic',
    model: model ?? 'unknown',
    team: workspace,
    apiKey: str(r.api_key_id),
    endpoint: 'messages',
    tags: [...(workspace ? [`workspace:${workspace}`] : []), ...(window ? [`context_window:${window}`] : [])],
    serviceTier: tierOf(r.service_tier),
    inferenceGeo: geoOf(geo),
    requests: 0,
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: write5m + write1h,
    cacheWrite1hTokens: write1h,
  };
}

export function usageLines(page: BucketPage, where: string): UsageRecord[] {
  const out: UsageRecord[] = [];
  page.buckets.forEach((b, i) => {
    b.results.forEach((r, j) => {
      const line = usageLine(b.start, r, `${where}: data[${i}].results[${j}]`);
      if (line) out.push(line);
    });
  });
  return mergeLines(out);
}

/** A cost amount: a decimal string in cents ("123.45" is $1.2345), to nanos exactly (1 cent = 10^7 nanos). */
export function centsToNanos(amount: unknown, field: string): bigint {
  const text =
    typeof amount === 'string' ? amount.trim() : typeof amount === 'number' && Number.isFinite(amount) ? String(amount) : undefined;
  const nanos = text === undefined ? undefined : parseDecimalScaled(text, 7, true);
  if (nanos === undefined) throw new FieldError(`${field}.amount`, `expected a decimal amount in cents, got ${quote(amount)}`);
  return nanos;
}

/** Cost results → billing lines (requests 0; the amount is the bill). Results in another currency are skipped. */
export function costLines(page: BucketPage, where: string): { records: UsageRecord[]; otherCurrency: number } {
  const out: UsageRecord[] = [];
  let otherCurrency = 0;
  page.buckets.forEach((b, i) => {
    b.results.forEach((r: unknown, j) => {
      const field = `${where}: data[${i}].results[${j}]`;
      if (!isObj(r)) throw new FieldError(field, `expected a result object, got ${quote(r)}`);
      const currency = str(r.currency);
      if (currency !== undefined && currency.toUpperCase() !== 'USD') {
        otherCurrency++;
        return;
      }
      const nanos = centsToNanos(r.amount, field);
      const description = str(r.description);
      const workspace = str(r.workspace_id);
      const costType = str(r.cost_type);
      const tokenType = str(r.token_type);
      const window = str(r.context_window);
      const geo = str(r.inference_geo);
      const model = str(r.model) ?? description ?? costType ?? 'unknown';
      const parts = [
        new Date(b.start).toISOString(),
        workspace,
        description,
        str(r.model),
        costType,
        tokenType,
        str(r.service_tier),
        window,
        geo,
      ];
      out.push({
        ts: b.start,
        dayOnly: true,
        sourceId: `ant-cost|${parts.map((p) => p ?? '').join('|')}`,
        provider: 'anthropic',
        model,
        team: workspace,
        endpoint: description,
        tags: [
          ...(workspace ? [`workspace:${workspace}`] : []),
          ...(costType ? [`cost_type:${costType}`] : []),
          ...(tokenType ? [`token_type:${tokenType}`] : []),
          ...(window ? [`context_window:${window}`] : []),
        ],
        serviceTier: tierOf(r.service_tier),
        inferenceGeo: geoOf(geo),
        status: 'final',
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reportedCostNanos: nanos,
        billed: true,
      });
    });
  });
  return { records: mergeLines(out), otherCurrency };
}
