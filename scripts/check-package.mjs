// The package as a user gets it: `npm pack` (the prepack script builds dist/ first), then the tarball installed
// into an empty prefix and run from PATH, outside the repository, with a scratch HOME. Checks that the tarball
// holds exactly what runs (every compiled module and nothing stale, the catalog, the demo data, the schema) and
// that `llmcost --version`, `llmcost demo` and `llmcost demo --html` work from the install. Exit 0 when all holds, 1 otherwise.
// npm itself runs with the user's own settings (registry, cache, node-gyp's nodedir), as a user's install would:
// better-sqlite3 takes a prebuilt binary when it can download one and otherwise compiles (about a minute or more).
// `--keep` leaves the scratch directory for a look.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'llmcost-package-'));
const started = Date.now();
const problems = [];
const check = (ok, message) => {
  if (!ok) problems.push(message);
};
const step = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${text}`);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return r;
}
function cleanUp() {
  if (process.argv.includes('--keep')) console.log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
function fail(text) {
  console.error(text);
  cleanUp();
  process.exit(1);
}
function must(r, what) {
  if (r.status !== 0) fail(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r;
}
function report() {
  if (problems.length) fail(`package check: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** Every file under dir, relative to root, with forward slashes. */
function walk(dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
}

step('npm pack');
const out = must(sh('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: root }), 'npm pack').stdout;
// The prepack script's output (the build) may come before the JSON on stdout.
const packed = JSON.parse(out.slice(out.search(/^\[/m)));
const tarball = join(scratch, packed[0].filename);
const files = new Set(packed[0].files.map((f) => f.path));

// Exactly what runs: one compiled module per source module (tests excluded), the assets beside them.
const expected = new Set([
  'package.json',
  'README.md',
  'bin/llmcost',
  ...(existsSync(join(root, 'LICENSE')) ? ['LICENSE'] : []),
  'dist/pricing/catalog.json',
  // The config schema compiled by ajv at build time (scripts/copy-assets.mjs), loaded by src/lib/config.ts.
  'dist/lib/config-check.cjs',
  ...walk('src')
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `dist/${f.slice('src/'.length, -'.ts'.length)}.js`),
  ...walk('fixtures/demo'),
  ...walk('schema'),
]);
for (const f of expected) check(files.has(f), `the tarball lacks ${f}`);
for (const f of files) check(expected.has(f), `the tarball holds ${f}, which nothing runs (stale build output?)`);
check(
  [...files].some((f) => f.startsWith('dist/store/migrations/0001')),
  'no compiled migration in dist/store/migrations',
);
step(`${files.size} files in ${packed[0].filename} (${(packed[0].size / 1024).toFixed(0)} kB)`);
if (problems.length) report(); // before the long install

step('npm install --global --prefix <empty> the tarball');
const prefix = join(scratch, 'prefix');
const install = must(
  sh('npm', ['install', '--global', '--prefix', prefix, '--allow-scripts=better-sqlite3', '--no-audit', '--no-fund', tarball], {
    cwd: scratch,
    env: { ...process.env, JOBS: 'max' },
  }),
  'npm install of the tarball',
);
// npm's warnings a user would see (install scripts not allowed, engines, deprecations), for the log.
for (const line of install.stderr.split('\n')) if (/^npm warn/.test(line) && !line.includes('nodedir')) console.log(`  ${line}`);

// Outside the repository: an empty working directory and HOME, PATH = the prefix's bin and node.
const home = join(scratch, 'home');
const work = join(scratch, 'work');
mkdirSync(home);
mkdirSync(work);
const bin = join(prefix, 'bin');
const env = { PATH: [bin, dirname(process.execPath)].join(delimiter), HOME: home, NO_COLOR: '1', TZ: 'UTC', COLUMNS: '120' };
const llmcost = (...args) => sh('llmcost', args, { cwd: work, env });

const found = sh('sh', ['-c', 'command -v llmcost'], { cwd: work, env });
check(found.stdout.trim() === join(bin, 'llmcost'), `llmcost on PATH is ${found.stdout.trim() || 'missing'}, not ${join(bin, 'llmcost')}`);

step('llmcost --version');
const version = llmcost('--version');
check(
  version.status === 0 && version.stdout === `${pkg.version}\n` && version.stderr === '',
  `llmcost --version: exit ${version.status}, stdout ${JSON.stringify(version.stdout)}, stderr ${JSON.stringify(version.stderr)}`,
);

step('llmcost demo');
const demoDb = join(home, '.cache', 'llmcost', 'demo.db');
const demo = llmcost('demo');
check(demo.status === 0 && demo.stderr === '', `llmcost demo: exit ${demo.status}, stderr:\n${demo.stderr}`);
check(demo.stdout.includes('Weekly cost'), `llmcost demo printed no weekly report:\n${demo.stdout}`);
check(demo.stdout.includes(`Demo database: ${demoDb}`), `llmcost demo did not use ${demoDb}:\n${demo.stdout}`);
// The installed catalog, migrations and demo data give the same figures as the repository's tests.
const json = llmcost('demo', '--json');
check(json.status === 0, `llmcost demo --json: exit ${json.status}\n${json.stderr}`);
if (json.status === 0) {
  const { ingest, weekly } = JSON.parse(json.stdout);
  check(ingest.read === 2737 && ingest.inserted === 2737, `demo ingest: ${JSON.stringify(ingest)}`);
  check(weekly.totals.requests === 359_808, `demo requests: ${weekly.totals.requests}`);
  check(weekly.totals.costUsd === '4813.235516350', `demo cost: ${weekly.totals.costUsd}`);
}
// The HTML report inlines uPlot from the installed node_modules: a runtime dependency, so it must resolve here.
step('llmcost demo --html');
const html = llmcost('demo', '--html');
const htmlFile = join(home, '.cache', 'llmcost', 'demo.html');
check(
  html.status === 0 && html.stdout === `${htmlFile}\n`,
  `llmcost demo --html: exit ${html.status}, stdout ${html.stdout}\n${html.stderr}`,
);
if (html.status === 0) check(readFileSync(htmlFile, 'utf8').includes('uPlot'), `${htmlFile} has no uPlot inlined`);
report();
cleanUp();
step('package check: ok');
