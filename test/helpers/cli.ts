import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'llmcost');
export const fixture = (...parts: string[]): string => join(ROOT, 'fixtures', ...parts);

/**
 * Under `npm run coverage`, each spawned CLI writes raw V8 coverage into this folder (merged by
 * scripts/coverage.mjs); vitest's own coverage does not see child processes.
 */
export const coverageEnv = (): Record<string, string> => {
  const dir = process.env.LLMCOST_CHILD_COVERAGE;
  return dir ? { NODE_V8_COVERAGE: dir } : {};
};

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch home with its own database; cleaned up by `dispose`. */
export function sandbox(): {
  dir: string;
  db: string;
  run: (args: string[], opts?: { input?: string; env?: Record<string, string> }) => RunResult;
  dispose: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-e2e-'));
  const db = join(dir, 'llmcost.db');
  const run = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}): RunResult => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      encoding: 'utf8',
      input: opts.input ?? '',
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        TZ: 'UTC',
        COLUMNS: '120',
        LLMCOST_DB: db,
        HOME: dir,
        ...coverageEnv(),
        ...opts.env,
      },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { dir, db, run, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function json<T = Record<string, unknown>>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (status ${r.status}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/** Like sandbox().run, but without blocking the event loop, so a server in the test process can answer. */
export function runAsync(
  sb: ReturnType<typeof sandbox>,
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: sb.dir,
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        TZ: 'UTC',
        COLUMNS: '120',
        LLMCOST_DB: sb.db,
        HOME: sb.dir,
        ...coverageEnv(),
        ...opts.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** A sandbox with the demo data loaded into its own database, once per test file (filled in by beforeAll). */
export function useDemoDb(): { sb: ReturnType<typeof sandbox>; db: string } {
  const demo = {} as { sb: ReturnType<typeof sandbox>; db: string };
  beforeAll(() => {
    demo.sb = sandbox();
    demo.db = join(demo.sb.dir, 'demo.db');
    const r = demo.sb.run(['demo', '--db', demo.db, '--json']);
    if (r.status !== 0) throw new Error(`demo failed: ${r.stderr}`);
  });
  afterAll(() => demo.sb?.dispose());
  return demo;
}

/** Requests stored in a database, read directly (0 when there is no file): "the database is unchanged". */
export function storedRequests(path: string): number {
  if (!existsSync(path)) return 0;
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = 'usage'").get();
    return has ? Number(db.prepare('SELECT COALESCE(SUM(requests), 0) FROM usage').pluck().get()) : 0;
  } finally {
    db.close();
  }
}
