/**
 * A real PostgreSQL server for a test file: Debian's `postgresql` binaries (installed by .ci/run), a fresh cluster in
 * a temp dir, on a free loopback port, run as `nobody` when the tests run as root (PostgreSQL refuses root), and
 * stopped whatever happens (afterAll, and a process-exit hook that kills it by the PID this helper started).
 * One server per test file: `usePostgres()` in the file's top level.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

export interface PgServer {
  host: '127.0.0.1';
  port: number;
  /** The superuser (trust on the Unix socket, password over TCP). */
  user: 'postgres';
  password: string;
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/DATABASE (default database: postgres). */
  url(database?: string, credentials?: { user: string; password: string }): string;
  /** Runs SQL as the superuser in `database` (default postgres) and returns the rows. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** The server's log: with `logStatements`, every statement as `[application_name] LOG:  statement: …`. */
  log(): string;
  stop(): Promise<void>;
}

const PASSWORD = 'pg-test-secret-7f3a';

/** initdb, postgres and pg_ctl: $LLMCOST_TEST_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
function postgresBinDir(): string {
  const given = process.env.LLMCOST_TEST_PG_BIN;
  if (given) return given;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const [newest] = versions;
  if (newest === undefined) {
    throw new Error(
      'No PostgreSQL server binaries: install them (apt-get install -y postgresql; .ci/run does) or set LLMCOST_TEST_PG_BIN to a bin directory with initdb and postgres.',
    );
  }
  return join(root, newest, 'bin');
}

/** nobody's uid and gid from /etc/passwd, when this process is root (PostgreSQL will not run as root). */
function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new Error('Running as root, and /etc/passwd has no "nobody" user to run PostgreSQL as.');
  return { uid: Number(uid), gid: Number(gid) };
}

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const live = new Set<ChildProcess>();
let exitHook = false;
function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHook) return;
  exitHook = true;
  // A test process that ends without afterAll (a crash, a timeout) still takes its servers with it.
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

export interface PgOptions {
  /** TLS on (a self-signed certificate made with openssl); clients may still connect without it unless `hba` says so. */
  ssl?: boolean;
  /** pg_hba.conf lines put before the default ones (first match wins), e.g. `hostssl all tls_only 127.0.0.1/32 scram-sha-256`. */
  hba?: string[];
  /** Log every statement, prefixed with the client's application_name in brackets (log_statement=all). */
  logStatements?: boolean;
}

/** Starts a fresh cluster; the caller must `stop()` it (usePostgres does). Takes about 1–3 s. */
async function startPostgres(options: PgOptions = {}): Promise<PgServer> {
  const bin = postgresBinDir();
  const owner = unprivileged();
  const dir = mkdtempSync(join(tmpdir(), 'llmcost-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${PASSWORD}\n`);
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
  const as = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const env = { PATH: process.env.PATH ?? '', LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };
  const init = spawnSync(
    join(bin, 'initdb'),
    [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${pwfile}`,
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ],
    { ...as, env, encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr || init.error?.message}`);
  }
  const settings: string[] = [];
  if (options.hba) {
    const file = join(data, 'pg_hba.conf');
    writeFileSync(file, `${options.hba.join('\n')}\n${readFileSync(file, 'utf8')}`);
  }
  if (options.ssl) {
    const cert = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-keyout',
        'server.key',
        '-out',
        'server.crt',
      ],
      { cwd: data, env, encoding: 'utf8' },
    );
    if (cert.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`openssl could not make a certificate (${cert.status}): ${cert.stderr || cert.error?.message}`);
    }
    chmodSync(join(data, 'server.key'), 0o600);
    if (owner) for (const f of ['server.key', 'server.crt']) chownSync(join(data, f), owner.uid, owner.gid);
    settings.push('-c', 'ssl=on');
  }
  if (options.logStatements) settings.push('-c', 'log_statement=all', '-c', 'log_line_prefix=[%a] ');
  const port = await freePort();
  const logFile = join(dir, 'server.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=20',
      '-c',
      'shared_buffers=16MB',
      '-c',
      'TimeZone=UTC',
      ...settings,
    ],
    // The log goes to a file, not a pipe: a test blocked in spawnSync cannot drain a pipe, and a server whose
    // log pipe is full stops answering.
    { ...as, env, stdio: ['ignore', 'ignore', logFd] },
  );
  killOnExit(child);
  closeSync(logFd);
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const stopped = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (database = 'postgres', credentials = { user: 'postgres', password: PASSWORD }): string =>
    `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT'); // immediate shutdown: the cluster is thrown away
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const query = async <R extends Record<string, unknown>>(sql: string, params: unknown[] = [], database = 'postgres'): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  // Ready when a connection succeeds; the server's log is in the error otherwise.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`postgres exited (${child.exitCode}) before accepting connections:\n${log().slice(-4000)}`);
    }
    try {
      await query('SELECT 1');
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`postgres did not accept connections within 30 s: ${String(err)}\n${log().slice(-4000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: PASSWORD,
    url,
    query,
    createDatabase: async (name) => {
      await query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      return url(name);
    },
    log,
    stop,
  };
}

/** One server for the test file, started before its tests and stopped after them (filled in by beforeAll). */
export function usePostgres(options: PgOptions = {}): { server: PgServer } {
  const holder = {} as { server: PgServer };
  beforeAll(async () => {
    holder.server = await startPostgres(options);
  }, 60_000);
  afterAll(async () => {
    await holder.server?.stop();
  });
  return holder;
}
