/** What the organization usage sources (openai-usage, anthropic-usage) share: their pages and their lines. */
import type { UsageRecord } from '../types.js';

/** One page of a bucketed report: its buckets (start as epoch ms, raw results) and the next page's cursor. */
export interface BucketPage {
  buckets: { start: number; results: unknown[] }[];
  /** The cursor to send as `page`, when the API says it has more. */
  next: string | undefined;
}

/**
 * Lines with the same identity (bucket and group values) summed into one: an API that repeats a group (across
 * pages, or a null and an absent key) describes the same usage in two parts.
 */
export function mergeLines(lines: UsageRecord[]): UsageRecord[] {
  const byId = new Map<string, UsageRecord>();
  for (const l of lines) {
    const id = l.sourceId ?? '';
    const same = byId.get(id);
    if (!same) {
      byId.set(id, { ...l });
      continue;
    }
    same.requests += l.requests;
    same.inputTokens += l.inputTokens;
    same.outputTokens += l.outputTokens;
    same.cacheReadTokens += l.cacheReadTokens;
    same.cacheWriteTokens += l.cacheWriteTokens;
    same.cacheWrite1hTokens += l.cacheWrite1hTokens;
    if (l.reportedCostNanos !== undefined) same.reportedCostNanos = (same.reportedCostNanos ?? 0n) + l.reportedCostNanos;
  }
  return [...byId.values()];
}
