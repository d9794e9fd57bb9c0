// Loaded with `node --import` into a benchmarked llmcost process: writes its peak RSS (KiB) on exit.
import { writeFileSync } from 'node:fs';

const out = process.env.LLMCOST_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
