/**
 * Pure: one LiteLLM record → a usage record. Handles both shapes LiteLLM writes:
 * - LiteLLM_SpendLogs rows (DB export, /spend/logs, GCS Pub/Sub payload; metadata may be a JSON string),
 * - StandardLoggingPayload (logging callbacks, S3/GCS bucket logging; times may be epoch seconds).
 * LiteLLM's prompt_tokens include cached tokens; the cache counts live in metadata.usage_object (newer
 * versions), else in the logged response's usage (older StandardLoggingPayloads) or, for spend logs written
 * before usage_object, in metadata.additional_usage_values.
 */
import { createHash } from 'node:crypto';
import { serviceTierOf } from '../../pricing/pricer.js';
import { FieldError, get, isObj, jsonish, type Obj, str, time, tokens, usd } from '../fields.js';
import type { UsageRecord } from '../types.js';

export type LiteLLMShape = 'spend-log' | 'standard-logging-payload';

export function litellmShape(o: unknown): LiteLLMShape | undefined {
  if (!isObj(o)) return undefined;
  if ('request_id' in o && ('spend' in o || 'startTime' in o)) return 'spend-log';
  if ('id' in o && ('response_cost' in o || ('call_type' in o && 'startTime' in o))) return 'standard-logging-payload';
  return undefined;
}

function cacheCounts(usage: unknown, at: string): { read: number; write: number; write1h: number } {
  if (!isObj(usage)) return { read: 0, write: 0, write1h: 0 };
  const readAt = usage.cache_read_input_tokens !== undefined && usage.cache_read_input_tokens !== null;
  const read = tokens(
    readAt ? usage.cache_read_input_tokens : get(usage, 'prompt_tokens_details.cached_tokens'),
    `${at}.${readAt ? 'cache_read_input_tokens' : 'prompt_tokens_details.cached_tokens'}`,
  );
  const write = tokens(usage.cache_creation_input_tokens, `${at}.cache_creation_input_tokens`);
  const write1h = Math.min(
    write,
    tokens(
      get(usage, 'cache_creation_input_token_details.ephemeral_1h_input_tokens') ?? get(usage, 'cache_creation.ephemeral_1h_input_tokens'),
      `${at}.cache_creation.ephemeral_1h_input_tokens`,
    ),
  );
  return { read, write, write1h };
}

/** Where this record's usage block is, newest convention first, with its path for messages. */
function usageOf(o: Obj, meta: Obj, hidden: unknown): { usage: unknown; at: string } {
  const candidates: [unknown, string][] = [
    [meta.usage_object, 'metadata.usage_object'],
    [isObj(hidden) ? hidden.usage_object : undefined, 'hidden_params.usage_object'],
    [get(jsonish(o.response), 'usage'), 'response.usage'],
    [meta.additional_usage_values, 'metadata.additional_usage_values'],
  ];
  for (const [v, at] of candidates) {
    const usage = jsonish(v);
    if (isObj(usage)) return { usage, at };
  }
  return { usage: undefined, at: 'metadata.usage_object' };
}

/**
 * Uncached input from prompt_tokens. LiteLLM versions differ: Anthropic and Bedrock Converse count cache reads
 * and writes inside prompt_tokens, other versions and routes only the reads. With cache writes and enough
 * prompt_tokens for both readings, the split is ambiguous: the reads-and-writes reading is the default and the
 * reads-only one an alternative, and ingest settles it with the logged cost (see UsageRecord.ambiguousInput).
 */
export function inputSplit(prompt: number, cache: { read: number; write: number }): Pick<UsageRecord, 'inputTokens' | 'ambiguousInput'> {
  const readsOnly = prompt - cache.read;
  const readsAndWrites = readsOnly - cache.write;
  if (readsOnly < 0) return { inputTokens: prompt }; // prompt_tokens hold no cache: the provider reported them apart
  if (cache.write === 0 || readsAndWrites < 0) return { inputTokens: readsOnly };
  return {
    inputTokens: readsAndWrites,
    ambiguousInput: {
      reason: 'litellm-prompt-split',
      label: 'reads+writes',
      others: [{ label: 'reads-only', inputTokens: readsOnly }],
    },
  };
}

/** LiteLLM logs a cache hit under `{response id}_cache_hit{time.time()}` (SpendLogs and, since 2025, the payload). */
const CACHE_HIT_ID = /^(.+)_cache_hit\d+(?:\.\d+)?$/;

/** Region of a Bedrock api_base such as https://bedrock-runtime.us-east-1.amazonaws.com. */
function regionOf(apiBase: string | undefined): string | undefined {
  return apiBase ? /bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(apiBase)?.[1] : undefined;
}

/** LiteLLM stores hashed keys; anything that looks like a raw key is hashed here so no secret is stored. */
export function keyAlias(alias: string | undefined, hashOrKey: string | undefined): string | undefined {
  if (alias) return alias;
  if (!hashOrKey) return undefined;
  if (/^sk-/.test(hashOrKey)) return `sha256:${createHash('sha256').update(hashOrKey).digest('hex').slice(0, 16)}`;
  return hashOrKey;
}

function tagsOf(v: unknown): string[] {
  const t = jsonish(v);
  if (Array.isArray(t)) return t.map((x) => str(x)).filter((x): x is string => x !== undefined);
  return [];
}

/**
 * The tags of a record (README "Tags"): `request_tags`, then `metadata.tags` (the tags as the request sent them;
 * LiteLLM copies them to request_tags, so each is kept once), the project (`metadata.project`, else the key's
 * `user_api_key_project_alias` / `_id`) as `project:…`, and each scalar of `metadata.spend_logs_metadata` as
 * `key:value`.
 */
