/** What the decision calculators (compare-selfhost, roadmap, unit-cost, whatif, limits) share: money display, the measured window and span. */
import type { Config } from '../lib/config.js';
import { formatUsd, nanosFromUsd } from '../lib/money.js';
import { DAY_MS } from '../lib/time.js';
import type { Db } from '../store/db.js';
import type { UsageFilter } from '../store/queries/report.js';
import type { Context } from './context.js';
import { coverageNote, windowCoverage } from './data-guard.js';
import { resolveTz } from './open.js';
import { type CommonFlags, DEFAULT_SINCE, resolveRange } from './options.js';

export type Run = (fn: () => Promise<number>) => Promise<void>;

/** The window a calculator measures, from --since/--until in --tz (else `config`'s timezone); by default the last 30 days (DEFAULT_SINCE). */
export function measuredWindow(flags: CommonFlags, ctx: Context, config?: Config): { tz: string; since: number; until: number } {
  const tz = resolveTz(flags, config);
  const now = ctx.now();
  const range = resolveRange(flags, tz, now, DEFAULT_SINCE);
  return { tz, since: range.since ?? now - 30 * DAY_MS, until: range.until ?? now };
}

export const usd = (x: number): string => formatUsd(nanosFromUsd(x), { decimals: 2 });

/**
 * The days a measured figure covers: the data's own first and last day inside the window. A default
 * window that the data only partly fills is said (on stderr) and scaled by the days it holds, never as if
 * it were whole.
 */
export function measuredSpan(
  db: Db,
  filter: UsageFilter & { since: number; until: number },
  tz: string,
  defaulted: boolean,
  ctx: Context,
): { first: string; last: string; days: number; partial: boolean; text: string } {
  const c = windowCoverage(db, filter, tz);
  if (!c) throw new Error('unreachable: measuredSpan after requireRows');
  if (defaulted && c.partial) ctx.err(`llmcost: ${coverageNote(c, 'the last 30 days')}\n`);
  return {
    first: c.firstDay,
    last: c.lastDay,
    days: c.spanDays,
    partial: c.partial,
    text: `${c.firstDay} to ${c.lastDay} (${c.spanDays} day${c.spanDays === 1 ? '' : 's'} with data${c.partial ? `, of a ${c.windowDays}-day window` : ''})`,
  };
}
