/**
 * Pure: Langfuse public API answers → usage records. A generation (GET /api/public/observations, an
 * ObservationsView) is one request; its trace (GET /api/public/traces) names the user (userId), the endpoint
 * (name), the session and the tags. Field names from langfuse/langfuse fern/apis/server/definition/commons.yml.
 */
import { FieldError, isObj, type Obj, str, time, tokens, usd } from '../fields.js';
import type { UsageRecord } from '../types.js';

/** What llmcost keeps of a trace. */
export interface TraceInfo {
  userId?: string | undefined;
  name?: string | undefined;
  sessionId?: string | undefined;
  tags: string[];
}

/** A v1 list page (`{ data, meta: { page, limit, totalItems, totalPages } }`): its items and page count. */
export function listPage(body: unknown): { data: Obj[]; totalPages: number } {
  if (!isObj(body) || !Array.isArray(body.data)) throw new FieldError('data', 'expected a list page { data: [...], meta }');
  const meta = body.meta;
  const totalPages = isObj(meta) ? meta.totalPages : undefined;
  if (typeof totalPages !== 'number' || !Number.isSafeInteger(totalPages) || totalPages < 0) {
    throw new FieldError('meta.totalPages', `expected a whole number of pages, got ${JSON.stringify(totalPages)}`);
  }
  return { data: body.data.filter(isObj), totalPages };
}

/** A trace (list item or GET /traces/{id}) as llmcost keeps it. */
export function traceInfo(t: Obj): { id: string; info: TraceInfo } {
  const id = str(t.id);
  if (!id) throw new FieldError('id', 'the trace id is empty');
  const tags = Array.isArray(t.tags) ? t.tags.map(str).filter((s): s is string => s !== undefined) : [];
  return { id, info: { userId: str(t.userId), name: str(t.name), sessionId: str(t.sessionId), tags } };
}

const num = (o: Obj, key: string): number | undefined =>
  o[key] === undefined || o[key] === null ? undefined : tokens(o[key], `usageDetails.${key}`);
const first = (o: Obj, keys: string[]): number => {
  for (const k of keys) {
    const v = num(o, k);
    if (v !== undefined) return v;
  }
  return 0;
};

/** Cache reads, under the names Langfuse's own integrations write (input_cache_read, input_cached_tokens) and LiteLLM's callback writes. */
const CACHE_READ = ['input_cache_read', 'input_cached_tokens', 'cache_read_input_tokens'];
/** Cache writes (5-minute, Anthropic's default); `input_cache_creation_5m` is added, `_1h` is priced apart. */
const CACHE_WRITE = ['input_cache_creation', 'cache_creation_input_tokens', 'input_cache_write'];

interface Tokens {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
}

/**
 * Tokens of a generation's usageDetails (map of usage type → count). Langfuse's convention is disjoint types
 * whose sum is `total` (its integrations subtract cache and reasoning counts from input and output); LiteLLM's
 * callback sends `input` = prompt_tokens with the cache counts inside and `total` = input + output. The `total`
 * tells them apart: when it equals the sum without the cache counts, those are subtracted from input.
 * Output details (output_reasoning_tokens, …) are output; other input details (input_audio, …) are input.
 */
export function usageTokens(details: Obj): Tokens {
  const read = first(details, CACHE_READ);
  const write = first(details, CACHE_WRITE) + first(details, ['input_cache_creation_5m']);
  const write1h = first(details, ['input_cache_creation_1h']);
  let input = first(details, ['input', 'input_tokens', 'prompt_tokens']);
  let output = first(details, ['output', 'output_tokens', 'completion_tokens']);
  const known = new Set([
    ...CACHE_READ,
    ...CACHE_WRITE,
    'input_cache_creation_5m',
    'input_cache_creation_1h',
    'input',
    'input_tokens',
    'prompt_tokens',
    'output',
    'output_tokens',
    'completion_tokens',
    'total',
  ]);
  for (const key of Object.keys(details)) {
    if (known.has(key)) continue;
    const v = num(details, key);
    if (v === undefined) continue;
    // Cached parts of a modality (input_cached_text_tokens) are cache reads; other details add to their side.
    if (/^input_cached?_/.test(key)) continue;
    if (key.startsWith('output_')) output += v;
    else if (key.startsWith('input_')) input += v;
  }
  const total = num(details, 'total');
  const cache = read + write + write1h;
  if (total !== undefined && cache > 0 && total === input + output && input >= cache) input -= cache;
  return { inputTokens: input, outputTokens: output, cacheReadTokens: read, cacheWriteTokens: write, cacheWrite1hTokens: write1h };
}

