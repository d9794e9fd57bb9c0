/**
 * Pure: one LiteLLM record → a usage record. Handles both shapes LiteLLM writes:
 * - LiteLLM_SpendLogs rows (DB export, /spend/logs, GCS Pub/Sub payload; metadata may be a JSON string),
 * - StandardLoggingPayload (logging callbacks, S3/GCS bucket logging; times may be epoch seconds).
 * LiteLLM's prompt_tokens include cached tokens; the cache counts live in metadata.usage_object.
 */
import { createHash } from 'node:crypto';
import { FieldError, get, isObj, jsonish, type Obj, str, time, tokens, usd } from '../fields.js';
import type { UsageRecord } from '../types.js';

export type LiteLLMShape = 'spend-log' | 'standard-logging-payload';

export function litellmShape(o: unknown): LiteLLMShape | undefined {
  if (!isObj(o)) return undefined;
  if ('request_id' in o && ('spend' in o || 'startTime' in o)) return 'spend-log';
  if ('id' in o && ('response_cost' in o || ('call_type' in o && 'startTime' in o))) return 'standard-logging-payload';
  return undefined;
}

function cacheCounts(usage: unknown): { read: number; write: number; write1h: number } {
  if (!isObj(usage)) return { read: 0, write: 0, write1h: 0 };
  const read = tokens(
    usage.cache_read_input_tokens ?? get(usage, 'prompt_tokens_details.cached_tokens'),
    'metadata.usage_object.cache_read_input_tokens',
  );
  const write = tokens(usage.cache_creation_input_tokens, 'metadata.usage_object.cache_creation_input_tokens');
  const write1h = Math.min(
    write,
    tokens(
      get(usage, 'cache_creation_input_token_details.ephemeral_1h_input_tokens') ?? get(usage, 'cache_creation.ephemeral_1h_input_tokens'),
      'metadata.usage_object.cache_creation.ephemeral_1h_input_tokens',
    ),
  );
  return { read, write, write1h };
}

/** Region of a Bedrock api_base such as https://bedrock-runtime.us-east-1.amazonaws.com. */
function regionOf(apiBase: string | undefined): string | undefined {
  return apiBase ? /bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(apiBase)?.[1] : undefined;
}

/** LiteLLM stores hashed keys; anything that looks like a raw key is hashed here so no secret is stored. */
function keyAlias(alias: string | undefined, hashOrKey: string | undefined): string | undefined {
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

export function parseLiteLLM(o: Obj): UsageRecord {
  const shape = litellmShape(o);
  if (!shape) {
    throw new FieldError('request_id', 'not a LiteLLM spend log (no request_id/spend) or StandardLoggingPayload (no id/response_cost)');
  }
  const metadata = jsonish(o.metadata);
  const meta: Obj = isObj(metadata) ? metadata : {};
  const hidden = jsonish(o.hidden_params);
  const usage = jsonish(meta.usage_object) ?? (isObj(hidden) ? jsonish(hidden.usage_object) : undefined);
  const cache = cacheCounts(usage);
  const prompt = tokens(o.prompt_tokens, 'prompt_tokens');
  const completion = tokens(o.completion_tokens, 'completion_tokens');
  // prompt_tokens include cache reads and writes; if they are smaller the provider reported them apart.
  const uncached = prompt >= cache.read + cache.write ? prompt - cache.read - cache.write : prompt;

  const id = shape === 'spend-log' ? str(o.request_id) : str(o.id);
  if (!id) throw new FieldError(shape === 'spend-log' ? 'request_id' : 'id', 'the record id is empty');
  const model = str(o.model) ?? str(o.model_group) ?? str(get(hidden, 'litellm_model_name'));
  if (!model) throw new FieldError('model', 'the model is empty');
  const cost = usd(shape === 'spend-log' ? o.spend : o.response_cost, shape === 'spend-log' ? 'spend' : 'response_cost');
  const apiBase = str(o.api_base) ?? str(get(hidden, 'api_base'));
  const status = str(o.status) ?? 'success';
  const cacheHit = o.cache_hit === true || o.cache_hit === 'True' || o.cache_hit === 'true';
  const endUser = str(o.end_user);
  const tags = tagsOf(o.request_tags);
  if (endUser) tags.push(`end_user:${endUser}`);
  const modelGroup = str(o.model_group);
  if (modelGroup && modelGroup !== model) tags.push(`model_group:${modelGroup}`);

  return {
    ts: time(o.startTime, 'startTime'),
    sourceId: id,
    provider: str(o.custom_llm_provider),
    model,
    region: regionOf(apiBase),
    user: str(o.user) ?? str(meta.user_api_key_user_id) ?? str(meta.user_api_key_user_email) ?? endUser,
    team: str(meta.user_api_key_team_alias) ?? str(o.team_id) ?? str(meta.user_api_key_team_id),
    apiKey: keyAlias(str(meta.user_api_key_alias), str(o.api_key) ?? str(meta.user_api_key_hash)),
    endpoint: str(meta.user_api_key_request_route) ?? str(o.call_type),
    tags: tags.length > 0 ? tags : undefined,
    status: cacheHit ? 'cache-hit' : status,
    requests: 1,
    inputTokens: uncached,
    outputTokens: completion,
    cacheReadTokens: cache.read,
    cacheWriteTokens: cache.write,
    cacheWrite1hTokens: cache.write1h,
    reportedCostNanos: cost,
  };
}
