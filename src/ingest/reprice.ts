/**
 * Re-prices stored request-level rows with a pricer (the active catalog plus the user's prices), exactly as
 * ingest would price them today, and keeps the hourly rollup equal to the rows, in one transaction.
 */
import type { ModelChange, RepriceSummary } from '../core/types.js';
import type { Nanos } from '../lib/money.js';
import { parseModel } from '../pricing/normalize.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Db } from '../store/db.js';
import { pricingWriter, type RepriceFilter, rebuildRollupHours, type StoredPricing, storedPricingPages } from '../store/queries/reprice.js';
import { inTransaction } from '../store/transactions.js';
import { priceColumns, storedPriceRef } from './pipeline.js';
import type { UsageRecord } from './types.js';

/** Models are matched by their normalized name, as reports match them. */
export interface RepriceOptions extends RepriceFilter {
  /** Compute everything, write nothing. */
  dryRun?: boolean;
}

/** What repricing changed for one normalized model: sums over its changed rows only. */
/** The record a stored row was made from, as far as pricing reads it. */
function recordOf(row: StoredPricing): UsageRecord {
  return {
    ts: row.ts,
    provider: row.provider === '' ? undefined : row.provider,
    model: row.modelRaw,
    region: row.region ?? undefined,
    serviceTier: row.serviceTier === 'batch' || row.serviceTier === 'flex' || row.serviceTier === 'priority' ? row.serviceTier : undefined,
    requests: row.requests,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    cacheWrite1hTokens: row.cacheWrite1hTokens,
    reportedCostNanos: row.reportedCostNanos ?? undefined,
  };
}

export function reprice(db: Db, pricer: Pricer, options: RepriceOptions): RepriceSummary {
  const summary: RepriceSummary = {
    dryRun: options.dryRun === true,
    rowsScanned: 0,
    rowsChanged: 0,
    newlyPriced: 0,
    nowUnpriced: 0,
    unpricedBefore: 0,
    unpricedAfter: 0,
    beforeNanos: 0n,
    afterNanos: 0n,
    models: [],
    unchanged: { rows: 0, costNanos: 0n },
    stillUnpriced: [],
  };
  const models = new Map<string, ModelChange>();
  const unpriced = new Map<string, RepriceSummary['stillUnpriced'][number]>();
  /** Hours whose rollup must be rebuilt, by source. */
  const touched = new Map<string, Set<number>>();
  // A dry run reads in a transaction too, so its numbers come from one consistent snapshot.
  inTransaction(db, summary.dryRun, () => {
    const write = pricingWriter(db);
    const model = options.model?.map((m) => parseModel(m).model);
    for (const page of storedPricingPages(db, { ...options, model })) {
      for (const row of page) {
        summary.rowsScanned++;
        // The provider stays as stored: it is part of the row's identity in reports and the rollup.
        const priced = priceColumns(recordOf(row), pricer);
        const next = {
          costNanos: priced.costNanos,
          costBasis: priced.costBasis,
          computedCostNanos: priced.computedCostNanos,
          priceRef: storedPriceRef(priced),
        };
        summary.beforeNanos += row.costNanos ?? 0n;
        summary.afterNanos += next.costNanos ?? 0n;
        if (row.costNanos === null) summary.unpricedBefore++;
        if (next.costNanos === null) {
          summary.unpricedAfter++;
          const key = `${row.provider}\u0000${row.modelRaw}`;
          const u = unpriced.get(key) ?? { provider: row.provider, model: row.modelRaw, rows: 0 };
          u.rows++;
          unpriced.set(key, u);
        }
        const same =
          next.costNanos === row.costNanos &&
          next.costBasis === row.costBasis &&
          next.computedCostNanos === row.computedCostNanos &&
          next.priceRef === row.priceRef;
        if (same) {
          summary.unchanged.rows++;
          summary.unchanged.costNanos += row.costNanos ?? 0n;
          continue;
        }
        summary.rowsChanged++;
        const m = models.get(row.model) ?? {
          model: row.model,
          rowsChanged: 0,
          newlyPriced: 0,
          nowUnpriced: 0,
          beforeNanos: 0n,
          afterNanos: 0n,
        };
        m.rowsChanged++;
        m.beforeNanos += row.costNanos ?? 0n;
        m.afterNanos += next.costNanos ?? 0n;
        if (row.costNanos === null && next.costNanos !== null) m.newlyPriced++;
        if (row.costNanos !== null && next.costNanos === null) m.nowUnpriced++;
        models.set(row.model, m);
        if (summary.dryRun) continue;
        write(row.id, next);
        if (next.costNanos !== row.costNanos) {
          let hours = touched.get(row.source);
          if (!hours) {
            hours = new Set();
            touched.set(row.source, hours);
          }
          hours.add(Math.floor(row.ts / 3_600_000));
        }
      }
    }
    for (const [source, hours] of touched) rebuildRollupHours(db, source, hours);
  });
  const abs = (n: Nanos): Nanos => (n < 0n ? -n : n);
  summary.models = [...models.values()].sort((a, b) => {
    const d = abs(b.afterNanos - b.beforeNanos) - abs(a.afterNanos - a.beforeNanos);
    return d > 0n ? 1 : d < 0n ? -1 : b.rowsChanged - a.rowsChanged || a.model.localeCompare(b.model);
  });
  summary.newlyPriced = summary.models.reduce((n, m) => n + m.newlyPriced, 0);
  summary.nowUnpriced = summary.models.reduce((n, m) => n + m.nowUnpriced, 0);
  summary.stillUnpriced = [...unpriced.values()].sort((a, b) => b.rows - a.rows || a.model.localeCompare(b.model));
  return summary;
}
