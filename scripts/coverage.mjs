// `npm run coverage [-- vitest args]` (and `npm test` with LLMCOST_COVERAGE=1, as CI runs it): the whole suite with coverage of src/, counting both the unit tests
// (vitest's v8 provider, in process) and every `bin/llmcost` the e2e tests spawn (NODE_V8_COVERAGE in the
// children, see test/helpers/cli.ts coverageEnv), mapped from dist/*.js back to src/*.ts through tsc's source maps.
// Prints lines and branches per file and in total; exits with vitest's exit code.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mergeProcessCovs } from '@bcoe/v8-coverage';
import astV8ToIstanbul from 'ast-v8-to-istanbul';
import { parseAstAsync } from 'vitest/node';

const require = createRequire(import.meta.url);
const libCoverage = require('istanbul-lib-coverage');
const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, '.tmp', 'coverage');
const RAW = join(OUT, 'cli-raw');
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 70;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(RAW, { recursive: true });

if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(2);

const vitest = run(
  bin('vitest'),
  [
    'run',
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.include=src/**/*.ts',
    '--coverage.exclude=src/**/*.test.ts',
    '--coverage.reporter=json',
    '--coverage.reportOnFailure', // a failed test still shows what the rest covered
    `--coverage.reportsDirectory=${join(OUT, 'unit')}`,
    ...process.argv.slice(2),
  ],
  { LLMCOST_CHILD_COVERAGE: RAW },
);

// The children's raw V8 data is converted the way vitest's v8 provider converts the unit tests' (ast-v8-to-istanbul
// over the executed JS, its source map back to src/), so both halves have the same statements and branches and
// merge location by location. (c8's v8-to-istanbul counts branches differently: merged with vitest's, a file
// covered only by the CLI would have its branches counted twice, once as never taken.)
const mergeStart = performance.now();
const DIST = `${pathToFileURL(join(ROOT, 'dist')).href}/`;
const processes = [];
for (const name of readdirSync(RAW)) {
  const { result } = JSON.parse(readFileSync(join(RAW, name), 'utf8'));
  processes.push({ result: result.filter((s) => s.url.startsWith(DIST) && s.url.endsWith('.js')) });
}
const cli = libCoverage.createCoverageMap({});
for (const script of mergeProcessCovs(processes).result) {
  const file = fileURLToPath(script.url);
  const code = readFileSync(file, 'utf8');
  const sourceMap = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  sourceMap.sources = sourceMap.sources.map((s) => resolve(dirname(file), s));
  cli.merge(await astV8ToIstanbul({ code, sourceMap, ast: parseAstAsync(code), coverage: script }));
}
mkdirSync(join(OUT, 'cli'), { recursive: true });
writeFileSync(join(OUT, 'cli', 'coverage-final.json'), JSON.stringify(cli.toJSON()));
rmSync(RAW, { recursive: true, force: true });

// Both halves come from the same AST, so a file has the same statements, functions and branches in the same
// order in each; only some end columns differ (the two source maps end mappings differently), which defeats
// istanbul's merge by location. Add the hits index by index instead, and fall back to istanbul's merge if
// the shapes ever differ.
const read = (part) => {
  try {
    return JSON.parse(readFileSync(join(OUT, part, 'coverage-final.json'), 'utf8'));
  } catch (e) {
    console.error(`coverage: no ${part} report (${e.message})`);
    return {};
  }
};
const unit = read('unit');
const size = (o) => Object.keys(o).length;
const sameShape = (a, b) =>
  size(a.statementMap) === size(b.statementMap) &&
  size(a.fnMap) === size(b.fnMap) &&
  size(a.branchMap) === size(b.branchMap) &&
  Object.keys(a.branchMap).every((k) => a.branchMap[k].locations.length === b.branchMap[k]?.locations.length);
const map = libCoverage.createCoverageMap({});
for (const [file, data] of Object.entries(cli.toJSON())) {
  const mine = unit[file];
  if (!mine || !sameShape(mine, data)) {
    map.merge({ [file]: data });
    continue;
  }
  for (const k of Object.keys(mine.s)) mine.s[k] += data.s[k];
  for (const k of Object.keys(mine.f)) mine.f[k] += data.f[k];
  for (const k of Object.keys(mine.b)) mine.b[k] = mine.b[k].map((n, i) => n + data.b[k][i]);
}
map.merge(unit);
writeFileSync(join(OUT, 'coverage-final.json'), JSON.stringify(map.toJSON()));

const pct = (c, t) => (t === 0 ? 100 : (100 * c) / t);
const rows = map.files().map((file) => {
  const s = map.fileCoverageFor(file).toSummary();
  return { file: relative(ROOT, file), lines: s.lines, branches: s.branches };
});
rows.sort((a, b) => a.file.localeCompare(b.file));
const total = map.getCoverageSummary();
const cell = (m) => `${pct(m.covered, m.total).toFixed(1).padStart(5)}% ${`${m.covered}/${m.total}`.padStart(11)}`;
const width = Math.max(...rows.map((r) => r.file.length), 5);
console.log(`\ncoverage (unit tests + spawned CLI)\n${'file'.padEnd(width)}  ${'lines'.padEnd(18)}  branches`);
for (const r of rows) console.log(`${r.file.padEnd(width)}  ${cell(r.lines)}  ${cell(r.branches)}`);
console.log(`${'total'.padEnd(width)}  ${cell(total.lines)}  ${cell(total.branches)}`);
const weakest = rows
  .filter((r) => r.branches.total >= 10)
  .sort((a, b) => pct(a.branches.covered, a.branches.total) - pct(b.branches.covered, b.branches.total))
  .slice(0, 10);
console.log(
  `\nweakest by branches (10 or more branches): ${weakest.map((r) => `${r.file} ${pct(r.branches.covered, r.branches.total).toFixed(0)}%`).join(', ')}`,
);
console.log(
  `lines ${pct(total.lines.covered, total.lines.total).toFixed(1)}%, branches ${pct(total.branches.covered, total.branches.total).toFixed(1)}%`,
);

console.log(`(coverage of ${processes.length} CLI runs merged in ${((performance.now() - mergeStart) / 1000).toFixed(1)} s)`);

process.exit(vitest);
