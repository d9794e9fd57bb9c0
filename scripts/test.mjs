// `npm test [-- vitest args]`: builds, then runs every test. With LLMCOST_COVERAGE=1 (CI sets it) the same run
// measures coverage of src/, the spawned bin/llmcost included, and prints the summary (scripts/coverage.mjs):
// one run of the suite for both, instead of a second run under coverage.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

if (process.env.LLMCOST_COVERAGE === '1') {
  await import('./coverage.mjs');
} else {
  const ROOT = resolve(import.meta.dirname, '..');
  const run = (cmd, args) => spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 70;
  if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(2);
  process.exit(run(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', ...process.argv.slice(2)]));
}
