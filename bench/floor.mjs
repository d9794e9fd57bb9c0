#!/usr/bin/env node
// The floors ingest is measured against: the least a program can do to load the same file into SQLite.
//
//   node bench/floor.mjs csv FILE DB          csv-parse streaming, one prepared INSERT … ON CONFLICT DO NOTHING
//                                            with a unique 12-byte key (as llmcost since migration 9), transactions of 10,000 rows
//   node bench/floor.mjs litellm FILE DB      JSON Lines: JSON.parse per line, the same INSERT
//   node bench/floor.mjs claude-code DIR DB   every *.jsonl under DIR: JSON.parse, assistant lines with usage
//
// No pricing, no validation, no rollup: a ratio against it is what llmcost's own work costs.
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'csv-parse';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const [kind, input, dbPath] = process.argv.slice(2);
for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE usage (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, key BLOB NOT NULL UNIQUE, model TEXT, provider TEXT,
  user TEXT, team TEXT, endpoint TEXT, input_tokens INTEGER, output_tokens INTEGER, cache_read_tokens INTEGER, cache_write_tokens INTEGER)`);
const insert = db.prepare('INSERT INTO usage VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING');
const BATCH = 10_000;
let rows = 0;
let pending = 0;
const key = (s) => createHash('sha256').update(s).digest().subarray(0, 12);
const put = (...v) => {
  if (pending === 0) db.exec('BEGIN');
  insert.run(...v);
  rows++;
  if (++pending === BATCH) {
    db.exec('COMMIT');
    pending = 0;
  }
};

async function* lines(file) {
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest) yield rest;
}

const files = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.jsonl') && statSync(f).isFile());

if (kind === 'csv') {
  const parser = createReadStream(input).pipe(parse({ columns: true }));
  for await (const r of parser) {
    const line = `${r.timestamp},${r.user},${r.model},${r.input_tokens},${r.output_tokens},${rows}`;
    put(
      Date.parse(r.timestamp),
      key(line),
      r.model,
      r.provider,
      r.user,
      r.team,
      r.endpoint,
      +r.input_tokens,
      +r.output_tokens,
      +r.cache_read_tokens,
      +r.cache_write_tokens,
    );
  }
} else if (kind === 'litellm') {
  for await (const line of lines(input)) {
    if (!line) continue;
    const r = JSON.parse(line);
    const cached = r.metadata?.usage_object?.prompt_tokens_details?.cached_tokens ?? 0;
    put(
      Date.parse(r.startTime),
      key(r.request_id),
      r.model,
      r.custom_llm_provider,
      r.user,
      r.team_id,
      r.metadata?.user_api_key_request_route ?? '',
      r.prompt_tokens - cached,
      r.completion_tokens,
      cached,
      0,
    );
  }
} else if (kind === 'claude-code') {
  for (const file of files(input)) {
    for await (const line of lines(file)) {
      if (!line) continue;
      const r = JSON.parse(line);
      const u = r.type === 'assistant' ? r.message?.usage : undefined;
      if (!u) continue;
      put(
        Date.parse(r.timestamp),
        key(`${r.message.id}:${r.requestId}`),
        r.message.model,
        'anthropic',
        '',
        '',
        r.cwd,
        u.input_tokens,
        u.output_tokens,
        u.cache_read_input_tokens ?? 0,
        u.cache_creation_input_tokens ?? 0,
      );
    }
  }
} else {
  throw new Error(`unknown floor: ${kind}`);
}
if (pending > 0) db.exec('COMMIT');
db.close();
console.log(JSON.stringify({ rows }));
