/** Turns a reprice summary into its JSON contract and its table. */
import type { ModelChange, RepriceSummary } from '../core/types.js';
import { formatUsd, type Nanos, nanosToDecimal } from '../lib/money.js';
import { rangeJson } from './report.js';
import type { Cell, TableData } from './types.js';

export interface RepriceContext {
  catalog: { kind: string; version: string };
  pricesFile: string | undefined;
  tz: string;
  range: { since?: number; until?: number };
  models: string[] | undefined;
}

export interface ModelChangeJson {
  model: string;
  rowsChanged: number;
  newlyPriced: number;
  nowUnpriced: number;
  beforeNanos: bigint;
  beforeUsd: string;
  afterNanos: bigint;
  afterUsd: string;
  deltaNanos: bigint;
  deltaUsd: string;
}

export interface RepriceJson {
  schemaVersion: 1;
  kind: 'reprice';
  dryRun: boolean;
  catalog: { kind: string; version: string };
  pricesFile: string | null;
  timezone: string;
  range: { since: string | null; until: string | null };
  modelFilter: string[];
  /** Every request-level row in scope, before and after. */
  totals: {
    rowsScanned: number;
    rowsChanged: number;
    newlyPriced: number;
    nowUnpriced: number;
    unpricedBefore: number;
    unpricedAfter: number;
    beforeNanos: bigint;
    beforeUsd: string;
    afterNanos: bigint;
    afterUsd: string;
    deltaNanos: bigint;
    deltaUsd: string;
  };
  /** Changed rows by model, largest change first. */
  models: ModelChangeJson[];
  unchanged: { rows: number; costNanos: bigint; costUsd: string };
  stillUnpriced: RepriceSummary['stillUnpriced'];
}

const countRows = (n: number, kind = ''): string => `${n.toLocaleString('en-US')} ${kind}${n === 1 ? 'row' : 'rows'}`;

const money = (before: Nanos, after: Nanos) => ({
  beforeNanos: before,
  beforeUsd: nanosToDecimal(before),
  afterNanos: after,
  afterUsd: nanosToDecimal(after),
  deltaNanos: after - before,
  deltaUsd: nanosToDecimal(after - before),
});

export function repriceJson(s: RepriceSummary, ctx: RepriceContext): RepriceJson {
  return {
    schemaVersion: 1,
    kind: 'reprice',
    dryRun: s.dryRun,
    catalog: ctx.catalog,
    pricesFile: ctx.pricesFile ?? null,
    timezone: ctx.tz,
    range: rangeJson(ctx.range),
    modelFilter: ctx.models ?? [],
    totals: {
      rowsScanned: s.rowsScanned,
      rowsChanged: s.rowsChanged,
      newlyPriced: s.newlyPriced,
      nowUnpriced: s.nowUnpriced,
      unpricedBefore: s.unpricedBefore,
      unpricedAfter: s.unpricedAfter,
      ...money(s.beforeNanos, s.afterNanos),
    },
    models: s.models.map((m) => ({
      model: m.model,
      rowsChanged: m.rowsChanged,
      newlyPriced: m.newlyPriced,
      nowUnpriced: m.nowUnpriced,
      ...money(m.beforeNanos, m.afterNanos),
    })),
    unchanged: { rows: s.unchanged.rows, costNanos: s.unchanged.costNanos, costUsd: nanosToDecimal(s.unchanged.costNanos) },
    stillUnpriced: s.stillUnpriced,
  };
}

/** A model's cells; a side where every changed row had no cost shows "—", never a silent $0. */
function changeCells(m: ModelChange): Record<string, Cell> {
  return {
    model: m.model,
    rows_changed: m.rowsChanged,
    newly_priced: m.newlyPriced,
    now_unpriced: m.nowUnpriced,
    before_usd: m.newlyPriced === m.rowsChanged ? undefined : m.beforeNanos,
    after_usd: m.nowUnpriced === m.rowsChanged ? undefined : m.afterNanos,
    delta_usd: m.afterNanos - m.beforeNanos,
  };
}

/** One table: changed rows by model, the unchanged rows as one line, and the totals of everything in scope. */
function repriceTable(s: RepriceSummary, ctx: RepriceContext): TableData {
  const total: Record<string, Cell> = {
    model: 'Total',
    rows_changed: s.rowsChanged,
    newly_priced: s.newlyPriced,
    now_unpriced: s.nowUnpriced,
    before_usd: s.beforeNanos,
    after_usd: s.afterNanos,
    delta_usd: s.afterNanos - s.beforeNanos,
  };
  const rows = s.models.map(changeCells);
  if (s.unchanged.rows > 0) {
    rows.push({
      model: `(${countRows(s.unchanged.rows)} unchanged)`,
      rows_changed: 0,
      newly_priced: 0,
      now_unpriced: 0,
      before_usd: s.unchanged.costNanos,
      after_usd: s.unchanged.costNanos,
      delta_usd: 0n,
    });
  }
  const source = `${ctx.catalog.kind}@${ctx.catalog.version}${ctx.pricesFile ? ` and ${ctx.pricesFile}` : ''}`;
  const notes = [
    `${countRows(s.rowsChanged)} changed, ${s.newlyPriced.toLocaleString('en-US')} newly priced, of ${countRows(s.rowsScanned, 'request-level ')}; priced with ${source}. Billing rows (Cost Explorer, CUR) keep their billed cost.`,
    `Total cost: ${formatUsd(s.beforeNanos)} → ${formatUsd(s.afterNanos)}; unpriced rows: ${s.unpricedBefore.toLocaleString('en-US')} → ${s.unpricedAfter.toLocaleString('en-US')}.`,
  ];
  if (s.nowUnpriced > 0)
    notes.push(
      `${countRows(s.nowUnpriced)} lost their price: give the price file they were priced with (--prices FILE, or "prices" in llmcost.config.json).`,
    );
  if (s.stillUnpriced.length > 0) {
    const names = s.stillUnpriced
      .slice(0, 5)
      .map((u) => `${u.provider ? `${u.provider}/` : ''}${u.model} (${u.rows.toLocaleString('en-US')})`)
      .join(', ');
    notes.push(
      `Still unpriced: ${names}${s.stillUnpriced.length > 5 ? ', …' : ''}. Add them to a price file and run llmcost reprice --prices FILE.`,
    );
  }
  if (s.dryRun) notes.push('Dry run: nothing was written.');
  return {
    title: s.dryRun ? 'Reprice (dry run)' : 'Reprice',
    columns: [
      { key: 'model', header: 'Model', kind: 'text' },
      { key: 'rows_changed', header: 'Rows changed', kind: 'int' },
      { key: 'newly_priced', header: 'Newly priced', kind: 'int' },
      { key: 'now_unpriced', header: 'Now unpriced', kind: 'int' },
      { key: 'before_usd', header: 'Before', kind: 'usd' },
      { key: 'after_usd', header: 'After', kind: 'usd' },
      { key: 'delta_usd', header: 'Delta', kind: 'usd' },
    ],
    rows,
    footer: total,
    notes,
  };
}

/** CSV carries one table and no footer: there the total is the last row, so CSV has the before/after totals too. */
export function repriceTables(s: RepriceSummary, ctx: RepriceContext, csv: boolean): TableData[] {
  const t = repriceTable(s, ctx);
  if (!csv || !t.footer) return [t];
  const { footer, ...rest } = t;
  return [{ ...rest, rows: [...rest.rows, footer] }];
}
