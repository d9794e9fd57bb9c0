/** `llmcost db upgrade`: applies pending schema migrations, the one step read commands never take. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, type CommonFlags } from './options.js';

export function registerDb(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const db = program.command('db').description('the database itself: upgrade its schema after installing a newer llmcost');
  const upgrade = db
    .command('upgrade')
    .description('apply pending schema migrations (read commands never change a database; ingest upgrades it too)');
  addDbOption(upgrade);
  upgrade.action((flags: CommonFlags) => run(async () => (await import('./db-run.js')).upgradeCommand(flags, ctx)));
}
