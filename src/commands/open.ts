/** Resolution that reads files: the project config, the time zone it may set, and the database. Loaded when a command runs. */
import { existsSync } from 'node:fs';
import type { Context } from '../core/context.js';
import { type Config, loadConfig } from '../lib/config.js';
import { resolveDbPath, tzIsUtc } from '../lib/env.js';
import { systemTimeZone, validateTimeZone } from '../lib/time.js';
import { type Db, type LockWait, openDb } from '../store/db.js';
import { sqlitePath } from '../store/location.js';
import type { CommonFlags } from './options.js';

let cwdConfig: Config | undefined;
/** ./llmcost.config.json, when there is one (read once); `--config` is read by the commands that take it. */
export function projectConfig(): Config {
  cwdConfig ??= loadConfig(undefined);
  return cwdConfig;
}

/** --tz, else the config's timezone, else the system zone (UTC when TZ says so: no Intl formatter to ask). */
export function resolveTz(flags: CommonFlags, config: Config = projectConfig()): string {
  return validateTimeZone(flags.tz ?? config.timezone ?? (tzIsUtc() ? 'UTC' : systemTimeZone()));
}

/** --db, else LLMCOST_DB, else the config's db, else the default path (a PostgreSQL URL is refused: exit 2). */
export function dbPathFrom(flags: CommonFlags, ctx: Context, config: Config = projectConfig()): string {
  return sqlitePath(flags.db ?? ctx.env.db ?? config.db ?? resolveDbPath(undefined, ctx.env));
}

/**
 * Opens the database: `read` (the default) never creates, migrates or writes it and exits 3 when it is
 * missing; `write` creates and migrates it (ingest, prices update, prompt recording).
 */
export function openFromFlags(flags: CommonFlags, ctx: Context, config: Config = projectConfig(), mode: 'read' | 'write' = 'read'): Db {
  const path = dbPathFrom(flags, ctx, config);
  return openDb(path, { mode, lock: lockWait(path, ctx) });
}

/** The database for optional reads (a loaded price catalog): undefined when there is no database file. */
export function openIfPresent(flags: CommonFlags, ctx: Context, config: Config = projectConfig()): Db | undefined {
  const path = dbPathFrom(flags, ctx, config);
  return existsSync(path) ? openDb(path, { mode: 'read', lock: lockWait(path, ctx) }) : undefined;
}

/**
 * A write waits its turn while another process writes (LLMCOST_LOCK_TIMEOUT bounds it) and says so on stderr:
 * on a terminal as a line redrawn with the seconds waited, elsewhere once.
 */
function lockWait(path: string, ctx: Context): LockWait {
  let said = false;
  return {
    timeoutMs: ctx.env.lockTimeoutMs,
    onWait: (waitedMs) => {
      const text = `waiting for another process writing to ${path}…`;
      if (ctx.stderrTTY) ctx.err(`\r\u001b[K${text} (${Math.round(waitedMs / 1000)} s)`);
      else if (!said) ctx.err(`${text}\n`);
      said = true;
    },
    onDone: () => {
      if (ctx.stderrTTY) ctx.err('\r\u001b[K');
    },
  };
}
