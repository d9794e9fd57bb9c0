/** Every source adapter, and detection of a file's source from its content. */
import { bedrockLogAdapter } from './bedrock/index.js';
import { claudeCodeAdapter } from './claude-code/index.js';
import { CSV_FIELDS, normalizeHeader } from './csv/columns.js';
import { csvAdapter } from './csv/index.js';
import { curAdapter } from './cur/index.js';
import { looksLikeJson } from './lines.js';
import { litellmAdapter } from './litellm/index.js';
import type { IngestAdapter } from './types.js';

const builtinAdapters = [csvAdapter, curAdapter, litellmAdapter, bedrockLogAdapter, claudeCodeAdapter] as const;
export type SourceId = (typeof builtinAdapters)[number]['id'];

export function adapterFor(id: string): IngestAdapter<never> | undefined {
  return builtinAdapters.find((a) => a.id === id) as IngestAdapter<never> | undefined;
}

/** Which files a directory walk picks up, per source. */
export const ACCEPT: Record<string, (name: string) => boolean> = {
  csv: (n) => /\.(csv|tsv|txt)(\.gz)?$/i.test(n),
  cur: (n) => /\.csv(\.gz)?$/i.test(n),
  // LiteLLM's GCS per-request objects have no extension, so any non-hidden file is read.
  litellm: (n) => !n.startsWith('.'),
  'bedrock-log': (n) => /\.(json|jsonl|ndjson|log)(\.gz)?$|\.gz$/i.test(n),
  'claude-code': (n) => /\.jsonl$/i.test(n),
  auto: (n) => !n.startsWith('.'),
};

/**
 * Guesses a file's source from its first bytes: field names that only one format has. Returns
 * undefined when nothing matches, and the caller asks the user to name the source.
 */
export function detectSource(head: string): SourceId | undefined {
  if (head.includes('\u0000')) return undefined; // binary: an image, an archive, UTF-16 text
  const text = head.trimStart();
  if (looksLikeJson(text)) {
    if (/"schemaType"\s*:\s*"ModelInvocationLog"|\\"schemaType\\"\s*:\s*\\"ModelInvocationLog\\"/.test(text)) return 'bedrock-log';
    if (/"request_id"\s*:/.test(text) && /"(spend|startTime)"\s*:/.test(text)) return 'litellm';
    if (/"response_cost"\s*:/.test(text) || (/"call_type"\s*:/.test(text) && /"startTime"\s*:/.test(text))) return 'litellm';
    if (/"sessionId"\s*:/.test(text) && /"type"\s*:\s*"(user|assistant|summary|progress|system|file-history-snapshot)"/.test(text))
      return 'claude-code';
    return undefined;
  }
  const header = text.split(/\r?\n/, 1)[0]?.toLowerCase() ?? '';
  if (!header.includes(',') && !header.includes('\t') && !header.includes(';')) return undefined;
  if (/lineitem\/usagetype|line_item_usage_type/.test(header)) return 'cur';
  if (/(^|,)"?request_id"?(,|$)/.test(header) && /(^|,)"?spend"?(,|$)/.test(header)) return 'litellm';
  // Usage CSVs need a model column; a header without one is prose with commas, not data.
  const cells = header.split(/[,\t;]/).map((c) => normalizeHeader(c.replace(/"/g, '')));
  const models: readonly string[] = CSV_FIELDS.model;
  return cells.some((c) => models.includes(c)) ? 'csv' : undefined;
}
