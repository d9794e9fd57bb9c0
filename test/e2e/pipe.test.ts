import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, coverageEnv, useDemoDb } from '../helpers/cli.js';

// A reader that closes the pipe early (`| head -1`, `| head -c0`) is the reader's choice: it must not
// change llmcost's exit code, and above all must never turn a tripped gate (1) or a data problem (3) into 0.
const demo = useDemoDb();
const env = () => ({ PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC', COLUMNS: '120', HOME: demo.sb.dir, ...coverageEnv() });

/** Runs llmcost with stdout a pipe whose reading end is closed before llmcost writes a byte. */
function runClosedStdout(args: string[], extraEnv: Record<string, string> = {}): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: demo.sb.dir, env: { ...env(), ...extraEnv } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stderr }));
    child.stdin.end();
  });
}

/** `llmcost ARGS | head …` in bash, returning llmcost's own exit status (PIPESTATUS[0]) and its stderr. */
function shellPipe(
  args: string[],
  reader: string,
  extraEnv: Record<string, string> = {},
): { status: number; stderr: string; stdout: string } {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${quoted} 2>"$ERR" | ${reader}; echo "status=\${PIPESTATUS[0]}"`], {
    cwd: demo.sb.dir,
    encoding: 'utf8',
    env: { ...env(), ...extraEnv, ERR: `${demo.sb.dir}/stderr.txt` },
  });
  const m = /status=(\d+)\n$/.exec(r.stdout);
  const stderr = spawnSync('cat', [`${demo.sb.dir}/stderr.txt`], { encoding: 'utf8' }).stdout;
  return { status: Number(m?.[1] ?? -1), stderr, stdout: r.stdout.replace(/status=\d+\n$/, '') };
}

describe('a closed stdout pipe', () => {
  const budget = () => ['budget', 'check', '--db', demo.db, '--tz', 'UTC', '--monthly', '1000', '--name', 'org'];
  const now = { LLMCOST_NOW: '2026-10-15T18:00:00Z' };

  it('keeps exit 1 of a tripped budget gate when the reader is gone before any output', async () => {
    const r = await runClosedStdout(budget(), now);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('llmcost: budget gate tripped: org (exceeded).');
    expect(r.stderr).not.toContain('internal error');
  });

  it('keeps exit 1 with `| head -c0` and with `| head -1`, in JSON too', () => {
    expect(shellPipe(budget(), 'head -c0', now).status).toBe(1);
    expect(shellPipe([...budget(), '--json'], 'head -c0', now).status).toBe(1);
    expect(shellPipe(budget(), 'head -1', now).status).toBe(1);
  });

  it('keeps exit 3 of a data problem', async () => {
    const r = await runClosedStdout(['budget', 'check', '--db', demo.db, '--monthly', '5000', '--max-age', '1d'], {
      LLMCOST_NOW: '2026-11-20T00:00:00Z',
    });
    expect(r.status).toBe(3);
  });

  it('is still exit 0, with no error text, for a long report cut short by `head -1`', () => {
    const r = shellPipe(['report', '--db', demo.db, '--daily', '--by', 'user'], 'head -1');
    expect(r).toEqual({ status: 0, stderr: '', stdout: expect.stringMatching(/^LLM cost daily/) });
    expect(r.stdout.split('\n')).toHaveLength(2);
    const closed = spawnSync('bash', ['-c', `'${process.execPath}' '${BIN}' report --db '${demo.db}' --daily --by user | head -c0`], {
      encoding: 'utf8',
      env: env(),
    });
    expect(closed).toMatchObject({ status: 0, stderr: '' });
  });
});
