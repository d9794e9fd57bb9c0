/** The top spenders behind each budget in its period, for the notification (read before the database closes). */

import type { BudgetConfig } from '../lib/config.js';
import type { Driver } from '../notify/alert.js';
import type { Db } from '../store/db.js';
import { aggregateMixed } from '../store/queries/basis.js';
import type { Dimension } from '../store/queries/report.js';
import { budgetScope } from './store-filter.js';

const DIMS: Dimension[] = ['user', 'model'];
const TOP = 3;

export function budgetDrivers(
  db: Db,
  results: readonly { budget: BudgetConfig; period: { start: number } }[],
  at: { now: number; tz: string; basis: 'usage' | 'billed' | undefined },
): Record<string, Driver[]> {
  const out: Record<string, Driver[]> = {};
  for (const { budget, period } of results) {
    const filter = { ...budgetScope(budget), since: period.start, until: at.now };
    const list: Driver[] = [];
    for (const dim of DIMS) {
      const { rows } = aggregateMixed(db, { dims: [dim], byDay: false, tz: at.tz, filter }, at.basis);
      const total = rows.reduce((s, r) => s + r.costNanos, 0n);
      if (total <= 0n) continue;
      const top = rows
        .filter((r) => r.costNanos > 0n)
        .sort((a, b) => (b.costNanos > a.costNanos ? 1 : b.costNanos < a.costNanos ? -1 : (a.keys[0] ?? '').localeCompare(b.keys[0] ?? '')))
        .slice(0, TOP);
      for (const r of top)
        list.push({ dimension: dim, name: r.keys[0] ?? '', costNanos: r.costNanos, share: Number((r.costNanos * 10000n) / total) / 10000 });
    }
    out[budget.name] = list;
  }
  return out;
}
