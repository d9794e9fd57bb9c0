/** `llmcost reconcile`: what the gateway logged, what llmcost computes, and what AWS billed, per day. */
import type { Command } from 'commander';
import { partialDays, reconcile } from '../analysis/reconcile.js';
import { DataError, ExitCode } from '../lib/errors.js';
import { isoUtc } from '../lib/time.js';
import { canonicalProvider } from '../pricing/normalize.js';
import { render } from '../render/index.js';
import { reconcileJson, reconcileTables } from '../render/reconcile.js';
import { logSpan, reconcileRows } from '../store/queries/reconcile.js';
import type { Context } from './context.js';
import {
  addDbOption,
  addFormatOptions,
  type CommonFlags,
  DEFAULT_SINCE,
  openFromFlags,
  resolveFormat,
  resolveRange,
  shareOption,
} from './options.js';

interface ReconcileFlags extends CommonFlags {
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
    '\nDays are UTC, as Cost Explorer and CUR bill them.\n\nExample:\n  llmcost reconcile --since 2026-10-01 --by-model --threshold 5%',
  );
  cmd.action((flags: ReconcileFlags) => run(() => reconcileCommand(flags, ctx)));
}

async function reconcileCommand(flags: ReconcileFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const now = ctx.now();
  const range = resolveRange(flags, 'UTC', now, DEFAULT_SINCE);
  const threshold = flags.threshold;
  const provider = canonicalProvider(flags.provider ?? 'aws') ?? 'aws';
  const since = range.since ?? 0;
  const until = range.until ?? now;
  const db = openFromFlags(flags, ctx);
  let lines: ReturnType<typeof reconcile>;
  try {
    const rows = reconcileRows(db, since, until, provider);
    const between = `between ${isoUtc(since).slice(0, 10)} and ${isoUtc(until - 1).slice(0, 10)}`;
    if (!rows.some((r) => r.basis === 'billed')) {
      throw new DataError(
        `Nothing billed to compare with: no Cost Explorer or CUR rows of ${provider} ${between}.`,
        'Ingest the bill first: `llmcost ingest cost-explorer --since …`, or a CUR with `llmcost ingest csv --preset cur FILE`.',
      );
    }
    if (!rows.some((r) => r.basis === 'usage')) {
      throw new DataError(
        `No request logs of ${provider} ${between} to compare with the bill.`,
        'Ingest the gateway logs of the same days (llmcost ingest litellm | bedrock-log …), or choose --provider.',
      );
    }
    lines = reconcile(rows, flags.byModel === true, partialDays(logSpan(db, provider)));
  } finally {
    db.close();
  }
  const compared = lines.filter((l) => l.compared);
  const over = threshold === undefined ? [] : compared.filter((l) => l.gapPct !== null && Math.abs(l.gapPct) > (threshold ?? 0));
  const payload = reconcileJson(provider, threshold, lines, over.length);
  ctx.out(render(format, payload, reconcileTables(payload, flags.byModel === true), { color: ctx.color }));
  if (over.length > 0) {
    ctx.err(`llmcost: reconcile gap over --threshold on ${over.length} line(s).\n`);
    return ExitCode.GateTripped;
  }
  if (compared.length === 0) {
    // Logs and a bill exist, but on no common whole day: there is nothing to judge, which is not "within".
    ctx.err('llmcost: no day has both whole-day request logs and a bill, so nothing was compared (see the lines above).\n');
    return ExitCode.Data;
  }
  return ExitCode.Ok;
}