function allTags(o: Obj, meta: Obj): string[] {
  const tags = tagsOf(o.request_tags);
  const add = (t: string): void => {
    if (!tags.includes(t)) tags.push(t);
  };
  for (const t of tagsOf(meta.tags)) add(t);
  const project = str(meta.project) ?? str(meta.user_api_key_project_alias) ?? str(meta.user_api_key_project_id);
  if (project) add(`project:${project}`);
  const custom = jsonish(meta.spend_logs_metadata);
  if (isObj(custom)) {
    for (const [k, v] of Object.entries(custom)) {
      const value = typeof v === 'number' || typeof v === 'boolean' ? String(v) : str(v);
      if (value !== undefined && k !== '') add(`${k}:${value}`);
    }
  }
  return tags;
}

/** endTime − startTime in whole ms; undefined when endTime is missing or unreadable, or before the start. */
function latencyOf(o: Obj, start: number): number | undefined {
  if (o.endTime === undefined || o.endTime === null || o.endTime === '') return undefined;
  let end: number;
  try {
    end = time(o.endTime, 'endTime');
  } catch {
    return undefined;
  }
  return end >= start ? Math.round(end - start) : undefined;
}

export function parseLiteLLM(o: Obj): UsageRecord {
  const shape = litellmShape(o);
  if (!shape) {
    throw new FieldError('request_id', 'not a LiteLLM spend log (no request_id/spend) or StandardLoggingPayload (no id/response_cost)');
  }
  const metadata = jsonish(o.metadata);
  const meta: Obj = isObj(metadata) ? metadata : {};
  const hidden = jsonish(o.hidden_params);
  const { usage, at } = usageOf(o, meta, hidden);
  const cache = cacheCounts(usage, at);
  const prompt = tokens(o.prompt_tokens, 'prompt_tokens');
  const completion = tokens(o.completion_tokens, 'completion_tokens');
  const split = inputSplit(prompt, cache);

  const rawId = shape === 'spend-log' ? str(o.request_id) : str(o.id);
  if (!rawId) throw new FieldError(shape === 'spend-log' ? 'request_id' : 'id', 'the record id is empty');
  const ts = time(o.startTime, 'startTime');
  const hitId = CACHE_HIT_ID.exec(rawId);
  const cacheHit = hitId !== null || o.cache_hit === true || o.cache_hit === 'True' || o.cache_hit === 'true';
  // The spend log and the payload of one cache hit carry different time.time() suffixes, and every hit on the
  // same cached response shares its id: the call's start time (shared by both records) tells the hits apart.
  const id = cacheHit ? `${hitId?.[1] ?? rawId}_cache_hit@${ts}` : rawId;
  const model = str(o.model) ?? str(o.model_group) ?? str(get(hidden, 'litellm_model_name'));
  if (!model) throw new FieldError('model', 'the model is empty');
  const cost = usd(shape === 'spend-log' ? o.spend : o.response_cost, shape === 'spend-log' ? 'spend' : 'response_cost');
  const apiBase = str(o.api_base) ?? str(get(hidden, 'api_base'));
  const logged = str(o.status);
  const status = logged ?? 'success';
  // `user` is LiteLLM's internal user (the key owner); `end_user` the customer the request was made for.
  const endUser = str(o.end_user) ?? str(meta.user_api_key_end_user_id);
  // The end user is the customer column (`--by customer`), not also a tag: a tag with a request id's cardinality
  // made a tag row, a tag-list dictionary value and a tag-rollup row of almost every request (bench/README.md).
  const tags = allTags(o, meta);
  const modelGroup = str(o.model_group);
  if (modelGroup && modelGroup !== model) tags.push(`model_group:${modelGroup}`);

  return {
    ts,
    sourceId: id,
    provider: str(o.custom_llm_provider),
    model,
    region: regionOf(apiBase),
    user: str(o.user) ?? str(meta.user_api_key_user_id) ?? str(meta.user_api_key_user_email),
    customer: endUser,
    team: str(meta.user_api_key_team_alias) ?? str(o.team_id) ?? str(meta.user_api_key_team_id),
    apiKey: keyAlias(str(meta.user_api_key_alias), str(o.api_key) ?? str(meta.user_api_key_hash)),
    endpoint: str(meta.user_api_key_request_route) ?? str(o.call_type),
    tags: tags.length > 0 ? tags : undefined,
    status: cacheHit ? 'cache-hit' : status,
    // Older spend logs have no status column: whether those requests failed is not in the data.
    failed: logged === undefined ? undefined : logged === 'failure',
    cacheHit: cacheHit || o.cache_hit !== undefined ? cacheHit : undefined,
    latencyMs: latencyOf(o, ts),
    requests: 1,
    ...split,
    outputTokens: completion,
    cacheReadTokens: cache.read,
    cacheWriteTokens: cache.write,
    cacheWrite1hTokens: cache.write1h,
    reportedCostNanos: cost,
    // Newer LiteLLM versions keep the provider's service_tier (OpenAI: default, flex, priority) and Anthropic's inference_geo.
    serviceTier: serviceTierOf(
      str(get(jsonish(o.response), 'service_tier')) ?? str(get(o, 'model_parameters.service_tier')) ?? str(get(usage, 'service_tier')),
    ),
    inferenceGeo: str(get(usage, 'inference_geo')),
  };
}
