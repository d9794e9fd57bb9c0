/**
 * Never double count, never drop spend: request-level logs and the cloud bill describe the same spend, so
 * each (local day, provider) is taken from one of them. Logs where they cover that provider's day (in the
 * filter's scope), the bill where they don't.
 */
import type { Db } from '../db.js';
import { type AggregateRow, aggregate, type Dimension, dataRange, hasBillingRuns, mergeRows, type UsageFilter } from './report.js';

export type Basis = 'usage' | 'billed';

/** Which rows a figure was computed from. */
export interface BasisPlan {
  /** usage or billed: one basis throughout; mixed: per day and provider; all: a --source filter takes both. */
  basis: 'usage' | 'billed' | 'mixed' | 'all';
  /** Days (local day numbers) and providers taken from the bill because no logs cover them. */
  billed: { provider: string; days: number[] }[];
  /** Per provider that has both: the last day with logs and the last billed day (logs that stopped). */
  coverage: { provider: string; lastUsageDay: number | undefined; lastBilledDay: number | undefined }[];
}

function daysByProvider(db: Db, filter: UsageFilter, tz: string, basis: Basis): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const r of aggregate(db, { dims: ['provider'], byDay: true, tz, filter: { ...filter, basis } })) {
    const p = r.keys[0] ?? '';
    let set = out.get(p);
    if (!set) {
      set = new Set();
      out.set(p, set);
    }
    set.add(r.day ?? 0);
  }
  return out;
}

/** Decides, per local day and provider, whether logs or the bill answer for the filter's scope. */
export function planBasis(db: Db, filter: UsageFilter, tz: string, explicit?: Basis): BasisPlan {
  if (explicit) return { basis: explicit, billed: [], coverage: [] };
  if (filter.source && filter.source.length > 0) return { basis: 'all', billed: [], coverage: [] };
  // The common case costs one look-up in ingest_runs: no bill was ever ingested, or none in the range.
  if (!hasBillingRuns(db) || !dataRange(db, { ...filter, basis: 'billed' }, tz)) return { basis: 'usage', billed: [], coverage: [] };
  const usage = daysByProvider(db, filter, tz, 'usage');
  const bill = daysByProvider(db, filter, tz, 'billed');
  const billed: BasisPlan['billed'] = [];
  const coverage: BasisPlan['coverage'] = [];
  for (const [provider, days] of bill) {
    const logged = usage.get(provider);
    const only = [...days].filter((d) => !logged?.has(d)).sort((a, b) => a - b);
    if (only.length > 0) billed.push({ provider, days: only });
    if (logged && logged.size > 0) {
      coverage.push({ provider, lastUsageDay: Math.max(...logged), lastBilledDay: Math.max(...days) });
    }
  }
  const basis = billed.length === 0 ? 'usage' : usage.size === 0 ? 'billed' : 'mixed';
  return { basis, billed, coverage };
}

/** `aggregate` on the plan's rows: one basis, or logs plus the bill's days that no logs cover. */
export function aggregateOnPlan(
  db: Db,
  plan: BasisPlan,
  opts: { dims: Dimension[]; byDay: boolean; hourly?: boolean; tz: string; filter: UsageFilter; costOnly?: boolean },
): AggregateRow[] {
  const base = { ...opts, ...(opts.hourly ? { hourly: true } : {}) };
  const billed = (rows: AggregateRow[]): AggregateRow[] => rows.map((r) => ({ ...r, billedNanos: r.costNanos }));
  if (plan.basis === 'all') return aggregate(db, { ...base, filter: { ...opts.filter, basis: undefined } });
  if (plan.basis === 'usage') return aggregate(db, { ...base, filter: { ...opts.filter, basis: 'usage' } });
  if (plan.basis === 'billed') return billed(aggregate(db, { ...base, filter: { ...opts.filter, basis: 'billed' } }));
  const logs = aggregate(db, { ...base, filter: { ...opts.filter, basis: 'usage' } });
  const bill = billed(aggregate(db, { ...base, filter: { ...opts.filter, basis: 'billed', days: plan.billed } }));
  return mergeRows([...logs, ...bill]);
}

/** Plans the basis for the filter and aggregates on it (the common case: one query, one plan). */
export function aggregateMixed(
  db: Db,
  opts: { dims: Dimension[]; byDay: boolean; hourly?: boolean; tz: string; filter: UsageFilter },
  explicit?: Basis,
): { rows: AggregateRow[]; plan: BasisPlan } {
  const plan = planBasis(db, opts.filter, opts.tz, explicit);
  return { rows: aggregateOnPlan(db, plan, opts), plan };
}
