/** `llmcost db`: what runs (loaded by the action in db.ts, so `--help` loads none of it). */

import type { Context } from '../core/context.js';
import { ExitCode } from '../lib/errors.js';
import { openDb } from '../store/db.js';
import { pendingMigrations } from '../store/migrate.js';
import { dbPathFrom } from './open.js';
import type { CommonFlags } from './options.js';

export async function upgradeCommand(flags: CommonFlags, ctx: Context): Promise<number> {
  const path = dbPathFrom(flags, ctx);
  // Read first: a missing or foreign file is refused before anything is created or written.
  const before = openDb(path, { mode: 'read', allowPending: true });
  let pending: number[];
  try {
    pending = pendingMigrations(before, path);
  } finally {
    before.close();
  }
  if (pending.length > 0) openDb(path, { mode: 'write' }).close();
  ctx.err(pending.length > 0 ? `Upgraded ${path}: applied schema migration ${pending.join(', ')}.\n` : `${path} is up to date.\n`);
  return ExitCode.Ok;
}
