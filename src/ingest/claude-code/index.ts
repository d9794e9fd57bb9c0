/**
 * Claude Code transcripts. Directory arguments are walked for *.jsonl. Within a file, the lines of one
 * API message are merged: first timestamp, largest output_tokens (early lines hold a streaming
 * placeholder), so each message is counted once.
 */
import { readJsonRecords } from '../lines.js';
import { parseValue } from '../records.js';
import type { IngestAdapter, InputFile, ParsedItem, UsageRecord } from '../types.js';
import { type ClaudeCodeRecord, parseClaudeCodeLine } from './parse.js';

export interface ClaudeCodeOptions {
  user?: string;
  team?: string;
}

async function* read(input: InputFile, options: ClaudeCodeOptions): AsyncIterable<ParsedItem[]> {
  const merged = new Map<string, { record: UsageRecord; line: number }>();
  const issues: ParsedItem[] = [];
  // parseValue reports field errors; the box carries the message key out of the parser.
  const box: { found?: ClaudeCodeRecord | undefined } = {};
  const parse = (o: Record<string, unknown>): UsageRecord | undefined => {
    box.found = parseClaudeCodeLine(o);
    return box.found?.record;
  };
  const current = (): ClaudeCodeRecord | undefined => box.found;
  for await (const batch of readJsonRecords(input)) {
    for (const j of batch) {
      if ('error' in j) {
        issues.push({ issue: { file: input.name, line: j.line, message: j.error } });
        continue;
      }
      box.found = undefined;
      const item = parseValue(input, j.line, j.item, j.value, parse);
      if (!item) continue;
      const found = current();
      if ('issue' in item || !found) {
        issues.push(item);
        continue;
      }
      const key = found.key || `line:${j.line}`;
      const prev = merged.get(key);
      if (!prev) merged.set(key, { record: item.record, line: item.line });
      else if (item.record.outputTokens > prev.record.outputTokens) prev.record.outputTokens = item.record.outputTokens;
    }
  }
  const out: ParsedItem[] = [...issues];
  for (const { record, line } of merged.values()) {
    if (options.user) record.user = options.user;
    if (options.team) record.team = options.team;
    out.push({ record, line });
  }
  if (out.length > 0) yield out;
}

export const claudeCodeAdapter: IngestAdapter<ClaudeCodeOptions> = {
  id: 'claude-code',
  description: 'Claude Code session transcripts (~/.claude/projects/**/*.jsonl)',
  read,
};
