#!/usr/bin/env node
// `npm run bench`: generates its own data under bench/.data (git-ignored) and prints a table of
// throughput and peak RSS. No assertions: figures go into the closing notes and the README.
import os from 'node:os';
import { benchCsv } from './csv.mjs';
import { benchHealth } from './health.mjs';
import { benchJson } from './json.mjs';
import { benchLogs } from './logs.mjs';
import { benchBig, benchIngest, benchPeer } from './perf.mjs';
import { benchStartup } from './startup.mjs';
import { benchTable } from './table.mjs';
import { benchTags } from './tags.mjs';

const only = process.argv[2];
const suites = {
  csv: benchCsv,
  logs: benchLogs,
  json: benchJson,
  ingest: benchIngest,
  peer: benchPeer,
  startup: benchStartup,
  table: benchTable,
  big: benchBig,
  tags: benchTags,
  health: benchHealth,
};
// `big` builds a 10M-request store (about 15 minutes the first time): it runs only when named, `npm run bench -- big`.
const optIn = new Set(['big', 'tags', 'health']);
console.log(
  `llmcost benchmark — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);
for (const [name, fn] of Object.entries(suites)) {
  if (only ? only !== name : optIn.has(name)) continue;
  const rows = await fn();
  console.log(`\n## ${name}`);
  console.log('| what | input | time | throughput | peak RSS |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
