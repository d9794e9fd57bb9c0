// Start-up: the median wall time of `llmcost --version`, `--help` and `report --help`, run alternately (one of
// each per round) so a busy machine slows all three alike. Goal (issue 15): --help ≤ 1.2 × --version.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fmt, median, ROOT } from './lib.mjs';

const ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 31);
const CASES = [['--version'], ['--help'], ['report', '--help']];

function wall(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'llmcost'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`llmcost ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  return ms;
}

export async function benchStartup() {
  const times = CASES.map(() => []);
  for (let i = 0; i < ROUNDS; i++) {
    for (const [k, args] of CASES.entries()) times[k].push(wall(args));
  }
  const medians = times.map(median);
  const version = medians[0];
  return CASES.map((args, k) => [
    `llmcost ${args.join(' ')}`,
    `median of ${ROUNDS}, alternated`,
    `${fmt(medians[k])} ms`,
    `${fmt(medians[k] / version, 2)} × --version`,
    '',
  ]);
}
