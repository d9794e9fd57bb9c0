// JSON documents vs JSON Lines: the same LiteLLM records (about 200 MB) as one JSON array (minified, as the
// /spend/logs API returns it), as a pretty-printed /spend/logs/v2 {"data": [...]} envelope, and as JSON Lines.
// A document is streamed record by record, so its peak RSS should stay near the JSON Lines figure.
import { createWriteStream, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, fmt, llmcost } from './lib.mjs';
import { litellmRecords, writeLines } from './logs.mjs';

const N = Number(process.env.BENCH_JSON_ROWS ?? 200_000);

/** Writes the records as JSON Lines, a minified array and a pretty envelope, in one pass. */
async function generate(files) {
  if (Object.values(files).every(existsSync)) return;
  const make = litellmRecords(N);
  const lines = [];
  await writeLines(files.jsonl, N, (i) => {
    const line = make(i);
    lines.push(line);
    return line;
  });
  const write = async (file, head, item, sep, tail) => {
    const out = createWriteStream(file);
    let buf = head;
    for (let i = 0; i < lines.length; i++) {
      buf += (i > 0 ? sep : '') + item(lines[i]);
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
        buf = '';
      }
    }
    out.write(buf + tail);
    await new Promise((r) => out.end(r));
  };
  await write(files.array, '[', (l) => l, ',', ']');
  const pretty = (l) =>
    JSON.stringify(JSON.parse(l), null, 2)
      .split('\n')
      .map((x) => `    ${x}`)
      .join('\n');
  await write(files.envelope, '{\n  "data": [\n', pretty, ',\n', `\n  ],\n  "total": ${N},\n  "page": 1\n}\n`);
}

export async function benchJson() {
  const files = {
    jsonl: join(DATA, `litellm-json-${N}.jsonl`),
    array: join(DATA, `litellm-json-${N}.array.json`),
    envelope: join(DATA, `litellm-json-${N}.envelope.json`),
  };
  await generate(files);
  const rows = [];
  for (const [what, file] of [
    ['JSON Lines', files.jsonl],
    ['JSON array (minified, one line)', files.array],
    ['/spend/logs/v2 envelope (pretty)', files.envelope],
  ]) {
    const db = join(DATA, 'json-bench.db');
    for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
    const r = llmcost(['ingest', 'litellm', file, '--db', db, '--json']);
    const inserted = JSON.parse(r.stdout).totals.inserted;
    if (inserted !== N) throw new Error(`${what}: ${inserted} of ${N} records stored`);
    const mb = statSync(file).size / 1e6;
    rows.push([
      `LiteLLM ingest, ${what}`,
      `${fmt(N)} records, ${fmt(mb, 0)} MB`,
      `${fmt(r.ms / 1000, 2)} s`,
      `${fmt(mb / (r.ms / 1000), 1)} MB/s`,
      `${fmt(r.rssMiB, 0)} MiB`,
    ]);
  }
  return rows;
}
