/** `llmcost reconcile`: what the gateway logged, what llmcost computes, and what AWS billed, per day. */
import type { Command } from 'commander';
import { reconcile } from '../analysis/reconcile.js';
import { ExitCode, UserError } from '../lib/errors.js';
import { nanosToDecimal } from '../lib/money.js';
import { dayNumberToIso } from '../lib/time.js';
import { render } from '../render/index.js';
import { reconcileRows } from '../store/queries/reconcile.js';
import type { Context } from './context.js';
import { addDbOption, addFormatOptions, type CommonFlags, openFromFlags, resolveFormat, resolveRange } from './options.js';

interface ReconcileFlags extends CommonFlags {
  byModel?: boolean;
  threshold?: string;
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
    .option('--threshold <pct>', 'exit 1 when any gap exceeds this share of the bill, e.g. 5%');
  addFormatOptions(cmd);
  addDbOption(cmd);
  cmd.addHelpText(
    'after',
    '\nDays are UTC, as Cost Explorer and CUR bill them.\n\nExample:\n  llmcost reconcile --since 2026-10-01 --by-model --threshold 5%',
  );
  cmd.action((flags: ReconcileFlags) => run(() => reconcileCommand(flags, ctx)));
}

const usd = (n: bigint | null): string => (n === null ? '' : `$${nanosToDecimal(n).replace(/0{1,6}$/, '')}`);

async function reconcileCommand(flags: ReconcileFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const now = ctx.now();
  const range = resolveRange({ ...flags, since: flags.since ?? '30d' }, 'UTC', now);
  let threshold: number | undefined;
  if (flags.threshold !== undefined) {
    const t = flags.threshold.trim();
    threshold = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
    if (!Number.isFinite(threshold) || threshold < 0)
      throw new UserError(`--threshold ${flags.threshold}: expected a share such as 5% or 0.05.`);
  }
  const db = openFromFlags(flags, ctx);
  let lines: ReturnType<typeof reconcile>;
  try {
    lines = reconcile(reconcileRows(db, range.since ?? 0, range.until ?? now, flags.provider ?? 'aws'), flags.byModel === true);
  } finally {
    db.close();
  }
  const over = threshold === undefined ? [] : lines.filter((l) => l.gapPct !== null && Math.abs(l.gapPct) > (threshold ?? 0));
  const payload = {
    schemaVersion: 1,
    kind: 'reconcile',
    provider: flags.provider ?? 'aws',
    threshold: threshold ?? null,
    lines: lines.map((l) => ({ ...l, day: dayNumberToIso(l.day) })),
    verdict: { overThreshold: over.length, tripped: over.length > 0 },
  };
  ctx.out(
    render(
      format,
      payload,
      [
        {
          title: `Reconcile (${payload.provider}, UTC days): logged vs computed vs billed`,
          columns: [
            { key: 'day', header: 'Day', kind: 'text' },
            ...(flags.byModel ? [{ key: 'model', header: 'Model', kind: 'text' as const }] : []),
            { key: 'logged', header: 'Logged', kind: 'text' },
            { key: 'computed', header: 'Computed', kind: 'text' },
            { key: 'billed', header: 'Billed', kind: 'text' },
            { key: 'gap', header: 'Gap', kind: 'text' },
            { key: 'pct', header: 'Gap %', kind: 'text' },
            { key: 'why', header: 'Explained by', kind: 'text' },
          ],
          rows: lines.map((l) => ({
            day: dayNumberToIso(l.day),
            model: l.model,
            logged: usd(l.loggedNanos),
            computed: usd(l.computedNanos),
            billed: usd(l.billedNanos),
            gap: usd(l.gapNanos),
            pct: l.gapPct === null ? '' : `${(l.gapPct * 100).toFixed(1)}%`,
            why: l.explanations.join('; '),
          })),
          notes:
            threshold === undefined
              ? []
              : [
                  over.length
                    ? `${over.length} line(s) over the ${(threshold * 100).toFixed(1)}% threshold.`
                    : `All gaps within ${(threshold * 100).toFixed(1)}%.`,
                ],
        },
      ],
      { color: ctx.color },
    ),
  );
  if (over.length > 0) {
    ctx.err(`llmcost: reconcile gap over --threshold on ${over.length} line(s).\n`);
    return ExitCode.GateTripped;
  }
  return ExitCode.Ok;
}
