/** LiteLLM proxy logs: SpendLogs exports (JSON, JSONL, CSV, /spend/logs) and StandardLoggingPayload files. */
import { peek } from '../input.js';
import { looksLikeJson } from '../lines.js';
import { csvObjectItems, jsonItems } from '../records.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { parseLiteLLM } from './parse.js';

async function* read(input: InputFile): AsyncIterable<ParsedItem[]> {
  const { head, input: replay } = await peek(input);
  yield* looksLikeJson(head) ? jsonItems(replay, parseLiteLLM) : csvObjectItems(replay, parseLiteLLM);
}

export const litellmAdapter: IngestAdapter = {
  id: 'litellm',
  description: 'LiteLLM proxy spend logs and StandardLoggingPayload callback logs (JSON, JSONL, CSV, gzip)',
  read,
};
