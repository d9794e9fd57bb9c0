/**
 * Pure: one Claude Code transcript line (~/.claude/projects/<project>/<session>.jsonl) → a usage record,
 * or undefined for lines that carry no API usage. Assistant lines carry `message.usage`; sub-agent calls
 * also appear nested in `progress` lines (`data.type: "agent_progress"`).
 * One API response is written as several lines sharing message.id + requestId: the key is that pair.
 */
import { basename } from 'node:path';
import { serviceTierOf } from '../../pricing/pricer.js';
import { get, isObj, type Obj, str, time, tokens, usd } from '../fields.js';
import type { UsageRecord } from '../types.js';

export interface ClaudeCodeRecord {
  key: string;
  record: UsageRecord;
}

export function parseClaudeCodeLine(o: Obj): ClaudeCodeRecord | undefined {
  let msg: unknown;
  let requestId: unknown;
  let timestamp: unknown;
  let sidechain = o.isSidechain === true;
  if (o.type === 'assistant') {
    msg = o.message;
    requestId = o.requestId;
    timestamp = o.timestamp;
  } else if (o.type === 'progress' && get(o, 'data.type') === 'agent_progress') {
    msg = get(o, 'data.message.message');
    requestId = get(o, 'data.message.requestId');
    timestamp = get(o, 'data.message.timestamp') ?? o.timestamp;
    sidechain = true;
  } else {
    return undefined;
  }
  if (!isObj(msg) || !isObj(msg.usage)) return undefined;
  const model = str(msg.model);
  // Claude Code writes "<synthetic>" messages (local errors, interrupts) with zero usage: not API calls.
  if (!model || model === '<synthetic>') return undefined;
  const u = msg.usage;
  const cacheWrite = tokens(u.cache_creation_input_tokens, 'message.usage.cache_creation_input_tokens');
  const write1h = Math.min(
    cacheWrite,
    tokens(get(u, 'cache_creation.ephemeral_1h_input_tokens'), 'message.usage.cache_creation.ephemeral_1h_input_tokens'),
  );
  const messageId = str(msg.id);
  const req = str(requestId);
  const cwd = str(o.cwd);
  const session = str(o.sessionId);
  const branch = str(o.gitBranch);
  // The project is the directory Claude Code ran in; the branch answers "what did this feature branch cost".
  const tags = [
    session ? `session:${session}` : undefined,
    sidechain ? 'sidechain' : undefined,
    cwd ? `project:${basename(cwd)}` : undefined,
    branch ? `branch:${branch}` : undefined,
  ].filter((t): t is string => t !== undefined);
  const record: UsageRecord = {
    ts: time(timestamp, 'timestamp'),
    sourceId: messageId && req ? `${messageId}:${req}` : (str(o.uuid) ?? undefined),
    model,
    endpoint: cwd ? basename(cwd) : undefined,
    tags,
    serviceTier: serviceTierOf(str(u.service_tier)) ?? 'standard',
    inferenceGeo: str(u.inference_geo),
    requests: 1,
    inputTokens: tokens(u.input_tokens, 'message.usage.input_tokens'),
    outputTokens: tokens(u.output_tokens, 'message.usage.output_tokens'),
    cacheReadTokens: tokens(u.cache_read_input_tokens, 'message.usage.cache_read_input_tokens'),
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: write1h,
    // Older Claude Code versions wrote the cost they computed; it is kept as the reported cost.
    reportedCostNanos: usd(o.costUSD, 'costUSD'),
  };
  return { key: record.sourceId ?? '', record };
}
