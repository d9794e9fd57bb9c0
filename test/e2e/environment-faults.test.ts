/**
 * The environment, not llmcost, is at fault: read-only files and directories, a full disk, a lock held by another
 * process, unusable environment variables, a low file-handle limit. Each is a plain cause and exit 2, never 70.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, coverageEnv, fixture, json, runAsync, sandbox, storedRequests } from '../helpers/cli.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const BASIC = fixture('csv', 'basic.csv');
const root = process.getuid?.() === 0;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});
function useSandbox(): ReturnType<typeof sandbox> {
  const sb = sandbox();
  cleanups.push(sb.dispose);
  return sb;
}

/**
 * Makes a file or directory read-only for this process, or returns why it cannot: as root chmod does not stop
 * writes, so the immutable attribute is used (chattr +i), where the file system has it.
 */
function makeReadOnly(path: string, kind: 'file' | 'dir'): string | undefined {
  if (root) {
    const r = spawnSync('chattr', ['+i', path], { encoding: 'utf8' });
    if (r.status !== 0) return `running as root, and chattr +i is not available here (${(r.stderr || r.error?.message || '').trim()})`;
    cleanups.push(() => spawnSync('chattr', ['-i', path]));
  } else {
    chmodSync(path, kind === 'file' ? 0o444 : 0o555);
    cleanups.push(() => chmodSync(path, kind === 'file' ? 0o644 : 0o755));
  }
  try {
    if (kind === 'file') closeSync(openSync(path, 'r+'));
    else {
      writeFileSync(join(path, '.probe'), '');
      rmSync(join(path, '.probe'));
    }
    return 'the file system still lets this process write it';
  } catch {
    return undefined;
  }
}

describe('read-only database', () => {
  it('a read-only database file: ingest exits 2 with the cause, the database is unchanged; reports still read it', ({ skip }) => {
    const sb = useSandbox();
    expect(sb.run(['ingest', 'csv', BASIC]).status).toBe(0);
    const why = makeReadOnly(sb.db, 'file');
    if (why) skip(why);
    const r = sb.run(['ingest', 'csv', fixture('csv', 'unknown-model.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `llmcost: The database ${sb.db} is read-only (attempt to write a readonly database). It was not changed.\n` +
        '  Make the file and its directory writable (SQLite writes the -wal and -shm files beside it), or point --db / LLMCOST_DB at a writable path.\n',
    );
    expect(storedRequests(sb.db)).toBe(7);
    expect(sb.run(['report', '--json']).status).toBe(0);
  });

  it('a database in a read-only directory: ingest and report exit 2 and say why', ({ skip }) => {
    const sb = useSandbox();
    const dir = join(sb.dir, 'ro');
    mkdirSync(dir);
    const db = join(dir, 'x.db');
    expect(sb.run(['ingest', 'csv', BASIC, '--db', db]).status).toBe(0);
    const why = makeReadOnly(dir, 'dir');
    if (why) skip(why);
    const cause =
      `llmcost: Cannot open the database ${db} (unable to open database file).\n` +
      '  Check that the path exists and that its directory is writable: SQLite creates the -wal and -shm files beside the database, even to read it.\n';
    const ingest = sb.run(['ingest', 'csv', fixture('csv', 'unknown-model.csv'), '--db', db]);
    expect([ingest.status, ingest.stderr]).toEqual([2, cause]);
    const report = sb.run(['report', '--db', db]);
    expect([report.status, report.stderr]).toEqual([2, cause]);
    const fresh = sb.run(['ingest', 'csv', BASIC, '--db', join(dir, 'new.db')]);
    expect(fresh.status).toBe(2);
    expect(fresh.stderr).toContain(`llmcost: Cannot open the database ${join(dir, 'new.db')} (unable to open database file).`);
  });
});

describe('the database path', () => {
  it('--db under a regular file names that file, exit 2', () => {
    const sb = useSandbox();
    writeFileSync(join(sb.dir, 'somefile.txt'), 'notes\n');
    const r = sb.run(['ingest', 'csv', BASIC, '--db', 'somefile.txt/x.db']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'llmcost: Cannot create the database somefile.txt/x.db: somefile.txt is a file, not a directory.\n' +
        '  Give --db or LLMCOST_DB a path whose directories are directories, e.g. --db ./llmcost.db.\n',
    );
  });
});

describe('a full disk', () => {
  it('SQLITE_FULL mid-ingest: exit 2, the file rolled back, what was stored before is kept', ({ skip }) => {
    // A 1 MiB tmpfs in a private mount namespace: nothing to clean up, and no root needed where user namespaces are allowed.
    const probe = spawnSync('unshare', ['-rm', 'true'], { encoding: 'utf8' });
    if (probe.status !== 0) skip(`cannot mount a small tmpfs here (unshare -rm: ${(probe.stderr || probe.error?.message || '').trim()})`);
    const sb = useSandbox();
    const big = join(sb.dir, 'big.csv');
    let csv = 'timestamp,user,model,input_tokens,output_tokens,request_id\n';
    for (let i = 0; i < 20_000; i++) csv += `2026-10-0${1 + (i % 9)}T10:00:00Z,user-${i % 97},gpt-4o-mini,1000,100,big-${i}\n`;
    writeFileSync(big, csv);
    const disk = join(sb.dir, 'disk');
    mkdirSync(disk);
    const db = join(disk, 'x.db');
    const node = `"${process.execPath}" "${BIN}"`;
    const script = [
      `mount -t tmpfs -o size=1m tmpfs "${disk}" || exit 99`,
      `${node} ingest csv "${BASIC}" --db "${db}" --json > /dev/null; echo "first=$?"`,
      `${node} ingest csv "${big}" --db "${db}" --json > /dev/null 2> "${sb.dir}/err.txt"; echo "second=$?"`,
      `${node} report --db "${db}" --json > "${sb.dir}/report.json"; echo "report=$?"`,
    ].join('\n');
    const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], {
      encoding: 'utf8',
      cwd: sb.dir,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC', HOME: sb.dir, ...coverageEnv() },
    });
    if (r.status === 99) skip(`cannot mount a tmpfs in a user namespace here: ${r.stderr.trim()}`);
    expect(r.stdout).toBe('first=0\nsecond=2\nreport=0\n');
    const err = spawnSync('cat', [join(sb.dir, 'err.txt')], { encoding: 'utf8' }).stdout;
    expect(err).toBe(
      `llmcost: The disk holding the database ${db} is full (database or disk is full). What was being written was rolled back; what was stored before it is kept.\n` +
        '  Free some space (or point --db at another disk) and run the same command again: files already stored are skipped.\n',
    );
    const report = json<{ totals: { requests: number } }>({
      status: 0,
      stdout: spawnSync('cat', [join(sb.dir, 'report.json')], { encoding: 'utf8' }).stdout,
      stderr: '',
    });
    expect(report.totals.requests).toBe(7);
  });
});

