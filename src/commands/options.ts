/** Shared flags (--db, --format/--json, --since/--until/--tz) as one object, and their resolution. */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type Config, loadConfig } from '../lib/config.js';
import { resolveDbPath } from '../lib/env.js';
import { UserError } from '../lib/errors.js';
import { parseBoundary, systemTimeZone, validateTimeZone } from '../lib/time.js';
import { FORMATS, type Format } from '../render/types.js';
import { type Db, type LockWait, openDb } from '../store/db.js';
import type { Context } from './context.js';

export interface CommonFlags {
  db?: string;
  format?: string;
  json?: boolean;
  since?: string;
  until?: string;
  tz?: string;
}

export function addDbOption(cmd: Command): Command {
  return cmd.option('--db <path>', 'database file (default: $LLMCOST_DB, else $XDG_DATA_HOME/llmcost/llmcost.db)');
}

export function addFormatOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS as string[]).default('table'))
    .option('--json', 'same as --format json');
}

export function addRangeOptions(cmd: Command): Command {
  return cmd
    .option(
      '--since <date>',
      'start: YYYY-MM-DD, YYYY-MM, ISO date-time (in --tz; with Z/UTC/+05:30 the instant it names), today, 30d (today and the 29 days before; 0d and 1d = today), 4w, 24h',
    )
    .option('--until <date>', 'end, same forms; a day is included whole (YYYY-MM-DD, today, 0d: to the end of that day)')
    .option('--tz <zone>', 'IANA time zone for days, weeks and months (default: the system zone)');
}

export function resolveFormat(flags: CommonFlags): Format {
  if (flags.json) return 'json';
  return (flags.format ?? 'table') as Format;
}

let cwdConfig: Config | undefined;
/** ./llmcost.config.json, when there is one (read once); `--config` is read by the commands that take it. */
export function projectConfig(): Config {
  cwdConfig ??= loadConfig(undefined);
  return cwdConfig;
}

/** --tz, else the config's timezone, else the system zone. */
export function resolveTz(flags: CommonFlags, config: Config = projectConfig()): string {
  return validateTimeZone(flags.tz ?? config.timezone ?? systemTimeZone());
}

export function resolveRange(flags: CommonFlags, tz: string, now: number): { since?: number; until?: number } {
  const out: { since?: number; until?: number } = {};
  if (flags.since) out.since = parseBoundary(flags.since, tz, now, false, '--since');
  if (flags.until) out.until = parseBoundary(flags.until, tz, now, true, '--until');
  if (out.since !== undefined && out.until !== undefined && out.until <= out.since) {
    throw new UserError(`--until (${flags.until}) is not after --since (${flags.since}).`, { hint: 'Swap them, or widen the range.' });
  }
  return out;
}

/** --db, else LLMCOST_DB, else the config's db, else the default path. */
export function dbPathFrom(flags: CommonFlags, ctx: Context, config: Config = projectConfig()): string {
  return flags.db ?? ctx.env.db ?? config.db ?? resolveDbPath(undefined, ctx.env);
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
export function lockWait(path: string, ctx: Context): LockWait {
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

/** Splits repeatable, comma-separated filter values: --user a,b --user c → [a, b, c]. */
export function listValues(values: string[] | undefined): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
