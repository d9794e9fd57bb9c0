/**
 * One prompt through Bedrock's Converse API (ConverseStream when streaming). I/O only; the client is
 * injected so the command builds it lazily (the AWS SDK never loads for other commands).
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

export interface PromptRequest {
  modelId: string;
  prompt: string;
  system?: string | undefined;
  maxTokens: number;
  temperature?: number | undefined;
}

export interface PromptUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface PromptResponse {
  text: string;
  usage: PromptUsage;
  stopReason: string | undefined;
  latencyMs: number | undefined;
  requestId: string | undefined;
}

function usageOf(
  u:
    | {
        inputTokens?: number | undefined;
        outputTokens?: number | undefined;
        cacheReadInputTokens?: number | undefined;
        cacheWriteInputTokens?: number | undefined;
      }
    | undefined,
): PromptUsage {
  return {
    inputTokens: u?.inputTokens ?? 0,
    outputTokens: u?.outputTokens ?? 0,
    cacheReadTokens: u?.cacheReadInputTokens ?? 0,
    cacheWriteTokens: u?.cacheWriteInputTokens ?? 0,
  };
}

export async function sendPrompt(
  client: BedrockRuntimeClient,
  req: PromptRequest,
  opts: { stream: boolean; onText?: (t: string) => void },
): Promise<PromptResponse> {
  const sdk = await import('@aws-sdk/client-bedrock-runtime');
  const input = {
    modelId: req.modelId,
    messages: [{ role: 'user' as const, content: [{ text: req.prompt }] }],
    ...(req.system ? { system: [{ text: req.system }] } : {}),
    inferenceConfig: { maxTokens: req.maxTokens, ...(req.temperature !== undefined ? { temperature: req.temperature } : {}) },
  };
  if (!opts.stream) {
    const out = await client.send(new sdk.ConverseCommand(input));
    const text = (out.output?.message?.content ?? []).map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
    opts.onText?.(text);
    return {
      text,
      usage: usageOf(out.usage),
      stopReason: out.stopReason,
      latencyMs: out.metrics?.latencyMs,
      requestId: out.$metadata.requestId,
    };
  }
  const out = await client.send(new sdk.ConverseStreamCommand(input));
  let text = '';
  let usage: PromptUsage = usageOf(undefined);
  let stopReason: string | undefined;
  let latencyMs: number | undefined;
  for await (const event of out.stream ?? []) {
    if (event.contentBlockDelta?.delta && 'text' in event.contentBlockDelta.delta && event.contentBlockDelta.delta.text) {
      text += event.contentBlockDelta.delta.text;
      opts.onText?.(event.contentBlockDelta.delta.text);
    }
    if (event.messageStop) stopReason = event.messageStop.stopReason;
    if (event.metadata) {
      usage = usageOf(event.metadata.usage);
      latencyMs = event.metadata.metrics?.latencyMs;
    }
    const err =
      event.validationException ??
      event.throttlingException ??
      event.modelStreamErrorException ??
      event.internalServerException ??
      event.serviceUnavailableException;
    if (err) throw Object.assign(new Error(err.message ?? 'stream error'), { name: err.name ?? 'StreamError' });
  }
  return { text, usage, stopReason, latencyMs, requestId: out.$metadata.requestId };
}
