/**
 * Claude Code transcripts. Directory arguments are walked for *.jsonl. Within a file, the lines of one
 * API message are merged: first timestamp, largest output_tokens (early lines hold a streaming
 * placeholder), so each message is counted once; across ingests, a message stored with a placeholder is
 * updated when it is read again complete (`growingRecords`). A live session's transcript may end in a
 * line still being written: that line is left for the next ingest.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { UserError } from '../../lib/errors.js';
import { readJsonRecords } from '../lines.js';
import { parseValue } from '../records.js';
import type { IngestAdapter, InputFile, ParsedItem, Unfinished, UsageRecord } from '../types.js';
import { type ClaudeCodeRecord, parseClaudeCodeLine } from './parse.js';

export interface ClaudeCodeOptions {
  user?: string;
  team?: string;
}

/** The input, and whether the bytes it yielded (decompressed) ended in a newline. */
function trackLastByte(input: InputFile): { input: InputFile; endsWithNewline: () => boolean } {
  let last = -1;
  const open = () => {
    const source = input.open();
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (chunk.length > 0) last = chunk[chunk.length - 1] ?? -1;
        done(null, chunk);
      },
    });
    source.on('error', (err) => tap.destroy(err));
    return source.pipe(tap);
  };
  return { input: { ...input, open }, endsWithNewline: () => last === 0x0a };
}

async function* read(file: InputFile, options: ClaudeCodeOptions): AsyncIterable<(ParsedItem | Unfinished)[]> {
  const { input, endsWithNewline } = trackLastByte(file);
  const merged = new Map<string, { record: UsageRecord; line: number }>();
  const issues: (ParsedItem | Unfinished)[] = [];
  // The line number of the last line read when it was not JSON (a write in progress, if it is the file's end).
  let badLast: number | undefined;
  // parseValue reports field errors; the box carries the message key out of the parser.
  const box: { found?: ClaudeCodeRecord | undefined } = {};
  const parse = (o: Record<string, unknown>): UsageRecord | undefined => {
    box.found = parseClaudeCodeLine(o);
    return box.found?.record;
  };
  const current = (): ClaudeCodeRecord | undefined => box.found;
  for await (const batch of readJsonRecords(input)) {
    for (const j of batch) {
      badLast = undefined;
      if ('error' in j) {
        issues.push({ issue: { file: input.name, line: j.line, message: j.error } });
        if (j.item === undefined) badLast = j.line;
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
  if (badLast !== undefined && !endsWithNewline()) {
    // Claude Code appends a line in more than one write: the cut line is not bad, it is not written yet.
    issues.pop();
    issues.push({ unfinished: { file: input.name, line: badLast } });
  }
  const out: (ParsedItem | Unfinished)[] = [...issues];
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
  growingRecords: true,
  accepts: (n) => /\.jsonl$/i.test(n),
  detect: (p) =>
    p.json &&
    /"sessionId"\s*:/.test(p.text) &&
    /"type"\s*:\s*"(user|assistant|summary|progress|system|file-history-snapshot)"/.test(p.text),
  command: {
    description: 'Claude Code session transcripts (default: ~/.claude/projects and ~/.config/claude/projects)',
    argument: { name: '[paths...]', description: 'files or directories (walked for *.jsonl)' },
    options: [
      { flags: '--user <name>', description: 'attribute this usage to a user (transcripts do not name one)' },
      { flags: '--team <name>', description: 'attribute this usage to a team' },
    ],
    select(flags) {
      const options: ClaudeCodeOptions = {};
      if (typeof flags.user === 'string' && flags.user !== '') options.user = flags.user;
      if (typeof flags.team === 'string' && flags.team !== '') options.team = flags.team;
      return { options };
    },
    defaultPaths: claudeDirs,
  },
};

/** Claude Code's projects directories that exist: $CLAUDE_CONFIG_DIR's (comma-separated), then the two defaults. */
function claudeDirs(env: { home: string; claudeConfigDir: string | undefined }): string[] {
  const dirs = [
    ...(env.claudeConfigDir ? env.claudeConfigDir.split(',').map((d) => join(d.trim(), 'projects')) : []),
    join(env.home, '.config', 'claude', 'projects'),
    join(env.home, '.claude', 'projects'),
  ].filter((d) => existsSync(d));
  if (dirs.length === 0) {
    throw new UserError('No Claude Code logs found in ~/.claude/projects or ~/.config/claude/projects.', {
      hint: 'Give the directory: llmcost ingest claude-code PATH (or set CLAUDE_CONFIG_DIR).',
    });
  }
  return dirs;
}
