/** `llmcost db upgrade`: applies pending schema migrations, the one step read commands never take. */
import type { Command } from 'commander';
import { ExitCode } from '../lib/errors.js';
import { openDb } from '../store/db.js';
import { pendingMigrations } from '../store/migrate.js';
import type { Context } from './context.js';
import { addDbOption, type CommonFlags, dbPathFrom } from './options.js';

export function registerDb(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const db = program.command('db').description('the database itself: upgrade its schema after installing a newer llmcost');
  const upgrade = db
    .command('upgrade')
    .description('apply pending schema migrations (read commands never change a database; ingest upgrades it too)');
  addDbOption(upgrade);
  upgrade.action((flags: CommonFlags) => run(() => upgradeCommand(flags, ctx)));
}

async function upgradeCommand(flags: CommonFlags, ctx: Context): Promise<number> {
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
