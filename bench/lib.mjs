// Shared benchmark helpers: run the built CLI as a child, measure wall time and peak RSS.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA = join(ROOT, 'bench', '.data');
mkdirSync(DATA, { recursive: true });

/** Runs `llmcost ...args`; returns { ms, rssMiB, stdout }. Throws on a non-zero exit. */
export function llmcost(args, env = {}) {
  const rssFile = join(DATA, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'bench', 'rss-hook.mjs'), join(ROOT, 'bin', 'llmcost'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', LLMCOST_BENCH_RSS_FILE: rssFile, ...env },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`llmcost ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  let rssMiB = Number.NaN;
  try {
    rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {}
  return { ms, rssMiB, stdout: r.stdout };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs `fn` n times and returns the median ms. */
export function timeMedian(n, fn) {
  return median(Array.from({ length: n }, () => fn().ms));
}

// mulberry32: deterministic data from a seed.
export function rng(seed) {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
