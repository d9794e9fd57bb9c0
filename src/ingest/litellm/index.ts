/** LiteLLM proxy logs: SpendLogs exports (JSON, JSONL, CSV, /spend/logs) and StandardLoggingPayload files. */
import { UserError } from '../../lib/errors.js';
import { peek } from '../input.js';
import { looksLikeJson } from '../lines.js';
import { csvObjectItems, jsonItems } from '../records.js';
import type { IngestAdapter, InputFile, ParsedItem } from '../types.js';
import { parseLiteLLM } from './parse.js';

async function* read(input: InputFile): AsyncIterable<ParsedItem[]> {
  const { head, input: replay } = await peek(input);
  // A NUL byte is never in JSON or CSV text: an image, an archive, UTF-16. Refused, so no empty run is recorded.
  if (head.includes('\u0000')) {
    throw new UserError(`${input.name}: not a LiteLLM file: binary content.`, {
      hint: 'Give LiteLLM spend logs as JSON, JSON Lines or CSV (UTF-8, .gz read transparently).',
    });
  }
  yield* looksLikeJson(head) ? jsonItems(replay, parseLiteLLM) : csvObjectItems(replay, parseLiteLLM);
}

export const litellmAdapter: IngestAdapter = {
  id: 'litellm',
  description: 'LiteLLM proxy spend logs and StandardLoggingPayload callback logs (JSON, JSONL, CSV, gzip)',
  read,
};
