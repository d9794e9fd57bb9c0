/** `llmcost reconcile`: what the gateway logged, what llmcost computes, and what the provider billed, per day. */
import type { Command } from 'commander';
import type { Context } from '../core/context.js';
import { addDbOption, addFormatOptions, type CommonFlags, shareOption } from './options.js';

export interface ReconcileFlags extends CommonFlags {
  byModel?: boolean;
  threshold?: number;
  provider?: string;
}

export function registerReconcile(program: Command, ctx: Context, run: (fn: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('reconcile')
    .description('logged vs computed vs billed cost per day (and model): the gap and what explains it')
    .option('--since <date>', 'first day (default: 30 days ago)')
    .option('--until <date>', 'last day, inclusive')
    .option('--by-model', 'one line per day and model')
    .option('--provider <id>', 'provider whose logs are compared with the bill', 'aws')
    .option('--threshold <pct>', 'exit 1 when any gap exceeds this share of the bill, e.g. 5%', shareOption(0, Number.POSITIVE_INFINITY));
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    '\nDays are UTC, as Cost Explorer, CUR and the OpenAI and Anthropic cost APIs bill them. The bill of --provider openai\nor anthropic comes from `llmcost ingest openai-usage | anthropic-usage`.\n\nExample:\n  llmcost reconcile --since 2026-10-01 --by-model --threshold 5%\n  llmcost reconcile --provider openai --since 2026-10-01',
  );
  cmd.action((flags: ReconcileFlags) => run(async () => (await import('./reconcile-run.js')).reconcileCommand(flags, ctx)));
}
