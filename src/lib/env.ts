/** Every environment variable llmcost reads, in one place; values llmcost cannot use are refused here. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from './errors.js';
import { parseTimestamp } from './time.js';

export interface Env {
  db: string | undefined;
  dataHome: string;
  /** $XDG_CACHE_HOME/llmcost, default ~/.cache/llmcost: per-user scratch space such as the demo database. */
  cacheHome: string;
  noColor: boolean;
  forceColor: boolean;
  ci: boolean;
  home: string;
  /** Claude Code's config directories (comma-separated), as ccusage reads them. */
  claudeConfigDir: string | undefined;
  /** GitHub Actions: the job-summary file, and whether to print workflow annotations. */
  githubStepSummary: string | undefined;
  githubActions: boolean;
  /** LLMCOST_NOW (ISO time): the clock for reproducible reports and tests. */
  now: number | undefined;
  /** LLMCOST_LOCK_TIMEOUT (seconds): how long a writer waits for another one; undefined: as long as it needs. */
  lockTimeoutMs: number | undefined;
  /**
   * LLMCOST_COLUMNS: lay the output out for a terminal this many columns wide even when stdout is not one (tables
   * fit it, charts and sparklines are drawn): for tests, and for pagers and `watch`.
   */
  columns: number | undefined;
  /** LLMCOST_NOTIFY_BACKOFF_MS: the first delay between webhook retries (doubled each time); default 1000. */
  notifyBackoffMs: number;
  /** The GitHub Actions run that is executing llmcost ($GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID). */
  githubRunUrl: string | undefined;
  /** Any other variable by name: a webhook URL that the config names with `urlEnv` (a secret, so never in the file). */
  lookup: (name: string) => string | undefined;
  /** LiteLLM's PostgreSQL for `ingest litellm` without paths: LITELLM_DATABASE_URL, else DATABASE_URL (LiteLLM's own name). */
  litellmDatabaseUrl: { url: string; from: string } | undefined;
  /** PGSSLMODE and PGSSLROOTCERT, for a database URL that sets neither (libpq's meaning; see ingest/litellm/postgres.ts). */
  pgSsl: { mode: string | undefined; rootCert: string | undefined };
  /** LLMCOST_INGEST_WORKER: parse ingest input on a second thread — `auto` (large inputs, two cores or more), `always`, `never`. */
  ingestWorker: 'auto' | 'always' | 'never';
  /** The AWS region: AWS_REGION, else AWS_DEFAULT_REGION, else LiteLLM's AWS_REGION_NAME. */
  awsRegion: string | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const xdg = env.XDG_DATA_HOME;
  const xdgCache = env.XDG_CACHE_HOME;
  const out: Env = {
    db: env.LLMCOST_DB || undefined,
    dataHome: xdg ? join(xdg, 'llmcost') : join(env.HOME || homedir(), '.local', 'share', 'llmcost'),
    cacheHome: xdgCache ? join(xdgCache, 'llmcost') : join(env.HOME || homedir(), '.cache', 'llmcost'),
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    forceColor: env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0',
    ci: env.CI === 'true' || env.CI === '1',
    home: env.HOME || homedir(),
    claudeConfigDir: env.CLAUDE_CONFIG_DIR || undefined,
    githubStepSummary: env.GITHUB_STEP_SUMMARY || undefined,
    githubActions: env.GITHUB_ACTIONS === 'true',
    now: env.LLMCOST_NOW ? readNow(env.LLMCOST_NOW) : undefined,
    lockTimeoutMs: env.LLMCOST_LOCK_TIMEOUT ? readLockTimeout(env.LLMCOST_LOCK_TIMEOUT) : undefined,
    columns: env.LLMCOST_COLUMNS ? readColumns(env.LLMCOST_COLUMNS) : undefined,
    notifyBackoffMs: env.LLMCOST_NOTIFY_BACKOFF_MS ? readBackoff(env.LLMCOST_NOTIFY_BACKOFF_MS) : 1000,
    githubRunUrl:
      env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL.replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
    pgSsl: { mode: env.PGSSLMODE || undefined, rootCert: env.PGSSLROOTCERT || undefined },
    lookup: (name) => env[name] || undefined,
    ingestWorker: env.LLMCOST_INGEST_WORKER ? readWorkerMode(env.LLMCOST_INGEST_WORKER) : 'auto',
    awsRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION || env.AWS_REGION_NAME || undefined,
    litellmDatabaseUrl: env.LITELLM_DATABASE_URL
      ? { url: env.LITELLM_DATABASE_URL, from: 'LITELLM_DATABASE_URL' }
      : env.DATABASE_URL
        ? { url: env.DATABASE_URL, from: 'DATABASE_URL' }
        : undefined,
  };
  return out;
}

