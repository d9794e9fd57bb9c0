/** `llmcost reconcile`: what runs (loaded by the action in reconcile.ts, so `--help` loads none of it). */
import { partialDays, reconcile } from '../analysis/reconcile.js';
import type { Context } from '../core/context.js';
import { DataError, ExitCode } from '../lib/errors.js';
import { isoUtc } from '../lib/time.js';
import { canonicalProvider } from '../pricing/normalize.js';
import { render } from '../render/index.js';
import { reconcileJson, reconcileTables } from '../render/reconcile.js';
import type { Db } from '../store/db.js';
import { logSpan, reconcileRows } from '../store/queries/reconcile.js';
import { openFromFlags } from './open.js';
import { DEFAULT_SINCE, resolveFormat, resolveRange } from './options.js';
import type { ReconcileFlags } from './reconcile.js';

/** Providers whose bill comes from their own cost API: where it is stored, and how to ingest it. */
const ORG_BILLS: Record<string, { bill: string; source: string; key: string } | undefined> = {
  openai: { bill: 'OpenAI Costs API', source: 'openai-usage', key: 'OPENAI_ADMIN_KEY' },
  anthropic: { bill: 'Anthropic cost report', source: 'anthropic-usage', key: 'ANTHROPIC_ADMIN_KEY' },
};

/**
 * The lines of `reconcile` for one provider over [since, until): what the command prints and what the HTML report
 * shows. Throws a DataError when there is no bill, or no request log, to compare.
 */
export function reconcileLines(
  db: Db,
  o: { since: number; until: number; provider: string; byModel: boolean },
): ReturnType<typeof reconcile> {
  const { since, until, provider } = o;
  const rows = reconcileRows(db, since, until, provider);
  const between = `between ${isoUtc(since).slice(0, 10)} and ${isoUtc(until - 1).slice(0, 10)}`;
  const api = ORG_BILLS[provider];
  if (!rows.some((r) => r.basis === 'billed')) {
    throw new DataError(
      `Nothing billed to compare with: no ${api?.bill ?? 'Cost Explorer or CUR'} rows of ${provider} ${between}.`,
      api
        ? `Ingest the bill first: \`llmcost ingest ${api.source} --since …\` (with ${api.key}).`
        : 'Ingest the bill first: `llmcost ingest cost-explorer --since …`, or a CUR with `llmcost ingest csv --preset cur FILE`.',
    );
  }
  if (!rows.some((r) => r.basis === 'usage')) {
    throw new DataError(
      `No request logs of ${provider} ${between} to compare with the bill.`,
      api
        ? `Ingest the usage of the same days (\`llmcost ingest ${api.source}\`, or gateway logs: llmcost ingest litellm …), or choose --provider.`
        : 'Ingest the gateway logs of the same days (llmcost ingest litellm | bedrock-log …), or choose --provider.',
    );
  }
  return reconcile(rows, o.byModel, partialDays(logSpan(db, provider)));
}

export async function reconcileCommand(flags: ReconcileFlags, ctx: Context): Promise<number> {
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
    lines = reconcileLines(db, { since, until, provider, byModel: flags.byModel === true });
  } finally {
    db.close();
  }
  const compared = lines.filter((l) => l.compared);
  const over = threshold === undefined ? [] : compared.filter((l) => l.gapPct !== null && Math.abs(l.gapPct) > (threshold ?? 0));
  const payload = reconcileJson(provider, threshold, lines, over.length);
  ctx.out(render(format, payload, reconcileTables(payload, flags.byModel === true), ctx.view));
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
