/**
 * Pure: one Amazon Bedrock model invocation log record → a usage record. Accepts the record itself
 * (S3 delivery, JSON Lines) or wrapped by CloudWatch Logs exports (`@message` / `message` string).
 * inputTokenCount excludes cache reads and writes, which have their own counts.
 */
import { FieldError, get, isObj, type Obj, quote, str, time, tokens } from '../fields.js';
import type { UsageRecord } from '../types.js';

/** Unwraps CloudWatch Logs exports: Insights results (`@message`) and filter-log-events (`message`). */
function unwrapBedrock(o: Obj): Obj {
  for (const key of ['@message', 'message']) {
    const inner = o[key];
    if (typeof inner === 'string' && inner.trimStart().startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(inner);
        if (isObj(parsed)) return parsed;
      } catch {
        throw new FieldError(key, 'the CloudWatch message is not valid JSON');
      }
    }
  }
  return o;
}

/** The principal from an IAM / STS ARN: "assumed-role/Role/session", "user/alice". */
export function principalOf(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const m = /^arn:aws[a-z-]*:(?:iam|sts)::\d*:(.+)$/.exec(arn);
  return m?.[1] ?? arn;
}

/**
 * Converse and ConverseStream responses carry `metrics.latencyMs` (a stream: in its metadata event); InvokeModel
 * bodies do not.
 */
function latencyOf(body: unknown): number | undefined {
  const events = Array.isArray(body) ? body : [body];
  for (const e of events) {
    const ms = get(e, 'metrics.latencyMs') ?? get(e, 'metadata.metrics.latencyMs');
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  }
  return undefined;
}

export function parseBedrockLog(raw: Obj): UsageRecord {
  const o = unwrapBedrock(raw);
  if (o.schemaType !== 'ModelInvocationLog') {
    throw new FieldError(
      'schemaType',
      `expected "ModelInvocationLog", got ${quote(o.schemaType ?? null)}: not a Bedrock invocation log record (\`llmcost ingest PATH\` detects the source)`,
    );
  }
  const requestId = str(o.requestId);
  if (!requestId) throw new FieldError('requestId', 'the request id is empty');
  const modelId = str(o.modelId);
  if (!modelId) throw new FieldError('modelId', 'the model id is empty');
  const meta = isObj(o.requestMetadata) ? o.requestMetadata : {};
  const tags: string[] = [];
  for (const [k, v] of Object.entries(meta)) {
    const s = str(v);
    if (s !== undefined && !['user', 'team', 'endpoint', 'feature'].includes(k)) tags.push(`${k}:${s}`);
  }
  const operation = str(o.operation);
  if (operation) tags.push(`operation:${operation}`);
  const account = str(o.accountId);
  if (account) tags.push(`account:${account}`);
  const inferenceRegion = str(o.inferenceRegion);
  if (inferenceRegion) tags.push(`inference_region:${inferenceRegion}`);
  const errorCode = str(o.errorCode);
  const blocked = get(o, 'output.outputBodyJson.amazon-bedrock-guardrailAction') === 'INTERVENED';

  return {
    ts: time(o.timestamp, 'timestamp'),
    sourceId: requestId,
    provider: 'bedrock',
    model: modelId,
    // Bedrock bills by the source region (where the call was made), not where it was served.
    region: str(o.region),
    user: str(meta.user) ?? principalOf(str(get(o, 'identity.arn'))),
    team: str(meta.team),
    customer: str(meta.customer) ?? str(meta.end_user),
    endpoint: str(meta.endpoint) ?? str(meta.feature),
    tags,
    status: errorCode ? `error:${errorCode}` : blocked ? 'guardrail-blocked' : 'ok',
    failed: errorCode !== undefined,
    latencyMs: latencyOf(get(o, 'output.outputBodyJson')),
    requests: 1,
    inputTokens: tokens(get(o, 'input.inputTokenCount'), 'input.inputTokenCount'),
    outputTokens: tokens(get(o, 'output.outputTokenCount'), 'output.outputTokenCount'),
    cacheReadTokens: tokens(get(o, 'input.cacheReadInputTokenCount'), 'input.cacheReadInputTokenCount'),
    cacheWriteTokens: tokens(get(o, 'input.cacheWriteInputTokenCount'), 'input.cacheWriteInputTokenCount'),
    cacheWrite1hTokens: 0,
  };
}
