/** Usage records for unit tests: one gpt-4o request (1,000 input, 100 output tokens) at 2026-10-01 12:00 UTC, with overrides. */
import type { UsageRecord } from '../../src/ingest/types.js';

export const usageRecord = (over: Partial<UsageRecord> = {}): UsageRecord => ({
  ts: Date.UTC(2026, 9, 1, 12),
  model: 'gpt-4o',
  provider: 'openai',
  requests: 1,
  inputTokens: 1000,
  outputTokens: 100,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  ...over,
});