/** The cost Langfuse reports: costDetails.total, else calculatedTotalCost (older servers), else usage.totalCost. */
function reportedCost(o: Obj): bigint | undefined {
  const details = isObj(o.costDetails) ? o.costDetails : undefined;
  if (details && details.total !== undefined && details.total !== null) return usd(details.total, 'costDetails.total');
  if (o.calculatedTotalCost !== undefined && o.calculatedTotalCost !== null) return usd(o.calculatedTotalCost, 'calculatedTotalCost');
  const usage = isObj(o.usage) ? o.usage : undefined;
  return usage ? usd(usage.totalCost, 'usage.totalCost') : undefined;
}

/**
 * One generation as a request-level record: the observation id is its identity (a re-read stores nothing new);
 * usageDetails, else the deprecated `usage` {input, output}; the trace's user, name (→ endpoint), session and tags.
 */
export function generationRecord(o: Obj, trace: TraceInfo | undefined): UsageRecord {
  const id = str(o.id);
  if (!id) throw new FieldError('id', 'the observation id is empty');
  const model = str(o.model);
  if (!model) throw new FieldError('model', 'the generation names no model');
  const ts = time(o.startTime, 'startTime');
  const details = isObj(o.usageDetails) && Object.keys(o.usageDetails).length > 0 ? o.usageDetails : undefined;
  const usage = isObj(o.usage) ? o.usage : {};
  const t = details
    ? usageTokens(details)
    : {
        inputTokens: tokens(usage.input, 'usage.input'),
        outputTokens: tokens(usage.output, 'usage.output'),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
      };
  const tags = [...(trace?.tags ?? [])];
  if (trace?.sessionId) tags.push(`session:${trace.sessionId}`);
  return {
    ts,
    sourceId: id,
    model,
    user: trace?.userId,
    endpoint: trace?.name,
    tags: tags.length > 0 ? tags : undefined,
    requests: 1,
    ...t,
    reportedCostNanos: reportedCost(o),
  };
}

/** A v2 page (`{ data, meta: { cursor } }`): its items and the cursor of the next page, absent on the last. */
export function cursorPage(body: unknown): { data: Obj[]; cursor: string | undefined } {
  if (!isObj(body) || !Array.isArray(body.data)) throw new FieldError('data', 'expected a page { data: [...], meta }');
  const meta = isObj(body.meta) ? body.meta : {};
  return { data: body.data.filter(isObj), cursor: str(meta.cursor) };
}

/**
 * A v2 observation (GET /api/public/v2/observations with the field groups basic, usage, model, trace_context): the
 * trace's user, session, name and tags are on the observation itself; the model is `providedModelName` and
 * Langfuse's cost `costDetails.total`, else `totalCost`.
 */
export function generationV2Record(o: Obj): UsageRecord {
  const tags = Array.isArray(o.tags) ? o.tags.map(str).filter((s): s is string => s !== undefined) : [];
  const trace: TraceInfo = { userId: str(o.userId), name: str(o.traceName), sessionId: str(o.sessionId), tags };
  const { usage: _deprecated, ...rest } = o;
  return generationRecord({ ...rest, model: o.providedModelName ?? o.model, calculatedTotalCost: o.totalCost ?? null }, trace);
}
