/**
 * Every file source, and detection of a file's source from its content. Adding a source is a folder
 * (src/ingest/<id>/index.ts: reader, accepted files, probe, subcommand) and one entry in SOURCES.
 */

import { anthropicUsageSource } from './anthropic-usage/index.js';
import { bedrockLogAdapter } from './bedrock/index.js';
import { claudeCodeAdapter } from './claude-code/index.js';
import { csvAdapter } from './csv/index.js';
import { curAdapter } from './cur/index.js';
import { langfuseSource } from './langfuse/index.js';
import { looksLikeJson } from './lines.js';
import { litellmAdapter } from './litellm/index.js';
import { openaiUsageSource } from './openai-usage/index.js';
import type { IngestAdapter, Probe } from './types.js';

/** In the order `llmcost ingest --help` lists their subcommands. */
export const SOURCES: readonly IngestAdapter<never>[] = [
  csvAdapter,
  curAdapter,
  litellmAdapter,
  bedrockLogAdapter,
  claudeCodeAdapter,
  openaiUsageSource,
  anthropicUsageSource,
  langfuseSource,
];

export function adapterFor(id: string): IngestAdapter<never> | undefined {
  return SOURCES.find((a) => a.id === id);
}

/** Which files a directory walk picks up for `source`; with auto-detection, every file that is not hidden. */
export function acceptsFor(source: string): (name: string) => boolean {
  return adapterFor(source)?.accepts ?? ((n) => !n.startsWith('.'));
}

/**
 * Guesses a file's source from its first bytes: field names that only one format has (each source's probe, the
 * generic ones last). Returns undefined when nothing matches, and the caller asks the user to name the source.
 */
export function detectSource(head: string): string | undefined {
  if (head.includes('\u0000')) return undefined; // binary: an image, an archive, UTF-16 text
  const text = head.trimStart();
  const json = looksLikeJson(text);
  let header = '';
  if (!json) {
    header = text.split(/\r?\n/, 1)[0]?.toLowerCase() ?? '';
    if (!header.includes(',') && !header.includes('\t') && !header.includes(';')) return undefined;
  }
  const probe: Probe = { text, json, header };
  const ordered = [...SOURCES.filter((s) => !s.generic), ...SOURCES.filter((s) => s.generic)];
  return ordered.find((s) => s.detect?.(probe))?.id;
}
