/** `llmcost demo`: load the bundled demo data into a fresh database and print the headline reports. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addFormatOptions, type CommonFlags } from './options.js';

export interface DemoFlags extends CommonFlags {
  /** true without a file name. */
  html?: string | boolean;
}

export function registerDemo(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('demo')
    .description('load the bundled demo data (61 days, 24 users, 4 teams) into a fresh database and show the main reports')
    .option(
      '--db <path>',
      'where to create the demo database (default: $XDG_CACHE_HOME/llmcost/demo.db, else ~/.cache/llmcost/demo.db; never your real store). An existing file there is replaced only if it is an earlier demo database',
    );
  cmd.option(
    '--html [file]',
    "write the demo's HTML report instead of the tables, and print its path (default: demo.html beside the demo database)",
  );
  addFormatOptions(cmd);
  cmd.action((flags: DemoFlags) => run(async () => (await import('./demo-run.js')).demoCommand(flags, ctx)));
}