/**
 * The AWS SDK warns on every Node below 22 that its releases after January 2027 will need Node 22. llmcost pins
 * its SDK versions, which support Node 20, so that notice is for llmcost's maintainers: turn it off with the
 * SDK's own switch, unless the user set the switch.
 */
function readColumns(text: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 20 || n > 1000) {
    throw new UserError(`LLMCOST_COLUMNS="${text}" is not a terminal width.`, {
      hint: 'Give a whole number of columns from 20 to 1000, e.g. LLMCOST_COLUMNS=80, or unset it.',
    });
  }
  return n;
}

export function quietAwsSdkNodeNotice(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

function readNow(text: string): number {
  const ms = parseTimestamp(text);
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new UserError(`LLMCOST_NOW="${text}" is not a date-time.`, {
      hint: 'Set it to an ISO 8601 time such as 2026-10-15T18:00:00Z (or a date, 2026-10-15), or unset it to use the clock.',
    });
  }
  return ms;
}

function readWorkerMode(text: string): Env['ingestWorker'] {
  const mode = text.trim().toLowerCase();
  if (mode === 'auto' || mode === 'always' || mode === 'never') return mode;
  throw new UserError(`LLMCOST_INGEST_WORKER="${text}" is not auto, always or never.`, {
    hint: 'Set it to never to parse ingest input on the main thread only, always to use a second thread for any file, or unset it (auto).',
  });
}

function readLockTimeout(text: string): number {
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(seconds)) {
    throw new UserError(`LLMCOST_LOCK_TIMEOUT="${text}" is not a number of seconds.`, {
      hint: 'Set it to how long a write may wait for another process writing to the database, e.g. 600, or unset it to wait as long as it takes.',
    });
  }
  return Math.round(seconds * 1000);
}

function readBackoff(text: string): number {
  const ms = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw new UserError(`LLMCOST_NOTIFY_BACKOFF_MS="${text}" is not a whole number of milliseconds.`, {
      hint: 'Set it to the first delay between webhook retries, e.g. 1000 (each retry doubles it), or unset it.',
    });
  }
  return ms;
}

/**
 * TZ names UTC (as most CI runs and the benchmarks set it): the zone is known without Intl's zone data, whose first
 * formatter costs about 15 ms of every command's start.
 */
export function tzIsUtc(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TZ === 'UTC' || env.TZ === 'Etc/UTC';
}

/**
 * Node falls back to UTC, silently, for a TZ it cannot read ("Europe/Berln", a POSIX rule such as "CET-1CEST"):
 * every day boundary would then be off by the zone's offset. TZ names an IANA zone or nothing. Checked when a command
 * runs, not at start-up: loading the zone data takes longer than printing `--help` (~20 ms).
 */
export function checkTz(env: NodeJS.ProcessEnv = process.env): void {
  const tz = env.TZ;
  if (!tz || tzIsUtc(env)) return;
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return;
  } catch {
    throw new UserError(`TZ="${tz}" is not a time zone llmcost knows.`, {
      hint: 'Set TZ to an IANA name such as UTC, Europe/Berlin or America/New_York (or unset it for the system zone), or pass --tz.',
    });
  }
}

/** Database path from --db, else LLMCOST_DB, else $XDG_DATA_HOME/llmcost/llmcost.db. */
export function resolveDbPath(flag: string | undefined, env: Env): string {
  return flag ?? env.db ?? join(env.dataHome, 'llmcost.db');
}