describe('another process holds the write lock', () => {
  const holdLock = (path: string): BetterSqlite3.Database => {
    const db = new Database(path);
    db.exec('BEGIN IMMEDIATE');
    cleanups.push(() => db.close());
    return db;
  };

  it('a writer waits its turn, says so once on stderr, and stores everything when the lock is released', async () => {
    const sb = useSandbox();
    expect(sb.run(['ingest', 'csv', fixture('csv', 'unknown-model.csv')]).status).toBe(0);
    const holder = holdLock(sb.db);
    // Readers never wait for a writer.
    expect(sb.run(['report', '--json']).status).toBe(0);
    setTimeout(() => holder.exec('COMMIT'), 2_500);
    const r = await runAsync(sb, ['ingest', 'csv', BASIC, '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`waiting for another process writing to ${sb.db}…\n`);
    expect(json<{ totals: { inserted: number } }>(r).totals.inserted).toBe(7);
  });

  it('with LLMCOST_LOCK_TIMEOUT it gives up after that long: exit 2 with the cause, nothing changed', () => {
    const sb = useSandbox();
    expect(sb.run(['ingest', 'csv', fixture('csv', 'unknown-model.csv')]).status).toBe(0);
    const before = storedRequests(sb.db);
    holdLock(sb.db);
    const r = sb.run(['ingest', 'csv', BASIC], { env: { LLMCOST_LOCK_TIMEOUT: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `llmcost: The database ${sb.db} is locked by another process that is writing to it: gave up after 1 s (LLMCOST_LOCK_TIMEOUT).\n` +
        '  Run the command again when the other one has finished (another llmcost ingest, or a program holding a transaction open): files already stored are skipped. Unset LLMCOST_LOCK_TIMEOUT to wait as long as it takes.\n',
    );
    expect(storedRequests(sb.db)).toBe(before);
  });
});

describe('environment variables', () => {
  it.each([
    [
      'LLMCOST_NOW',
      'garbage',
      'llmcost: LLMCOST_NOW="garbage" is not a date-time.\n  Set it to an ISO 8601 time such as 2026-10-15T18:00:00Z (or a date, 2026-10-15), or unset it to use the clock.\n',
    ],
    [
      'TZ',
      'Europe/Berln',
      'llmcost: TZ="Europe/Berln" is not a time zone llmcost knows.\n  Set TZ to an IANA name such as UTC, Europe/Berlin or America/New_York (or unset it for the system zone), or pass --tz.\n',
    ],
    [
      'LLMCOST_LOCK_TIMEOUT',
      'soon',
      'llmcost: LLMCOST_LOCK_TIMEOUT="soon" is not a number of seconds.\n  Set it to how long a write may wait for another process writing to the database, e.g. 600, or unset it to wait as long as it takes.\n',
    ],
  ])('%s=%s is refused with exit 2 before anything runs', (name, value, stderr) => {
    const sb = useSandbox();
    expect(sb.run(['ingest', 'csv', BASIC]).status).toBe(0);
    const r = sb.run(['report', '--json'], { env: { [name]: value } });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', stderr]);
  });
});

describe('file handles', () => {
  it('auto-detecting a directory of hundreds of files closes each probe: no EMFILE under ulimit -n 128', ({ skip }) => {
    const sb = useSandbox();
    const dir = join(sb.dir, 'many');
    mkdirSync(dir);
    // Each file is larger than the 16 KiB the probe reads, so the probe stops before the end of the file.
    const note = 'x'.repeat(500);
    for (let f = 0; f < 300; f++) {
      let csv = 'timestamp,model,input_tokens,output_tokens,request_id,note\n';
      for (let i = 0; i < 40; i++) csv += `2026-10-01T10:00:00Z,gpt-4o-mini,1000,100,f${f}-r${i},${note}\n`;
      writeFileSync(join(dir, `part-${String(f).padStart(3, '0')}.csv`), csv);
    }
    const script = `ulimit -n 128 || exit 99; exec "${process.execPath}" "${BIN}" ingest many --json`;
    const r = spawnSync('sh', ['-c', script], {
      cwd: sb.dir,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC', HOME: sb.dir, LLMCOST_DB: sb.db, ...coverageEnv() },
    });
    if (r.status === 99) skip('cannot lower the file-handle limit here');
    expect(r.stderr).not.toContain('EMFILE');
    expect(r.status).toBe(0);
    expect(json<{ totals: { inserted: number } }>(r).totals.inserted).toBe(12_000);
  });
});
