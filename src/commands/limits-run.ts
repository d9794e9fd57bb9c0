/** `llmcost limits`: what runs (loaded by the action in limits.ts, so `--help` loads none of it). */
import { rateLimits } from '../analysis/limits.js';
import type { Context } from '../core/context.js';
import { DataError, ExitCode } from '../lib/errors.js';
import { render } from '../render/index.js';
import type { TableData } from '../render/types.js';
import { linesWithoutMinutes, minuteTraffic } from '../store/queries/limits.js';
import { measuredWindow } from './calculator-common.js';
import { requireRows } from './data-guard.js';
import type { LimitsFlags } from './limits.js';
import { openFromFlags } from './open.js';
import { resolveFormat } from './options.js';

export async function limitsCommand(flags: LimitsFlags, ctx: Context): Promise<number> {
  const format = resolveFormat(flags);
  const { tz, since, until } = measuredWindow(flags, ctx);
  const by = flags.by ?? 'api-key';
  const headroom = flags.headroom ?? 0.5;
  const db = openFromFlags(flags, ctx);
  let limits: ReturnType<typeof rateLimits>;
  let leftOut: { lines: number; requests: number };
  try {
    requireRows(db, { since, until }, tz);
    limits = rateLimits(minuteTraffic(db, by, { since, until }), headroom);
    leftOut = linesWithoutMinutes(db, { since, until });
  } finally {
    db.close();
  }
  const n = (x: number): string => x.toLocaleString('en-US');
  const aggregated =
    leftOut.lines > 0
      ? `${n(leftOut.lines)} aggregated or day-only line${leftOut.lines === 1 ? '' : 's'} (${n(leftOut.requests)} requests) ${leftOut.lines === 1 ? 'has' : 'have'} no minute of ${leftOut.lines === 1 ? 'its' : 'their'} own`
      : undefined;
  if (limits.length === 0)
    throw new DataError(
      `No request-level usage with a time of day in the range: minutes cannot be measured${aggregated ? ` (${aggregated})` : ''}.`,
      'Daily exports, aggregated CSV lines and bills have no minutes; ingest gateway or invocation logs (llmcost ingest litellm | bedrock-log).',
    );
  const payload = {
    schemaVersion: 1,
    kind: 'rate-limits',
    by,
    range: { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
    headroom,
    limits,
    linesWithoutMinutes: leftOut,
  };
  const label = by === 'api-key' ? 'API key' : by === 'team' ? 'Team' : 'Model';
  const table: TableData = {
    title: `Busiest minutes by ${label.toLowerCase()} and suggested limits (${Math.round(headroom * 100)}% above the busiest minute)`,
    columns: [
      { key: 'key', header: label, kind: 'text' },
      { key: 'minutes', header: 'Active min', kind: 'int' },
      { key: 'rpm', header: 'Requests/min p50 · p99 · max', kind: 'text' },
      { key: 'tpm', header: 'Tokens/min p50 · p99 · max', kind: 'text' },
      { key: 'busiest', header: 'Busiest (UTC)', kind: 'text' },
      { key: 'rpmLimit', header: 'rpm_limit', kind: 'int' },
      { key: 'tpmLimit', header: 'tpm_limit', kind: 'int' },
    ],
    rows: limits.map((l) => ({
      key: l.key === '' ? '(none)' : l.key,
      minutes: l.activeMinutes,
      rpm: `${n(l.rpm.p50)} · ${n(l.rpm.p99)} · ${n(l.rpm.max)}`,
      tpm: `${n(l.tpm.p50)} · ${n(l.tpm.p99)} · ${n(l.tpm.max)}`,
      busiest: l.busiestMinute.replace('T', ' '),
      rpmLimit: l.suggested.rpm_limit,
      tpmLimit: l.suggested.tpm_limit,
    })),
    notes: [
      'Percentiles are over the minutes with traffic (idle minutes would pull them to 0). Tokens count input (cached too) and output, as a gateway tokens-per-minute limit does.',
      `Suggested limits: ceil(busiest minute × ${1 + headroom}). Set them as LiteLLM rpm_limit / tpm_limit on the key or team (/key/update, /team/update).`,
      ...(aggregated ? [`Left out: ${aggregated}, so the busiest minutes may be busier than shown.`] : []),
    ],
  };
  ctx.out(render(format, payload, [table], ctx.view));
  return ExitCode.Ok;
}
